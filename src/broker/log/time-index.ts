import { IndexFile } from './index-file.js';

const ENTRY_SIZE = 12;
const timestampAt = (buf: Buffer, at: number): number => Number(buf.readBigInt64BE(at));
const relativeOffsetAt = (buf: Buffer, at: number): number => buf.readInt32BE(at + 8);

export interface TimestampOffset {
  timestamp: number;
  offset: bigint;
}

/**
 * Kafka's `.timeindex`: sparse entries of (int64 timestamp, int32 relative offset). An entry is
 * added only when the segment's max timestamp grew, so timestamps and offsets both increase; the
 * offset is the last offset of the batch that first reached that timestamp.
 */
export class TimeIndex extends IndexFile {
  constructor(path: string, baseOffset: bigint, fresh: boolean) {
    super(path, baseOffset, ENTRY_SIZE, fresh);
  }

  maybeAppend(timestamp: number, offset: bigint): void {
    const last = this.lastTimestampOffset();
    if (last !== undefined && (timestamp <= last.timestamp || offset < last.offset)) return;
    this.appendEntry((buf, at) => {
      buf.writeBigInt64BE(BigInt(timestamp), at);
      buf.writeInt32BE(Number(offset - this.baseOffset), at + 8);
    });
  }

  /** The entry with the largest timestamp <= `timestamp`; (-1, base offset) when there is none. */
  lookup(timestamp: number): TimestampOffset {
    const slot = this.largestSlotAtMost(timestamp, timestampAt);
    if (slot < 0) return { timestamp: -1, offset: this.baseOffset };
    const { buf, at } = this.entry(slot);
    return this.#parse(buf, at);
  }

  /** Drops the entries for offsets >= `offset`. */
  truncateTo(offset: bigint): void {
    this.truncateToEntries(this.largestSlotAtMost(Number(offset - this.baseOffset) - 1, relativeOffsetAt) + 1);
  }

  lastTimestampOffset(): TimestampOffset | undefined {
    const buf = this.lastEntry();
    return buf && this.#parse(buf, 0);
  }

  #parse(buf: Buffer, at: number): TimestampOffset {
    return { timestamp: timestampAt(buf, at), offset: this.baseOffset + BigInt(relativeOffsetAt(buf, at)) };
  }
}
