import { BATCH, type CompressionName, computeBatchCrc } from '../../../../src/protocol/records/batch-header.js';
import { compress, compressionCode } from '../../../../src/protocol/records/compression.js';
import type { RecordInput } from '../../../../src/protocol/records/record.js';
import { encodeBatch } from '../../../../src/protocol/records/record-batch.js';

/**
 * A `codec` batch of `records` whose record bytes are `edit(the encoded records)` and which claims
 * `count` records, its header (offset range, length, CRC) consistent with that: only the records
 * themselves can be wrong.
 */
export function withRecordBytes(
  codec: CompressionName,
  records: RecordInput[],
  edit: (raw: Buffer) => Buffer,
  count = records.length,
): Buffer {
  const plain = encodeBatch({ records });
  const body = compress(codec, edit(Buffer.from(plain.subarray(BATCH.HEADER_SIZE))));
  const b = Buffer.concat([plain.subarray(0, BATCH.HEADER_SIZE), body]);
  b.writeInt32BE(b.length - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  b.writeInt16BE(compressionCode(codec), BATCH.ATTRIBUTES);
  b.writeInt32BE(count, BATCH.RECORDS_COUNT);
  b.writeInt32BE(count - 1, BATCH.LAST_OFFSET_DELTA);
  b.writeUInt32BE(computeBatchCrc(b, 0, b.length), BATCH.CRC);
  return b;
}
