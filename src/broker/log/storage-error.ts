import { openFileLimit } from '../../util/open-file-limit.js';
import { LogError } from './log-error.js';

/** What the system said, in one line: `ENOSPC (no space left on device)`. */
function reason(err: NodeJS.ErrnoException): string {
  if (err.code === 'EMFILE') {
    return `EMFILE (too many open files: the process may have ${openFileLimit()} open at once; raise it with ulimit -n)`;
  }
  const description = err.message.replace(/^[A-Z]+: /, '').replace(/, \w+.*$/, '');
  return err.code ? `${err.code} (${description})` : err.message;
}

/** A failed system call on a file: Node's errors carry `syscall` and `code`, path-based ones `path`. */
export function isFileSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * A file system failure as Kafka reports it (KafkaStorageException → KAFKA_STORAGE_ERROR), in one
 * line naming what was being done, the file and the system's reason: `Error while appending to
 * t-0: write /data/t-0/00000000000000000000.log: ENOSPC (no space left on device)`.
 */
export function storageError(doing: string, path: string, err: NodeJS.ErrnoException): LogError {
  const error = new LogError('KAFKA_STORAGE_ERROR', `Error while ${doing}: ${err.syscall} ${err.path ?? path}: ${reason(err)}`);
  error.cause = err;
  return error;
}

/** Runs `work`; a file system failure becomes a storageError naming `doing` and `path` (when the error names no file itself). */
export function onFile<T>(doing: string, path: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw isFileSystemError(err) ? storageError(doing, path, err) : err;
  }
}

/** Runs `work` on the file at `path`: a failure that does not name its file (an fd-based call) is made to. */
export function naming<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (isFileSystemError(err)) err.path ??= path;
    throw err;
  }
}

/** The process ran out of descriptors: not the disk's fault, so no log dir goes offline for it. */
export function isDescriptorShortage(err: unknown): boolean {
  const cause = err instanceof LogError ? err.cause : err;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EMFILE' || code === 'ENFILE';
}
