import { ApiError } from '../../api-error.js';
import { decodeBatch } from '../../../protocol/records/record-batch.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '../../partition/decompression-limit.js';

/**
 * Kafka's LogValidator rule for compacted topics: compaction goes by key, so a record without one
 * is refused (INVALID_RECORD) instead of being dropped silently by the next cleaning pass.
 * `batch` is one validated v2 batch; a compressed one is decompressed to see its keys.
 */
export function requireKeys(batch: Buffer, partitionName: string): void {
  const { records } = decodeBatch(batch, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
  if (records.some((r) => r.key === null)) {
    throw new ApiError('INVALID_RECORD', `Compacted topic cannot accept message without key in topic partition ${partitionName}.`);
  }
}
