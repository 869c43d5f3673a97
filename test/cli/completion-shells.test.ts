import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../src/broker/index.js';
import { needs } from '../helpers/requirements.js';
import { runKts } from '../helpers/kts.js';
import { runText } from '../helpers/process.js';
import { freePort } from '../helpers/free-port.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = (name: string) => join(root, 'completions', name);

/**
 * The committed completion scripts, run in their shells with kts and the bin/kafka/ shims on the
 * PATH: option values from fixed sets, and topic/group/profile names fetched from the current
 * profile's cluster by `kts __complete`, for `kts <command>` and for the kafka-*.sh names.
 */
describe('shell completions', () => {
  let broker: StartedBroker;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    broker = await startBroker();
    dir = mkdtempSync(join(tmpdir(), 'kts-completion-'));
    // A slow machine must not turn these into empty answers; the default bound is 300 ms.
    env = {
      XDG_CONFIG_HOME: join(dir, 'config'),
      KTS_COMPLETION_TIMEOUT_MS: '10000',
      PATH: `${join(root, 'bin')}:${join(root, 'bin', 'kafka')}:${process.env.PATH}`,
    };
    const server = ['--bootstrap-server', broker.bootstrapServers];
    await runKts(['topics', '--create', '--topic', 'orders', ...server]);
    await runKts(['topics', '--create', '--topic', 'payments', ...server]);
    await runKts(['console-consumer', '--topic', 'orders', '--group', 'billing', '--from-beginning', '--exit-at-end', ...server]);
    await runKts(['profile', 'create', 'here', ...server, '--use'], { env });
  });
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kts __complete lists the names, and nothing (exit 0) when the cluster does not answer', async () => {
    expect((await runKts(['__complete', 'topics'], { env })).stdout).toBe('__consumer_offsets\norders\npayments\n');
    expect((await runKts(['__complete', 'groups'], { env })).stdout).toBe('billing\n');
    expect((await runKts(['__complete', 'profiles'], { env })).stdout).toBe('here\n');
    await runKts(['profile', 'create', 'nowhere', '--bootstrap-server', `127.0.0.1:${await freePort()}`], { env });
    const silent = await runKts(['__complete', 'topics'], { env: { ...env, KTS_PROFILE: 'nowhere' } });
    expect([silent.code, silent.stdout, silent.stderr]).toEqual([0, '', '']);
  });

  it('bash: names and fixed values, for kts and for the kafka-*.sh names', async () => {
    const complete = async (words: string[], fn: string) => {
      const line = `source ${script('kts.bash')}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; ${fn}; echo "\${COMPREPLY[*]}"`;
      return (await runText('bash', ['-c', line], { env })).stdout.trim();
    };
    expect(await complete(['kts', 'topics', '--topic', 'o'], '_kts')).toBe('orders');
    expect(await complete(['kafka-consumer-groups.sh', '--group', ''], '_kts_kafka kafka-consumer-groups.sh')).toBe('billing');
    expect(await complete(['kts', 'get-offsets', '--time', 'ear'], '_kts')).toBe('earliest earliest-local');
    expect(await complete(['kafka-console-producer.sh', '--compression-codec', 'z'], '_kts_kafka kafka-console-producer.sh')).toBe('zstd');
    expect(await complete(['kts', 'console-consumer', '--profile', ''], '_kts')).toBe('here nowhere');
    expect(await complete(['kts', 'configs', '--entity-type', 'broker'], '_kts')).toBe('brokers broker-loggers');
  });

  it('fish: the same through `complete -C`, kafka-*.sh wrapping kts <command>', needs('fish'), async () => {
    const complete = async (line: string) =>
      (await runText('fish', ['-c', `source ${script('kts.fish')}; complete -C '${line}'`], { env })).stdout
        .split('\n')
        .map((l) => l.split('\t')[0])
        .filter(Boolean);
    expect(await complete('kts topics --topic ')).toEqual(expect.arrayContaining(['orders', 'payments']));
    expect(await complete('kafka-topics.sh --topic pay')).toEqual(['payments']);
    expect(await complete('kts console-consumer --isolation-level read_c')).toEqual(['read_committed']);
  });

  it('zsh: the names function, with kts on the PATH or beside a shim', needs('zsh'), async () => {
    const names = async (service: string, kind: string, path: string) => {
      const line = `autoload -U compinit; compinit -u; source ${script('_kts')}; compadd() { [[ $1 == -a ]] && print -l -- \${(P)2} }; service=${service}; _kts_names ${kind}`;
      return (await runText('zsh', ['-c', line], { env: { ...env, PATH: path } })).stdout;
    };
    expect(await names('kts', 'topics', env.PATH!)).toBe('__consumer_offsets\norders\npayments\n');
    expect(await names('kafka-consumer-groups.sh', 'groups', `${join(root, 'bin', 'kafka')}:${process.env.PATH}`)).toBe('billing\n');
  });
});
