import { packagePath } from '../util/package-path.js';
import { requireWithCodeCache } from './cached-bundle.js';

type EntryModule = { main(rawArgv: string[]): Promise<void> };

/** What bin/kts runs (bundled as CommonJS) for `kts server-start`: the one-file bundle of server-start-main.ts, through the code cache. */
export function main(rawArgv: string[]): Promise<void> {
  return (requireWithCodeCache(packagePath('dist', 'bundle', 'server-start.cjs')) as EntryModule).main(rawArgv);
}
