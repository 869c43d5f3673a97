import { close, closeSync, constants, fsync, fsyncSync, open, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { naming } from './storage-error.js';

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
 * CheckpointFile and Utils.atomicMoveWithFallback do). A failure (a full disk) removes the `.tmp`
 * again and names the file it was writing.
 */
export function writeFileAtomically(path: string, content: string): void {
  const tmp = `${path}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      naming(tmp, () => {
        writeAt(fd, Buffer.from(content), 0);
        fsyncSync(fd);
      });
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dirname(path));
}

/** Creates `path` empty unless it exists (Java's Files.createFile, its existence not an error), without an fsync. */
export function createEmptyFile(path: string): void {
  closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT));
}

/** Writes `buf` at `position` of the file at `path` (created if missing) without keeping a descriptor. */
export function writeFileAt(path: string, buf: Uint8Array, position: number): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT);
  try {
    naming(path, () => writeAt(fd, buf, position));
  } finally {
    closeSync(fd);
  }
}

/** fsync of the file at `path`, through a descriptor of its own; a missing file has nothing to flush. */
export function fsyncFile(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    naming(path, () => fsyncSync(fd));
  } finally {
    closeSync(fd);
  }
}

/**
 * Background fsyncs under way at once: each holds a descriptor, and thousands of partitions
 * rolling together must not take them all (Kafka flushes on a few scheduler threads too). The
 * rest wait in a plain queue of paths, a few hundred bytes each.
 */
const MAX_BACKGROUND_SYNCS = 16;
let backgroundSyncs = 0;
const waitingSyncs: { paths: readonly string[]; resolve: () => void; reject: (err: unknown) => void }[] = [];

/** fsync of each of `paths` (see fsyncFile), on the thread pool, off the event loop; at most MAX_BACKGROUND_SYNCS at a time. */
export function fsyncFilesInBackground(paths: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    waitingSyncs.push({ paths, resolve, reject });
    startBackgroundSyncs();
  });
}

function startBackgroundSyncs(): void {
  while (backgroundSyncs < MAX_BACKGROUND_SYNCS && waitingSyncs.length > 0) {
    const { paths, resolve, reject } = waitingSyncs.shift()!;
    backgroundSyncs++;
    syncFiles(paths)
      .then(resolve, reject)
      .finally(() => {
        backgroundSyncs--;
        startBackgroundSyncs();
      });
  }
}

async function syncFiles(paths: readonly string[]): Promise<void> {
  for (const path of paths) await syncFile(path);
}

/**
 * fsync through a descriptor of its own, with the callback API: a burst of rolls syncs tens of
 * thousands of files, and a FileHandle each would leave that much garbage. A missing file (deleted
 * meanwhile) has nothing to flush.
 */
function syncFile(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      err.path ??= path;
      reject(err);
    };
    open(path, 'r+', (err, fd) => {
      if (err) return err.code === 'ENOENT' ? resolve() : failed(err);
      fsync(fd, (syncErr) => close(fd, (closeErr) => (syncErr || closeErr ? failed((syncErr ?? closeErr)!) : resolve())));
    });
  });
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    naming(dir, () => fsyncSync(fd));
  } finally {
    closeSync(fd);
  }
}
