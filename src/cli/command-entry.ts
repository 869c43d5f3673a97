import { existsSync } from 'node:fs';
import { packagePath } from '../util/package-path.js';
import { requireWithCodeCache, type CacheWrite } from './cached-bundle.js';

type CommandBundle = { main(rawArgv: string[]): Promise<void> };

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
  return (requireWithCodeCache(file, cacheWrite(name, rawArgv)) as CommandBundle).main(rawArgv);
}

function cacheWrite(name: string, rawArgv: readonly string[]): CacheWrite {
  if (!SERVERS.has(name)) return 'at-exit';
  return rawArgv.includes('-daemon') || rawArgv.includes('--daemon') ? 'never' : 'after-start-up';
}
