import { readdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { completeInterruptedSwaps } from './cleaner/swap-recovery.js';
import type { LogConfig } from './log-config.js';
import { DELETED_SUFFIX, LOG_SUFFIX, parseSegmentFileName } from './log-file-names.js';
import { LogSegment } from './log-segment.js';

export interface LoadParams {
  dir: string;
  config: LogConfig;
  /** From log-start-offset-checkpoint; 0 when absent. */
  logStartOffset: bigint;
  /** From recovery-point-offset-checkpoint: everything below it was fsynced. 0 when absent. */
  recoveryPoint: bigint;
  /** The log dir had a `.kafka_cleanshutdown` marker: nothing needs recovering. */
  hadCleanShutdown: boolean;
  now: number;
  rollJitterMs: () => number;
}

export interface LoadedLog {
  segments: LogSegment[];
  logStartOffset: bigint;
  logEndOffset: bigint;
  recoveryPoint: bigint;
  /** Base offset of the first segment recovered (its aborted-transaction index rebuilt), if any. */
  firstRecoveredOffset: bigint | undefined;
}

/**
 * Opens a partition directory as Kafka's LogLoader does: completes or discards an interrupted
 * cleaner swap, drops leftovers (`.deleted` files, indexes without a log), recovers the segments from the recovery point on after an unclean shutdown
 * (cutting at the first bad batch and dropping every later segment), rebuilds any index that is
 * missing or fails its sanity check, and settles the start and end offsets.
 */
export function loadLog(params: LoadParams): LoadedLog {
  const { dir, config, now } = params;
  const interval = config['index.interval.bytes'];
  completeInterruptedSwaps(dir);
  const bases = new Set<bigint>();
  const orphans: string[] = [];
  for (const name of readdirSync(dir)) {
    // force: a background delete of the previous instance may remove it first.
    if (name.endsWith(DELETED_SUFFIX)) rmSync(join(dir, name), { force: true });
    const parsed = parseSegmentFileName(name);
    if (parsed?.suffix === LOG_SUFFIX) bases.add(parsed.baseOffset);
    else if (parsed) orphans.push(name);
  }
  for (const name of orphans) {
    if (!bases.has(parseSegmentFileName(name)!.baseOffset)) unlinkSync(join(dir, name));
  }
  let segments = [...bases].sort((a, b) => (a < b ? -1 : 1)).map((base) => LogSegment.open(dir, base, now, params.rollJitterMs()));

  const firstToRecover = params.hadCleanShutdown ? segments.length : Math.max(0, floorIndex(segments, params.recoveryPoint));
  let firstRecoveredOffset: bigint | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (i >= firstToRecover) {
      firstRecoveredOffset ??= segment.baseOffset;
      if (segment.recover(interval) > 0) {
        for (const later of segments.slice(i + 1)) deleteNow(later);
        segments = segments.slice(0, i + 1);
        break;
      }
    } else if (!segment.offsetIndex.isSane(segment.size) || !segment.timeIndex.isSane() || segment.txnIndex.sanityProblem()) {
      firstRecoveredOffset ??= segment.baseOffset;
      segment.recover(interval);
    }
  }

  let logEndOffset = segments.at(-1)?.readNextOffset() ?? params.logStartOffset;
  if (segments.length === 0 || logEndOffset < params.logStartOffset) {
    // Empty, or recovery lost data below a start offset DeleteRecords had already moved past.
    for (const segment of segments) deleteNow(segment);
    segments = [LogSegment.create(dir, params.logStartOffset, now, params.rollJitterMs())];
    logEndOffset = params.logStartOffset;
  }
  const firstBase = segments[0]!.baseOffset;
  const logStartOffset = params.logStartOffset > firstBase ? params.logStartOffset : firstBase;
  const recoveryPoint = params.hadCleanShutdown || params.recoveryPoint > logEndOffset ? logEndOffset : params.recoveryPoint;
  return { segments, logStartOffset, logEndOffset, recoveryPoint, firstRecoveredOffset };
}

/** Index of the segment that would hold `offset` (largest base offset <= it), or -1. */
export function floorIndex(segments: readonly { baseOffset: bigint }[], offset: bigint): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid]!.baseOffset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function deleteNow(segment: LogSegment): void {
  for (const path of segment.closeAndMarkDeleted()) unlinkSync(path);
}
