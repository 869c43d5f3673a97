import { ATTR, BATCH } from '../../../protocol/records/batch-header.js';
import { readTxnMarker } from '../../../protocol/records/control-record.js';
import { decodeBatch } from '../../../protocol/records/record-batch.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '../../partition/decompression-limit.js';
import type { LogSegment } from '../log-segment.js';
import { batchLastOffset } from '../stored-batch.js';
import type { OffsetMap } from './offset-map.js';
import type { TransactionTracker } from './transaction-tracker.js';

/**
 * Kafka's LogCleaner.buildOffsetMap: records every key's latest offset over the dirty section
 * [from, to) of `segments` (inactive ones; `to` is a segment base offset). Control batches carry no
 * keys, and neither do batches of aborted transactions (`transactions`, walked in step): an aborted
 * record never supersedes a committed one. It stops before a batch whose keys might not fit (after
 * mapping at least one batch), and returns the offset after the last batch mapped: this pass cleans
 * up to there.
 */
export function buildOffsetMap(
  segments: readonly LogSegment[],
  from: bigint,
  to: bigint,
  map: OffsetMap,
  transactions: TransactionTracker,
): bigint {
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
      const attributes = buf.readInt16BE(at + BATCH.ATTRIBUTES);
      const producerId = buf.readBigInt64BE(at + BATCH.PRODUCER_ID);
      if (attributes & ATTR.CONTROL) {
        const marker = readTxnMarker(buf, at, size);
        if (marker) transactions.onMarker(producerId, marker.isAbort, lastOffset);
      } else if (!transactions.onDataBatch(producerId, (attributes & ATTR.TRANSACTIONAL) !== 0, lastOffset)) {
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
