/**
 * Splits a `records` byte string into its batches. Every format starts with `int64 offset,
 * int32 length` and keeps the magic byte at offset 16, so v2 batches and legacy v0/v1 entries
 * are framed the same way.
 */
import { ErrorCode } from '../errors.js';
import { BATCH } from './batch-header.js';
import { RecordsError } from './errors.js';

/** Smallest value of the length field for magic 0, 1 and 2. */
const MIN_LENGTH = [14, 22, BATCH.HEADER_SIZE - BATCH.LOG_OVERHEAD] as const;

/**
 * Size of the entry starting at `pos`, or -1 when the buffer ends before it does (Fetch
 * responses may end with a partial batch). Throws for a length or magic that no batch can have.
 */
export function batchSizeAt(buf: Buffer, pos: number): number {
  if (buf.length - pos < BATCH.LOG_OVERHEAD) return -1;
  const length = buf.readInt32BE(pos + BATCH.LENGTH);
  if (length < MIN_LENGTH[0]) {
    throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `batch length ${length} at offset ${pos} is too small`);
  }
  if (length > buf.length - pos - BATCH.LOG_OVERHEAD) return -1;
  const magic = buf[pos + BATCH.MAGIC]!;
  const min = MIN_LENGTH[magic as 0 | 1 | 2];
  if (min === undefined) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `unknown magic ${magic} at offset ${pos}`);
  if (length < min) {
    throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `batch length ${length} at offset ${pos} is too small for magic ${magic}`);
  }
  return length + BATCH.LOG_OVERHEAD;
}

/** Yields each complete batch (or legacy entry) as a view; a partial final one is ignored. */
export function* iterateBatches(buf: Buffer): Generator<Buffer> {
  for (let pos = 0, size = batchSizeAt(buf, 0); size > 0; pos += size, size = batchSizeAt(buf, pos)) {
    yield buf.subarray(pos, pos + size);
  }
}
