import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { brokerForTest } from '../helpers/broker.js';
import { KTS_BIN, runKts } from '../helpers/kts.js';
import { runText } from '../helpers/process.js';
import { COMMANDS } from '../../src/cli/registry.js';

describe('bin/kts', () => {
  it('lists every registered command but the hidden ones in --help and exits 0', async () => {
    const r = await runKts(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) {
      if (c.hidden) expect(r.stdout).not.toContain(c.name);
      else expect(r.stdout).toContain(c.name);
    }
  });

  it.each(['topics', 'console-producer', 'console-consumer', 'get-offsets', 'configs', 'broker-api-versions', 'delete-records'])(
    '%s --help: its options, then examples of itself, exit 0',
    async (tool) => {
      const r = await runKts([tool, '--help']);
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toMatch(new RegExp(`^Usage: kts ${tool} \\[options\\]\n`));
      const examples = r.stdout.split('\nExamples:\n')[1] ?? '';
      expect(examples).toContain(`kts ${tool} --`);
    },
  );

  it('prints the package version', async () => {
    const r = await runKts(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    ['kts', KTS_BIN],
    ['kafka-topics.sh', fileURLToPath(new URL('../../bin/kafka/kafka-topics.sh', import.meta.url))],
  ])('%s runs through a symbolic link, as npm links bin/kts into node_modules/.bin', async (name, target) => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-bin-link-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    symlinkSync(target, join(dir, name));
    const r = await runText(join(dir, name), ['--version']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("a networked command loads none of Node's modules that it does not use", async () => {
    // Each of these costs a short command's start-up ~0.2-1.5 ms (bench/networked-startup.mjs);
    // `topics --list` needs none of them (child_process: commander's executable subcommands; v8: server-start's flags).
    const unused = ['child_process', 'v8', 'tls', 'crypto', 'zlib', 'worker_threads', 'dgram', 'tty', 'readline', 'http'];
    const broker = await brokerForTest();
    const dir = mkdtempSync(join(tmpdir(), 'kts-modules-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const preload = join(dir, 'record-modules.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'loaded'))}, process.moduleLoadList.join('\\n')));\n`,
    );
    const r = await runKts(['topics', '--list', '--bootstrap-server', broker.bootstrapServers], {
      env: { NODE_OPTIONS: `--require ${preload}` },
    });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const loaded = readFileSync(join(dir, 'loaded'), 'utf8').split('\n');
    expect(loaded).toContain('NativeModule net');
    expect(unused.filter((name) => loaded.includes(`NativeModule ${name}`))).toEqual([]);
  });

  it('rejects an unknown command with one line on stderr and exit 2', async () => {
    const r = await runKts(['no-such-command']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown command 'no-such-command'");
  });

  it('rejects an unknown option with exit 2', async () => {
    const r = await runKts(['completion', '--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--no-such-option');
  });

  it('prints a bash completion script naming the commands', async () => {
    const r = await runKts(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('complete -F _kts kts');
    expect(r.stdout).toContain('completion');
  });

  it('asks for a shell when none is given (usage error)', async () => {
    const r = await runKts(['completion']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('kts completion: name a shell: bash, zsh or fish');
  });
});
