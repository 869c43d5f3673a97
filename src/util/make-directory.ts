import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir spins forever on some paths (under
 * /proc), and every failure must become one line naming the directory.
 */
export function makeDirectory(dir: string, what = 'directory', createParent = true): void {
  try {
    mkdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(dir).isDirectory()) return;
    if (code === 'ENOENT' && createParent && dirname(dir) !== dir) {
      makeDirectory(dirname(dir), what);
      return makeDirectory(dir, what, false);
    }
    // EEXIST here means a file stands where the directory should be.
    throw new Error(`cannot create ${what} ${dir}: ${code === 'EEXIST' ? 'ENOTDIR' : (code ?? String(err))}`);
  }
}
