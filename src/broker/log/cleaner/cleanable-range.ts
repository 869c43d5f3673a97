import type { LogConfig } from '../log-config.js';

/** What choosing a log to clean looks at in each segment. */
export interface CleanableSegment {
  readonly baseOffset: bigint;
  readonly size: number;
  readonly largestTimestamp: number;
  readonly firstBatchTimestamp: number | undefined;
}

/** Kafka's LogToClean: how much of a log is clean, how much could be cleaned now, and why. */
export interface LogToClean {
  /** Where the previous pass stopped: everything before has been cleaned. */
  firstDirtyOffset: bigint;
  /**
   * The active segment's base, or earlier: the last stable offset (records of open transactions,
   * or not yet replicated, are never cleaned) or the first segment min.compaction.lag.ms holds back.
   */
  firstUncleanableOffset: bigint;
  cleanBytes: number;
  cleanableBytes: number;
  /** cleanableBytes / (cleanBytes + cleanableBytes), what min.cleanable.dirty.ratio compares with. */
  cleanableRatio: number;
  /** max.compaction.lag.ms has passed for the oldest dirty batch: clean whatever the ratio. */
  needCompactionNow: boolean;
}

export interface LogPosition {
  /** Every segment, oldest first, the last one active. */
  segments: readonly CleanableSegment[];
  logStartOffset: bigint;
  logEndOffset: bigint;
  /** From cleaner-offset-checkpoint; outside [log start, log end] it is ignored, as in Kafka. */
  checkpointedDirtyOffset: bigint | undefined;
  /** The high watermark, or the first offset of an unsettled transaction below it. */
  lastStableOffset: bigint;
}

/** Kafka's LogCleanerManager.cleanableOffsets and maxCompactionDelay, for one log. */
export function logToClean(log: LogPosition, config: LogConfig, now: number): LogToClean {
  const { segments, logStartOffset, logEndOffset } = log;
  const checkpointed = log.checkpointedDirtyOffset;
  const firstDirtyOffset =
    checkpointed !== undefined && checkpointed >= logStartOffset && checkpointed <= logEndOffset ? checkpointed : logStartOffset;
  const active = segments.at(-1)!;
  const dirtyInactive = overlapping(segments.slice(0, -1), firstDirtyOffset, active.baseOffset);

  let firstUncleanableOffset = log.lastStableOffset < active.baseOffset ? log.lastStableOffset : active.baseOffset;
  const minLag = config['min.compaction.lag.ms'];
  if (minLag > 0) {
    const tooNew = dirtyInactive.find((s) => s.largestTimestamp > now - minLag);
    if (tooNew && tooNew.baseOffset < firstUncleanableOffset) firstUncleanableOffset = tooNew.baseOffset;
  }

  const firstBatchTimestamps = dirtyInactive.map((s) => s.firstBatchTimestamp ?? -1).filter((t) => t > 0);
  const needCompactionNow = firstBatchTimestamps.length > 0 && Math.min(...firstBatchTimestamps) < now - config['max.compaction.lag.ms'];

  const cleanBytes = sizeOf(overlapping(segments, -1n, firstDirtyOffset));
  const uncleanableFrom = firstUncleanableOffset > firstDirtyOffset ? firstUncleanableOffset : firstDirtyOffset;
  const cleanableBytes = sizeOf(overlapping(segments, firstDirtyOffset, uncleanableFrom));
  const total = cleanBytes + cleanableBytes;
  return {
    firstDirtyOffset,
    firstUncleanableOffset,
    cleanBytes,
    cleanableBytes,
    cleanableRatio: total > 0 ? cleanableBytes / total : 0,
    needCompactionNow,
  };
}

/** Kafka's logSegments(from, to): the segments holding offsets in [from, to). */
function overlapping(segments: readonly CleanableSegment[], from: bigint, to: bigint): CleanableSegment[] {
  if (from >= to) return [];
  return segments.filter((s, i) => s.baseOffset < to && (i + 1 >= segments.length || segments[i + 1]!.baseOffset > from));
}

function sizeOf(segments: readonly CleanableSegment[]): number {
  return segments.reduce((sum, s) => sum + s.size, 0);
}
