import { ATTR, BATCH } from '../../../protocol/records/batch-header.js';
import { decodeBatch } from '../../../protocol/records/record-batch.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '../../partition/decompression-limit.js';
import type { LogSegment } from '../log-segment.js';
import { batchLastOffset } from '../stored-batch.js';
import type { OffsetMap } from './offset-map.js';

/**
 * Kafka's LogCleaner.buildOffsetMap: records every key's latest offset over the dirty section
 * [from, to) of `segments` (inactive ones; `to` is a segment base offset). Control batches carry no
 * keys. It stops before a batch whose keys might not fit (after mapping at least one batch), and
 * returns the offset after the last batch mapped: this pass cleans up to there.
 */
export function buildOffsetMap(segments: readonly LogSegment[], from: bigint, to: bigint, map: OffsetMap): bigint {
  let end = from;
  let full = false;
  for (const [i, segment] of segments.entries()) {
    const next = segments[i + 1];
    if (segment.baseOffset >= to || full) break;
    if (next && next.baseOffset <= from) continue;
    segment.forEachWholeBatch((buf, at, size) => {
      const lastOffset = batchLastOffset(buf, at);
      if (lastOffset < from) return true;
      if (buf.readBigInt64BE(at + BATCH.BASE_OFFSET) >= to) return false;
      if ((buf.readInt16BE(at + BATCH.ATTRIBUTES) & ATTR.CONTROL) === 0) {
        const { records } = decodeBatch(buf.subarray(at, at + size), { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
        if (end > from && !map.hasRoomFor(records.length)) {
          full = true;
          return false;
        }
        for (const record of records) if (record.key !== null && record.offset >= from) map.put(record.key, record.offset);
      }
      end = lastOffset + 1n;
      return true;
    });
  }
  return end;
}
