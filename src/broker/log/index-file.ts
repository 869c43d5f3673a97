import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { PooledFile } from './descriptor-pool.js';
import { fsyncFile } from './file-io.js';

/**
 * A sparse index file of fixed-size big-endian entries (OffsetIndex, TimeIndex). Kafka preallocates
 * and mmaps these files and trims them on close; we keep the entries in memory and append the new
 * ones to the file in one write (writePending), so the file always holds whole entries and no
 * trimming is needed. The log writes them shortly after the appends that made them, not after each
 * one (see Log's INDEX_WRITE_BEHIND_MS): lookups use the entries in memory, and recovery after a
 * crash rebuilds the indexes past the recovery point, as Kafka's does. Entries load lazily: a broker
 * holds many segments whose indexes are never read. Writes go through the segment descriptor pool
 * (an open and a close per append were a sixth of the produce path with 16 KiB batches); the
 * descriptor goes when the segment is released or closed, or idle.
 */
export abstract class IndexFile {
  readonly #file: PooledFile;
  readonly baseOffset: bigint;
  readonly #entrySize: number;
  /** Loaded entries, or undefined until first needed. */
  #buf: Buffer | undefined;
  #entries = 0;
  /** Entries already in the file. */
  #written = 0;
  /** The file changed since it was last fsynced. */
  #dirty = false;

  protected constructor(path: string, baseOffset: bigint, entrySize: number, fresh: boolean) {
    this.baseOffset = baseOffset;
    this.#entrySize = entrySize;
    if (fresh) {
      writeFileSync(path, '');
      this.#buf = Buffer.alloc(0);
    }
    this.#file = new PooledFile(path, false);
  }

  get path(): string {
    return this.#file.path;
  }

  get entries(): number {
    this.#load();
    return this.#entries;
  }

  /** The entries' bytes, what segment.index.bytes limits. */
  get sizeInBytes(): number {
    return this.entries * this.#entrySize;
  }

  isFull(maxIndexBytes: number): boolean {
    return this.entries >= Math.floor(maxIndexBytes / this.#entrySize);
  }

  /** The bytes of entry `slot` (valid until the next append), loading the file if needed. */
  protected entry(slot: number): { buf: Buffer; at: number } {
    return { buf: this.#load(), at: slot * this.#entrySize };
  }

  /** The last entry's bytes without loading the whole file, or undefined when empty. */
  protected lastEntry(): Buffer | undefined {
    if (this.#buf) {
      if (this.#entries === 0) return undefined;
      const at = (this.#entries - 1) * this.#entrySize;
      return this.#buf.subarray(at, at + this.#entrySize);
    }
    const size = this.#fileSize();
    if (size < this.#entrySize) return undefined;
    const out = Buffer.allocUnsafe(this.#entrySize);
    this.#file.read(out, size - (size % this.#entrySize) - this.#entrySize);
    return out;
  }

  /** Why the file cannot be trusted as it is (missing, or ending in a partial entry); undefined when it can. */
  fileFault(): string | undefined {
    let size: number;
    try {
      size = this.#fileSize();
    } catch {
      return 'it is missing';
    }
    return size % this.#entrySize === 0 ? undefined : `its size ${size} is not a multiple of the entry size ${this.#entrySize}`;
  }

  /** Binary search: the largest slot whose key is <= target, or -1. Keys must not decrease. */
  protected largestSlotAtMost(target: number, keyAt: (buf: Buffer, at: number) => number): number {
    const buf = this.#load();
    let lo = 0;
    let hi = this.#entries - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (keyAt(buf, mid * this.#entrySize) <= target) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Appends one entry in memory; `write` fills its bytes. The file catches up in writePending(). */
  protected appendEntry(write: (buf: Buffer, at: number) => void): void {
    let buf = this.#load();
    const at = this.#entries * this.#entrySize;
    if (at + this.#entrySize > buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#entrySize * 64, buf.length * 2));
      buf.copy(grown, 0, 0, at);
      this.#buf = buf = grown;
    }
    write(buf, at);
    this.#entries++;
  }

  /** Drops the entries from memory once they are all in the file; they load again when next needed (an inactive segment). */
  releaseEntries(): void {
    if (this.#buf !== undefined && this.#written === this.#entries) this.#buf = undefined;
  }

  /** Entries appended and not yet in the file. */
  get pendingEntries(): number {
    return this.#entries - this.#written;
  }

  /** Writes the entries appended since the last call: one syscall, whatever their number. */
  writePending(): void {
    if (this.#written === this.#entries) return;
    const from = this.#written * this.#entrySize;
    this.#file.write(this.#buf!.subarray(from, this.#entries * this.#entrySize), from);
    this.#written = this.#entries;
    this.#dirty = true;
  }

  /** Keeps the first `count` entries, in memory and in the file. */
  truncateToEntries(count: number): void {
    this.#load();
    if (count >= this.#entries) return;
    this.#entries = count;
    // Entries not yet written need no change in the file.
    if (count >= this.#written) return;
    this.#written = count;
    this.#file.truncate(count * this.#entrySize);
    this.#dirty = true;
  }

  /** writePending, then fsync if the file changed since the last one. */
  flush(): void {
    this.writePending();
    if (!this.#dirty) return;
    this.#dirty = false;
    fsyncFile(this.path);
  }

  /** writePending; the file to fsync if it changed since the last fsync (counted as done: the caller does it), else undefined. */
  pathToSync(): string | undefined {
    this.writePending();
    if (!this.#dirty) return undefined;
    this.#dirty = false;
    return this.path;
  }

  rename(path: string): void {
    this.#file.rename(path);
  }

  /** Closes the file's descriptor, if the pool holds one; the next write opens it again. */
  closeDescriptor(): void {
    this.#file.close();
  }

  #load(): Buffer {
    if (this.#buf) return this.#buf;
    let data: Buffer;
    try {
      data = readFileSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // A missing index (rebuilt by recovery) starts again empty: writes go to an existing file.
      writeFileSync(this.path, '');
      data = Buffer.alloc(0);
    }
    this.#entries = this.#written = Math.floor(data.length / this.#entrySize);
    this.#buf = data;
    // A trailing partial entry would misalign later appends.
    if (data.length % this.#entrySize !== 0) {
      this.#file.truncate(this.#entries * this.#entrySize);
      this.#dirty = true;
    }
    return data;
  }

  #fileSize(): number {
    return statSync(this.path).size;
  }
}
