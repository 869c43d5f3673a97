import { unlinkSync } from 'node:fs';
import { fsyncDir } from '../file-io.js';
import { CLEANED_SUFFIX, SWAP_SUFFIX } from '../log-file-names.js';
import { LogSegment } from '../log-segment.js';
import { filterBatch, type RetentionRules } from './batch-filter.js';

/** Batches are gathered into writes of about this size: cleaned offsets-topic batches are tiny. */
const WRITE_BYTES = 1 << 20;

export interface CleanedSegment {
  segment: LogSegment;
  /** Earliest delete horizon of the tombstones it still holds. */
  tombstoneHorizon: number | undefined;
}

/**
 * Writes the cleaned copy of `group` (consecutive inactive segments) as one segment named after
 * the first, with `.cleaned` files and fresh indexes (its `.txnindex` too); fsyncs it and renames it to `.swap`, the
 * point from which recovery completes the swap instead of discarding it. On failure nothing is
 * left behind.
 */
export function writeCleanedSegment(
  dir: string,
  group: readonly LogSegment[],
  rules: RetentionRules,
  indexIntervalBytes: number,
  now: number,
): CleanedSegment {
  const cleaned = LogSegment.create(dir, group[0]!.baseOffset, now, 0, CLEANED_SUFFIX);
  // Aborted transactions whose marker stays with data of theirs: read_committed readers must still skip it.
  rules.transactions.onRetainedAbort = (txn) => cleaned.txnIndex.append(txn);
  try {
    let tombstoneHorizon: number | undefined;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const write = () => {
      if (pendingBytes > 0) cleaned.append(Buffer.concat(pending, pendingBytes), indexIntervalBytes);
      pending = [];
      pendingBytes = 0;
    };
    for (const segment of group) {
      segment.forEachWholeBatch((buf, at, size) => {
        const stored = buf.subarray(at, at + size);
        const kept = filterBatch(stored, rules);
        if (kept.tombstoneHorizon !== undefined) tombstoneHorizon = Math.min(tombstoneHorizon ?? Infinity, kept.tombstoneHorizon);
        if (!kept.bytes) return;
        // The walk reuses its buffer: a batch kept as stored must be copied out of it.
        pending.push(kept.bytes === stored ? Buffer.from(stored) : kept.bytes);
        pendingBytes += kept.bytes.length;
        if (pendingBytes >= WRITE_BYTES) write();
      });
    }
    write();
    cleaned.onBecomeInactive();
    cleaned.flush();
    cleaned.changeFileSuffixes(CLEANED_SUFFIX, SWAP_SUFFIX);
    fsyncDir(dir);
    return { segment: cleaned, tombstoneHorizon };
  } catch (err) {
    for (const path of cleaned.closeAndMarkDeleted()) unlinkSync(path);
    throw err;
  }
}
