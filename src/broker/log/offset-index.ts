import { IndexFile } from './index-file.js';

const ENTRY_SIZE = 8;
const relativeOffsetAt = (buf: Buffer, at: number): number => buf.readInt32BE(at);

/**
 * Kafka's `.index`: sparse entries of (int32 offset relative to the segment's base offset, int32
 * position of a batch in the `.log` file), in increasing order. Each entry names the last offset of
 * the batch that starts at that position. Not checksummed: rebuilt from the log when in doubt.
 */
export class OffsetIndex extends IndexFile {
  constructor(path: string, baseOffset: bigint, fresh: boolean) {
    super(path, baseOffset, ENTRY_SIZE, fresh);
  }

  append(offset: bigint, position: number): void {
    const relative = Number(offset - this.baseOffset);
    const last = this.#last();
    if (last !== undefined && relative <= last.relative) return;
    this.appendEntry((buf, at) => {
      buf.writeInt32BE(relative, at);
      buf.writeInt32BE(position, at + 4);
    });
  }

  /** File position to start scanning from for `offset`: the last entry at or below it, else 0. */
  lookup(offset: bigint): number {
    const slot = this.largestSlotAtMost(Number(offset - this.baseOffset), relativeOffsetAt);
    if (slot < 0) return 0;
    const { buf, at } = this.entry(slot);
    return buf.readInt32BE(at + 4);
  }

  /** Drops the entries for offsets >= `offset`. */
  truncateTo(offset: bigint): void {
    const relative = Number(offset - this.baseOffset);
    const slot = this.largestSlotAtMost(relative, relativeOffsetAt);
    if (slot < 0) return this.truncateToEntries(0);
    const { buf, at } = this.entry(slot);
    this.truncateToEntries(buf.readInt32BE(at) === relative ? slot : slot + 1);
  }

  #last(): { relative: number; position: number } | undefined {
    const buf = this.lastEntry();
    return buf && { relative: buf.readInt32BE(0), position: buf.readInt32BE(4) };
  }
}
