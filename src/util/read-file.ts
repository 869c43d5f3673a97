import { readFileSync } from 'node:fs';
import { KtsError } from './errors.js';

/** Reads a UTF-8 file the user named; failure is a one-line error naming what the file was for. */
export function readUserFile(path: string, what: string): string {
  return readUserFileBytes(path, what).toString('utf8');
}

/** Reads a file the user named as bytes (a key store may be binary); failure as `readUserFile`. */
export function readUserFileBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new KtsError(`Error: could not read ${what} '${path}': ${readFailure(err)}`);
  }
}

function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return code ?? String(err);
  }
}
