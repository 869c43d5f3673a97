import { ATTR, BATCH } from '../../../protocol/records/batch-header.js';
import type { Log } from '../log.js';
import { batchLastOffset } from '../stored-batch.js';
import { buildOffsetMap } from './build-offset-map.js';
import type { LogToClean } from './cleanable-range.js';
import { writeCleanedSegment } from './cleaned-segment.js';
import { OffsetMap } from './offset-map.js';
import { groupSegmentsBySize } from './segment-groups.js';
import { TransactionTracker } from './transaction-tracker.js';

export interface CleanOptions {
  now: number;
  /** log.cleaner.dedupe.buffer.size: bounds the keys one pass can map. */
  dedupeBufferBytes: number;
}

export interface CleanResult {
  /** Where the next pass's dirty section starts (cleaner-offset-checkpoint). */
  nextDirtyOffset: bigint;
  /** Earliest delete horizon of the tombstones still in the log: a pass after it can remove them. */
  tombstoneHorizon: number | undefined;
}

/**
 * One cleaning pass over one log (Kafka's Cleaner.doClean): maps the keys of the dirty section,
 * then rewrites every inactive segment up to the end of what was mapped (the clean section too,
 * since newer keys can supersede its records), merged into groups, each swapped in as soon as it
 * is written. Synchronous like every Log operation, so appends, reads, truncation and retention
 * cannot interleave with it.
 */
export function cleanLog(log: Log, toClean: LogToClean, options: CleanOptions): CleanResult {
  const config = log.config;
  const inactive = log.segments.slice(0, -1);
  const offsetMap = new OffsetMap(options.dedupeBufferBytes);
  const { firstDirtyOffset, firstUncleanableOffset } = toClean;
  const mappedEnd = buildOffsetMap(
    inactive,
    firstDirtyOffset,
    firstUncleanableOffset,
    offsetMap,
    new TransactionTracker(log.collectAbortedTxns(firstDirtyOffset, firstUncleanableOffset)),
  );
  const lastBatchOfProducer = lastBatchOfEachProducer(log);

  const toRewrite = inactive.filter((s) => s.baseOffset < mappedEnd);
  const afterRewritten = log.segments[toRewrite.length]!.baseOffset;
  const groups = groupSegmentsBySize(
    toRewrite.map((segment) => ({
      segment,
      baseOffset: segment.baseOffset,
      size: segment.size,
      offsetIndexBytes: segment.offsetIndex.sizeInBytes,
      timeIndexBytes: segment.timeIndex.sizeInBytes,
    })),
    config['segment.bytes'],
    config['segment.index.bytes'],
    afterRewritten,
  );

  // One walk over every group, in offset order, as the transactions' batches and markers come.
  const transactions = new TransactionTracker(log.collectAbortedTxns(log.logStartOffset, afterRewritten));
  let tombstoneHorizon: number | undefined;
  for (const members of groups) {
    const group = members.map((m) => m.segment);
    // Kept even when emptied: the swap file's offset range must reach this group's end (see swap-recovery).
    const groupLastOffset = group.at(-1)!.readNextOffset() - 1n;
    const cleaned = writeCleanedSegment(
      log.dir,
      group,
      {
        offsetMap,
        mappedEnd,
        now: options.now,
        deleteRetentionMs: config['delete.retention.ms'],
        retainEmpty: (lastOffset, producerId) =>
          lastOffset === groupLastOffset || (producerId >= 0n && lastBatchOfProducer.get(producerId) === lastOffset),
        transactions,
      },
      config['index.interval.bytes'],
      options.now,
    );
    if (cleaned.tombstoneHorizon !== undefined) tombstoneHorizon = Math.min(tombstoneHorizon ?? Infinity, cleaned.tombstoneHorizon);
    log.replaceSegments(group, cleaned.segment);
  }
  return { nextDirtyOffset: mappedEnd, tombstoneHorizon };
}

/**
 * Each idempotent producer's last batch, which must survive (if only as an empty batch) so that
 * rebuilding producer state from the log still finds its last sequence, as Kafka retains it.
 */
function lastBatchOfEachProducer(log: Log): Map<bigint, bigint> {
  const last = new Map<bigint, bigint>();
  // Straight from the headers: this visits every batch of the log.
  for (const segment of log.segments) {
    segment.forEachBatch(segment.baseOffset, (buf, at) => {
      const producerId = buf.readBigInt64BE(at + BATCH.PRODUCER_ID);
      if (producerId >= 0n && (buf.readInt16BE(at + BATCH.ATTRIBUTES) & ATTR.CONTROL) === 0) last.set(producerId, batchLastOffset(buf, at));
    });
  }
  return last;
}
