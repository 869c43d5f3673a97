import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The directory holding kts's package.json, found by walking up from this module: the same code
 * runs from dist/ as compiled by tsc, from the CLI bundle, and from src/ under vitest, each at a
 * different depth.
 */
function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`kts: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  root = dir;
  return root;
}

/** A file shipped with the package, e.g. `packagePath('config', 'server.properties')`. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}
