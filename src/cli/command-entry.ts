import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { packagePath } from '../util/package-path.js';
import { requireWithCodeCache, type CacheWrite } from './cached-bundle.js';

type CommandBundle = { main(rawArgv: string[]): Promise<void> };

/**
 * V8 settings a command's process runs with, set before its bundle loads, so that its code cache is
 * checked and written under the same flags (V8 rejects a cache made under others).
 *
 * server-start: how much the heap may grow past what the last full collection left before the next
 * one, 400 % (a limit of 5x) instead of V8's own factor, which keeps the limit near a small heap. A
 * broker's live heap is small (~10 MB in a 3-broker cluster), but what it promotes (requests held in
 * purgatory, replica fetch sessions) made V8 mark-compact every few hundred milliseconds: 28-39
 * times per broker in one throughput round of bench/cluster.mjs, 5-6 with this setting. RF 3
 * throughput rose by 11-44 % and RF 1 by 13-17 % in three alternating runs; the idle RSS of 10,000
 * replicas per broker went from 163-203 MB to 228-263 MB (bench/README.md). Kafka's start script
 * sizes its broker's heap too (-Xms1G). Set for the process that runs a broker, not by
 * Broker.start, which may be embedded in another program.
 */
const V8_FLAGS: Readonly<Record<string, string>> = { 'server-start': '--heap-growing-percent=400' };

const HELP_OR_VERSION: ReadonlySet<string> = new Set(['--help', '-h', '--version', '-V']);

/** Commands that start a server: their code cache is written once start-up is over, not at exit. */
const SERVERS: ReadonlySet<string> = new Set(['server-start', 'zookeeper-start']);

/**
 * What bin/kts (CommonJS) runs first: the named command's one-file bundle
 * (`dist/bundle/commands/<name>.cjs`, nothing but that command), through a V8 code cache. Returns
 * undefined when there is no such bundle (no command, `help`, a typo): the code-split CLI then runs.
 */
export function runCommandBundle(rawArgv: string[]): Promise<void> | undefined {
  const name = rawArgv.find((a) => !a.startsWith('-'));
  if (name === undefined || !/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  const file = packagePath('dist', 'bundle', 'commands', `${name}.cjs`);
  if (!existsSync(file)) return undefined;
  const flags = V8_FLAGS[name];
  // node:v8 only where it is used: loading it cost every other command ~0.2 ms of its start.
  if (flags !== undefined) (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString(flags);
  return (requireWithCodeCache(file, cacheWrite(name, rawArgv)) as CommandBundle).main(rawArgv);
}

function cacheWrite(name: string, rawArgv: readonly string[]): CacheWrite {
  if (SERVERS.has(name)) return { when: rawArgv.includes('-daemon') || rawArgv.includes('--daemon') ? 'never' : 'after-start-up' };
  const didItsWork = () => Number(process.exitCode ?? 0) === 0 && !rawArgv.some((a) => HELP_OR_VERSION.has(a));
  return { when: 'at-exit', didItsWork };
}
