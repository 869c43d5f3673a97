import { readFileSync } from 'node:fs';

/** An offset index entry (absolute offset) or a time index entry. */
export interface OffsetPosition {
  offset: bigint;
  position: number;
}

export interface TimestampOffset {
  timestamp: bigint;
  offset: bigint;
}

/**
 * A `.index` file as Kafka's OffsetIndex opens it read-only: 8-byte entries (int32 offset
 * relative to the base offset in the file name, int32 position); a partial last entry is not one.
 */
export class OffsetIndexFile {
  static readonly ENTRY_SIZE = 8;
  readonly entries: number;

  constructor(
    readonly path: string,
    readonly baseOffset: bigint,
    private readonly bytes: Buffer,
  ) {
    this.entries = Math.floor(bytes.length / OffsetIndexFile.ENTRY_SIZE);
  }

  /** Reads the file; a missing one is empty (Kafka would create it). */
  static read(path: string, baseOffset: bigint): OffsetIndexFile {
    return new OffsetIndexFile(path, baseOffset, readIfPresent(path));
  }

  get length(): number {
    return this.bytes.length;
  }

  entry(i: number): OffsetPosition {
    const at = i * OffsetIndexFile.ENTRY_SIZE;
    return { offset: this.baseOffset + BigInt(this.bytes.readInt32BE(at)), position: this.bytes.readInt32BE(at + 4) };
  }

  /** OffsetIndex.lookup: the last entry at or below `offset` (binary search), else the base offset at position 0. */
  lookup(offset: bigint): OffsetPosition {
    const slot = largestLowerBound(this.entries, offset, (i) => this.entry(i).offset);
    return slot < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(slot);
  }

  /** OffsetIndex.sanityCheck: the message of the CorruptIndexException, or undefined when sane. */
  sanityProblem(absolutePath: string): string | undefined {
    const last = this.entries === 0 ? this.baseOffset : this.entry(this.entries - 1).offset;
    if (this.entries !== 0 && last < this.baseOffset) {
      return `Corrupt index found, index file ${absolutePath} has non-zero size but the last offset is ${last} which is less than the base offset ${this.baseOffset}`;
    }
    if (this.length % OffsetIndexFile.ENTRY_SIZE !== 0) {
      return `Index file ${absolutePath} is corrupt, found ${this.length} bytes which is neither positive nor a multiple of ${OffsetIndexFile.ENTRY_SIZE}`;
    }
    return undefined;
  }
}

/** A `.timeindex` file: 12-byte entries (int64 timestamp, int32 relative offset). */
export class TimeIndexFile {
  static readonly ENTRY_SIZE = 12;
  readonly entries: number;

  constructor(
    readonly path: string,
    readonly baseOffset: bigint,
    private readonly bytes: Buffer,
  ) {
    this.entries = Math.floor(bytes.length / TimeIndexFile.ENTRY_SIZE);
  }

  static read(path: string, baseOffset: bigint): TimeIndexFile {
    return new TimeIndexFile(path, baseOffset, readIfPresent(path));
  }

  get length(): number {
    return this.bytes.length;
  }

  entry(i: number): TimestampOffset {
    const at = i * TimeIndexFile.ENTRY_SIZE;
    return { timestamp: this.bytes.readBigInt64BE(at), offset: this.baseOffset + BigInt(this.bytes.readInt32BE(at + 8)) };
  }

  /** TimeIndex.sanityCheck: the message of the CorruptIndexException, or undefined when sane. */
  sanityProblem(absolutePath: string): string | undefined {
    if (this.entries !== 0) {
      const last = this.entry(this.entries - 1);
      const first = this.entry(0).timestamp;
      if (last.timestamp < first) {
        return `Corrupt time index found, time index file (${absolutePath}) has non-zero size but the last timestamp is ${last.timestamp} which is less than the first timestamp ${first}`;
      }
      if (last.offset < this.baseOffset) {
        return `Corrupt time index found, time index file (${absolutePath}) has non-zero size but the last offset is ${last.offset} which is less than the first offset ${this.baseOffset}`;
      }
    }
    if (this.length % TimeIndexFile.ENTRY_SIZE !== 0) {
      return `Time index file ${absolutePath} is corrupt, found ${this.length} bytes which is neither positive nor a multiple of ${TimeIndexFile.ENTRY_SIZE}`;
    }
    return undefined;
  }
}

function readIfPresent(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
}

/** AbstractIndex.largestLowerBoundSlotFor: the last slot whose key is at most `target`, -1 when the first is above it. */
function largestLowerBound(entries: number, target: bigint, keyAt: (i: number) => bigint): number {
  if (entries === 0 || keyAt(0) > target) return -1;
  let lo = 0;
  let hi = entries - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (keyAt(mid) <= target) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
