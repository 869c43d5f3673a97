import { BATCH } from '../../protocol/records/batch-header.js';
import { crc32c } from '../../protocol/records/crc.js';

/**
 * Why a stored batch did not survive intact, or undefined when it did: magic 2, sane deltas and
 * counts, offsets not going back, and its CRC-32C (attributes to end) matching. Recovery
 * truncates the log at the first batch that fails; the full record-level validation happened
 * before the append.
 */
export function storedBatchFault(buf: Buffer, at: number, size: number, minBaseOffset: bigint): string | undefined {
  const magic = buf.readInt8(at + BATCH.MAGIC);
  if (magic !== 2) return `magic ${magic}`;
  const baseOffset = buf.readBigInt64BE(at + BATCH.BASE_OFFSET);
  if (baseOffset < minBaseOffset) return `base offset ${baseOffset} below the expected ${minBaseOffset}`;
  if (buf.readInt32BE(at + BATCH.LAST_OFFSET_DELTA) < 0) return 'a negative last offset delta';
  if (buf.readInt32BE(at + BATCH.RECORDS_COUNT) < 0) return 'a negative record count';
  if (crc32c(buf.subarray(at + BATCH.ATTRIBUTES, at + size)) !== buf.readUInt32BE(at + BATCH.CRC)) return 'a CRC mismatch';
  return undefined;
}

/** baseOffset + lastOffsetDelta of the batch at `at`. */
export function batchLastOffset(buf: Buffer, at: number): bigint {
  return buf.readBigInt64BE(at + BATCH.BASE_OFFSET) + BigInt(buf.readInt32BE(at + BATCH.LAST_OFFSET_DELTA));
}

export function batchMaxTimestamp(buf: Buffer, at: number): number {
  return Number(buf.readBigInt64BE(at + BATCH.MAX_TIMESTAMP));
}
