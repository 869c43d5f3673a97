import { ATTR, BATCH } from '../../../protocol/records/batch-header.js';
import { readTxnMarker } from '../../../protocol/records/control-record.js';
import { type DecodedBatch, decodeBatch, encodeBatch } from '../../../protocol/records/record-batch.js';
import type { DecodedRecord } from '../../../protocol/records/record.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '../../partition/decompression-limit.js';
import type { OffsetMap } from './offset-map.js';
import type { TransactionTracker } from './transaction-tracker.js';

/** What decides which records of a batch survive a cleaning pass. */
export interface RetentionRules {
  offsetMap: OffsetMap;
  /** Records at or after this offset were not mapped in this pass: they stay. */
  mappedEnd: bigint;
  now: number;
  deleteRetentionMs: number;
  /** The batch must stay, if only as an empty batch: producer state or the swap's offset range needs it. */
  retainEmpty: (lastOffset: bigint, producerId: bigint) => boolean;
  /** Fed every batch in offset order: aborted data and markers that mark nothing any more. */
  transactions: TransactionTracker;
}

export interface FilteredBatch {
  /** The batch to write: the stored bytes when nothing changed, else re-encoded; undefined to drop it. */
  bytes: Buffer | undefined;
  /** Delete horizon of a batch that still holds tombstones or a marker that may go: a later pass may remove them from then on. */
  tombstoneHorizon?: number;
}

/**
 * One stored v2 batch through Kafka's cleaner rules (LogCleaner.shouldRetainRecord and its
 * checkBatchRetention, with MemoryRecords.filterTo, Kafka 3.x / KIP-534):
 * - a batch of an aborted transaction loses all its records;
 * - a COMMIT/ABORT marker stays while its transaction still has data in the log; once it has none
 *   it gets a delete horizon (now + delete.retention.ms) and goes on the first pass after it;
 * - otherwise a record stays if it was not mapped, or it is its key's latest record, and it is not
 *   a tombstone whose batch's delete horizon has passed; records without a key go;
 * - a batch left holding tombstones and no delete horizon gets one (now + delete.retention.ms):
 *   its tombstones survive at least that long, which is the "one more pass" before removal;
 * - a rewritten batch keeps its base offset, last offset delta, producer id, epoch and base
 *   sequence, leader epoch, compression and timestamp type; an emptied batch is dropped unless
 *   `retainEmpty` says otherwise, then it stays as a header without records.
 */
export function filterBatch(batch: Buffer, rules: RetentionRules): FilteredBatch {
  const attributes = batch.readInt16BE(BATCH.ATTRIBUTES);
  const producerId = batch.readBigInt64BE(BATCH.PRODUCER_ID);
  const lastOffset = batch.readBigInt64BE(BATCH.BASE_OFFSET) + BigInt(batch.readInt32BE(BATCH.LAST_OFFSET_DELTA));
  if (attributes & ATTR.CONTROL) return filterMarker(batch, attributes, producerId, lastOffset, rules);
  const aborted = rules.transactions.onDataBatch(producerId, (attributes & ATTR.TRANSACTIONAL) !== 0, lastOffset);
  if (!aborted && batch.readBigInt64BE(BATCH.BASE_OFFSET) >= rules.mappedEnd) return { bytes: batch };
  const decoded = decodeBatch(batch, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
  const horizon = decoded.hasDeleteHorizon ? Number(decoded.baseTimestamp) : undefined;
  const retained = aborted ? [] : decoded.records.filter((record) => shouldRetain(record, rules, horizon));
  const keepsTombstones = retained.some((r) => r.value === null);
  const newHorizon = keepsTombstones && horizon === undefined ? rules.now + rules.deleteRetentionMs : horizon;
  const tombstoneHorizon = keepsTombstones ? newHorizon : undefined;
  if (retained.length === decoded.records.length && newHorizon === horizon) return { bytes: batch, tombstoneHorizon };
  if (retained.length === 0 && !rules.retainEmpty(lastOffset, producerId)) return { bytes: undefined };
  return { bytes: rewrite(decoded, retained, retained.length > 0 ? newHorizon : undefined), tombstoneHorizon };
}

/** A control batch: COMMIT/ABORT markers by the transaction rules, anything else kept as it is. */
function filterMarker(batch: Buffer, attributes: number, producerId: bigint, lastOffset: bigint, rules: RetentionRules): FilteredBatch {
  const marker = readTxnMarker(batch, 0, batch.length);
  if (!marker || !rules.transactions.onMarker(producerId, marker.isAbort, lastOffset)) return { bytes: batch };
  const horizon = attributes & ATTR.DELETE_HORIZON ? Number(batch.readBigInt64BE(BATCH.BASE_TIMESTAMP)) : undefined;
  const decoded = decodeBatch(batch, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
  if (horizon === undefined) {
    const newHorizon = rules.now + rules.deleteRetentionMs;
    return { bytes: rewrite(decoded, decoded.records, newHorizon), tombstoneHorizon: newHorizon };
  }
  if (rules.now < horizon) return { bytes: batch, tombstoneHorizon: horizon };
  return { bytes: rules.retainEmpty(lastOffset, producerId) ? rewrite(decoded, [], undefined) : undefined };
}

/** The batch re-encoded with `records` only, its offsets, producer, epochs, codec and timestamp type kept. */
function rewrite(decoded: DecodedBatch, records: readonly DecodedRecord[], deleteHorizon: number | undefined): Buffer {
  return encodeBatch({
    records: records.map((r) => ({
      key: r.key,
      value: r.value,
      headers: r.headers,
      timestamp: r.timestamp,
      offsetDelta: Number(r.offset - decoded.baseOffset),
    })),
    baseOffset: decoded.baseOffset,
    partitionLeaderEpoch: decoded.partitionLeaderEpoch,
    compression: records.length > 0 ? decoded.compression : 'none',
    timestampType: decoded.timestampType,
    // LogAppendTime batches carry the append time; CreateTime ones get the retained records' largest.
    maxTimestamp: decoded.timestampType === 'LogAppendTime' || records.length === 0 ? decoded.maxTimestamp : undefined,
    transactional: decoded.isTransactional,
    control: decoded.isControl,
    producerId: decoded.producerId,
    producerEpoch: decoded.producerEpoch,
    baseSequence: decoded.baseSequence,
    lastOffsetDelta: decoded.lastOffsetDelta,
    deleteHorizon: deleteHorizon !== undefined ? BigInt(deleteHorizon) : undefined,
  });
}

function shouldRetain(record: DecodedRecord, rules: RetentionRules, horizon: number | undefined): boolean {
  if (record.offset >= rules.mappedEnd) return true;
  if (record.key === null) return false;
  const latest = rules.offsetMap.get(record.key);
  if (latest !== undefined && record.offset < latest) return false;
  return record.value !== null || horizon === undefined || rules.now < horizon;
}
