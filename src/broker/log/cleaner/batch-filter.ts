import { ATTR, BATCH } from '../../../protocol/records/batch-header.js';
import { decodeBatch, encodeBatch } from '../../../protocol/records/record-batch.js';
import type { DecodedRecord } from '../../../protocol/records/record.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '../../partition/decompression-limit.js';
import type { OffsetMap } from './offset-map.js';

/** What decides which records of a batch survive a cleaning pass. */
export interface RetentionRules {
  offsetMap: OffsetMap;
  /** Records at or after this offset were not mapped in this pass: they stay. */
  mappedEnd: bigint;
  now: number;
  deleteRetentionMs: number;
  /** The batch must stay, if only as an empty batch: producer state or the swap's offset range needs it. */
  retainEmpty: (lastOffset: bigint, producerId: bigint) => boolean;
}

export interface FilteredBatch {
  /** The batch to write: the stored bytes when nothing changed, else re-encoded; undefined to drop it. */
  bytes: Buffer | undefined;
  /** Delete horizon of a batch that still holds tombstones: a later pass may remove them from then on. */
  tombstoneHorizon?: number;
}

/**
 * One stored v2 batch through Kafka's cleaner rules (LogCleaner.shouldRetainRecord with
 * MemoryRecords.filterTo, Kafka 3.x / KIP-534):
 * - control batches stay as they are (kts writes none: it has no transaction coordinator);
 * - a record stays if it was not mapped, or it is its key's latest record, and it is not a
 *   tombstone whose batch's delete horizon has passed; records without a key go;
 * - a batch left holding tombstones and no delete horizon gets one (now + delete.retention.ms):
 *   its tombstones survive at least that long, which is the "one more pass" before removal;
 * - a rewritten batch keeps its base offset, last offset delta, producer id, epoch and base
 *   sequence, leader epoch, compression and timestamp type; an emptied batch is dropped unless
 *   `retainEmpty` says otherwise, then it stays as a header without records.
 */
export function filterBatch(batch: Buffer, rules: RetentionRules): FilteredBatch {
  const attributes = batch.readInt16BE(BATCH.ATTRIBUTES);
  if (attributes & ATTR.CONTROL || batch.readBigInt64BE(BATCH.BASE_OFFSET) >= rules.mappedEnd) return { bytes: batch };
  const decoded = decodeBatch(batch, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
  const horizon = decoded.hasDeleteHorizon ? Number(decoded.baseTimestamp) : undefined;
  const retained = decoded.records.filter((record) => shouldRetain(record, rules, horizon));
  const keepsTombstones = retained.some((r) => r.value === null);
  const newHorizon = keepsTombstones && horizon === undefined ? rules.now + rules.deleteRetentionMs : horizon;
  const tombstoneHorizon = keepsTombstones ? newHorizon : undefined;
  if (retained.length === decoded.records.length && newHorizon === horizon) return { bytes: batch, tombstoneHorizon };

  const lastOffset = decoded.baseOffset + BigInt(decoded.lastOffsetDelta);
  if (retained.length === 0 && !rules.retainEmpty(lastOffset, decoded.producerId)) return { bytes: undefined };
  const bytes = encodeBatch({
    records: retained.map((r) => ({
      key: r.key,
      value: r.value,
      headers: r.headers,
      timestamp: r.timestamp,
      offsetDelta: Number(r.offset - decoded.baseOffset),
    })),
    baseOffset: decoded.baseOffset,
    partitionLeaderEpoch: decoded.partitionLeaderEpoch,
    compression: retained.length > 0 ? decoded.compression : 'none',
    timestampType: decoded.timestampType,
    // LogAppendTime batches carry the append time; CreateTime ones get the retained records' largest.
    maxTimestamp: decoded.timestampType === 'LogAppendTime' || retained.length === 0 ? decoded.maxTimestamp : undefined,
    transactional: decoded.isTransactional,
    producerId: decoded.producerId,
    producerEpoch: decoded.producerEpoch,
    baseSequence: decoded.baseSequence,
    lastOffsetDelta: decoded.lastOffsetDelta,
    deleteHorizon: retained.length > 0 && newHorizon !== undefined ? BigInt(newHorizon) : undefined,
  });
  return { bytes, tombstoneHorizon };
}

function shouldRetain(record: DecodedRecord, rules: RetentionRules, horizon: number | undefined): boolean {
  if (record.offset >= rules.mappedEnd) return true;
  if (record.key === null) return false;
  const latest = rules.offsetMap.get(record.key);
  if (latest !== undefined && record.offset < latest) return false;
  return record.value !== null || horizon === undefined || rules.now < horizon;
}
