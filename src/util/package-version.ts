import { readFileSync } from 'node:fs';
import { packagePath } from './package-path.js';

/** The package version, from kts's package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}
