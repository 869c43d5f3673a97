import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, renameSync } from 'node:fs';
import { readAt, writeAt } from './file-io.js';
import { openFileLimit } from '../../util/open-file-limit.js';
import { naming } from './storage-error.js';

/**
 * The descriptors of segment files, opened on demand and closed least recently used first past a
 * limit: half the process's open-file limit (`ulimit -n`), the other half left to connections,
 * index and checkpoint writes; and closed after 30 s unused. Kafka holds every segment's descriptor open for as long as the
 * segment exists, so 10,000 partitions need 10,000+ descriptors; here a broker with many idle
 * partitions holds descriptors only for the ones in use. One pool per process: the limit is.
 */
export class DescriptorPool {
  readonly max: number;
  /** Open files with their descriptor and when it was last used, least recently used first (a Map keeps insertion order; use re-inserts). */
  readonly #open = new Map<PooledFile, { fd: number; usedAt: number }>();
  readonly #idleMs: number;
  #sweeper: NodeJS.Timeout | undefined;

  /** Descriptors unused for `idleMs` are closed too (checked every few seconds). */
  constructor(max: number, idleMs = IDLE_MS) {
    this.max = Math.max(1, max);
    this.#idleMs = idleMs;
  }

  get size(): number {
    return this.#open.size;
  }

  /** The file's descriptor, opened if it is not; it becomes the most recently used. */
  descriptor(file: PooledFile, flags: string): number {
    const now = Date.now();
    const open = this.#open.get(file);
    if (open !== undefined) {
      this.#open.delete(file);
      open.usedAt = now;
      this.#open.set(file, open);
      return open.fd;
    }
    while (this.#open.size >= this.max) this.#closeLeastRecent();
    let opened: number;
    try {
      opened = openSync(file.path, flags);
    } catch (err) {
      // Descriptors are short for everyone (connections took them): give back a tenth and try once more.
      if ((err as NodeJS.ErrnoException).code !== 'EMFILE' || this.#open.size === 0) throw err;
      for (let n = Math.ceil(this.#open.size / 10); n > 0; n--) this.#closeLeastRecent();
      opened = openSync(file.path, flags);
    }
    this.#open.set(file, { fd: opened, usedAt: now });
    this.#sweeper ??= setInterval(() => this.#closeIdle(), Math.min(this.#idleMs, SWEEP_MS)).unref();
    return opened;
  }

  /** Closes the file's descriptor if it has one. */
  close(file: PooledFile): void {
    const open = this.#open.get(file);
    if (open === undefined) return;
    this.#open.delete(file);
    closeSync(open.fd);
  }

  /** Idle partitions hold no descriptor: those unused for idleMs go (least recently used first, so it stops at the first recent one). */
  #closeIdle(): void {
    const before = Date.now() - this.#idleMs;
    for (const [file, { usedAt }] of this.#open) {
      if (usedAt > before) break;
      this.close(file);
    }
    if (this.#open.size === 0) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
  }

  #closeLeastRecent(): void {
    const [file] = this.#open.keys();
    this.close(file!);
  }
}

/** How long a segment file's descriptor stays open unused: a partition that sees no traffic for this long holds none. */
const IDLE_MS = 30_000;
const SWEEP_MS = 5_000;

/** The process's pool of segment file descriptors. */
export const segmentDescriptors = new DescriptorPool(Math.floor(openFileLimit() / 2));

/**
 * A file whose descriptor comes from a DescriptorPool when an operation needs one. Every call is
 * synchronous, so a descriptor is never closed under an operation; a background fsync opens its own
 * (fsyncFilesInBackground).
 * A failure names the file, even from a call on a descriptor.
 */
export class PooledFile {
  #path: string;
  readonly #pool: DescriptorPool;

  /** `create`: a new file, which must not exist yet. */
  constructor(path: string, create: boolean, pool = segmentDescriptors) {
    this.#path = path;
    this.#pool = pool;
    if (create) naming(path, () => pool.descriptor(this, 'wx+'));
  }

  get path(): string {
    return this.#path;
  }

  /** Reads up to `length` bytes at file `position` into `buf` at `at`; fewer only when the file ends first. */
  read(buf: Buffer, position: number, length = buf.length, at = 0): number {
    return naming(this.#path, () => readAt(this.#fd(), buf, position, length, at));
  }

  write(buf: Uint8Array, position: number): void {
    naming(this.#path, () => writeAt(this.#fd(), buf, position));
  }

  truncate(size: number): void {
    naming(this.#path, () => ftruncateSync(this.#fd(), size));
  }

  stat(): { size: number; mtimeMs: number } {
    return naming(this.#path, () => fstatSync(this.#fd()));
  }

  sync(): void {
    naming(this.#path, () => fsyncSync(this.#fd()));
  }

  rename(path: string): void {
    renameSync(this.#path, path);
    this.#path = path;
  }

  close(): void {
    this.#pool.close(this);
  }

  #fd(): number {
    return this.#pool.descriptor(this, 'r+');
  }
}
