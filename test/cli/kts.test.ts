import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
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
