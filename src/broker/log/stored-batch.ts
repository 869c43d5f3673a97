import { BATCH } from '../../protocol/records/batch-header.js';
import { crc32c } from '../../protocol/records/crc.js';

/**
 * Whether a stored batch survived intact: magic 2, sane deltas and counts, offsets not going back,
 * and its CRC-32C (attributes to end) matching. Recovery truncates the log at the first batch that
 * fails; the full record-level validation happened before the append.
 */
export function isIntactBatch(buf: Buffer, at: number, size: number, minBaseOffset: bigint): boolean {
  return (
    buf.readInt8(at + BATCH.MAGIC) === 2 &&
    buf.readBigInt64BE(at + BATCH.BASE_OFFSET) >= minBaseOffset &&
    buf.readInt32BE(at + BATCH.LAST_OFFSET_DELTA) >= 0 &&
    buf.readInt32BE(at + BATCH.RECORDS_COUNT) >= 0 &&
    crc32c(buf.subarray(at + BATCH.ATTRIBUTES, at + size)) === buf.readUInt32BE(at + BATCH.CRC)
  );
}

/** baseOffset + lastOffsetDelta of the batch at `at`. */
export function batchLastOffset(buf: Buffer, at: number): bigint {
  return buf.readBigInt64BE(at + BATCH.BASE_OFFSET) + BigInt(buf.readInt32BE(at + BATCH.LAST_OFFSET_DELTA));
}

export function batchMaxTimestamp(buf: Buffer, at: number): number {
  return Number(buf.readBigInt64BE(at + BATCH.MAX_TIMESTAMP));
}
