import { closeSync, fsync, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Reads `length` bytes at file `position` into `buf` at `at`; fewer only when the file ends first. */
export function readAt(fd: number, buf: Buffer, position: number, length = buf.length, at = 0): number {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, at + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Writes all of `buf` at file `position` (positional: no shared file cursor to keep in step). */
export function writeAt(fd: number, buf: Uint8Array, position: number): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, position + done);
}

/**
 * Replaces `path` with `content` so that a crash leaves either the old or the new file, never a
 * torn one: write a sibling `.tmp`, fsync it, rename over, fsync the directory (as Kafka's
 * CheckpointFile and Utils.atomicMoveWithFallback do).
 */
export function writeFileAtomically(path: string, content: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeAt(fd, Buffer.from(content), 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * fsync off the event loop. The owner may close the descriptor meanwhile (segment deleted): that
 * EBADF means there is nothing left to flush, so it resolves.
 */
export function fsyncInBackground(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err && err.code !== 'EBADF' ? reject(err) : resolve())));
}
