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

/** A file of fixed-size entries (AbstractIndex opened read-only): a partial last entry is not one. */
abstract class IndexFile {
  readonly entries: number;

  constructor(
    readonly path: string,
    /** The base offset the file is named after; entries hold offsets relative to it. */
    readonly baseOffset: bigint,
    protected readonly bytes: Buffer,
    private readonly entrySize: number,
  ) {
    this.entries = Math.floor(bytes.length / entrySize);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** AbstractIndex.sanityCheck's size rule, in each index's words. */
  protected sizeProblem(what: string, absolutePath: string): string | undefined {
    if (this.length % this.entrySize === 0) return undefined;
    return `${what} ${absolutePath} is corrupt, found ${this.length} bytes which is neither positive nor a multiple of ${this.entrySize}`;
  }
}

/** A `.index` file as Kafka's OffsetIndex reads it: 8-byte entries (int32 relative offset, int32 position). */
export class OffsetIndexFile extends IndexFile {
  /** Reads the file; a missing one is empty (Kafka would create it). */
  static read(path: string, baseOffset: bigint): OffsetIndexFile {
    return new OffsetIndexFile(path, baseOffset, readIfPresent(path), 8);
  }

  entry(i: number): OffsetPosition {
    const at = i * 8;
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
    return this.sizeProblem('Index file', absolutePath);
  }
}

/** A `.timeindex` file: 12-byte entries (int64 timestamp, int32 relative offset). */
export class TimeIndexFile extends IndexFile {
  static read(path: string, baseOffset: bigint): TimeIndexFile {
    return new TimeIndexFile(path, baseOffset, readIfPresent(path), 12);
  }

  entry(i: number): TimestampOffset {
    const at = i * 12;
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
    return this.sizeProblem('Time index file', absolutePath);
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
