import type { LogConfig } from './log-config.js';

/** What retention looks at in a segment. */
export interface RetentionCandidate {
  readonly baseOffset: bigint;
  readonly size: number;
  /** Max batch timestamp, or the file's mtime when no batch has one. */
  readonly largestTimestamp: number;
}

/**
 * How many of the oldest segments to delete, applying in turn Kafka's three rules: retention.ms
 * (by each segment's largest timestamp), retention.bytes (oldest first while the log stays at or
 * above the limit) and the log start offset (segments wholly below it). Each rule stops at the first
 * segment it keeps. The last (active) segment counts only when it holds data: the log rolls before
 * deleting it, so the active segment itself is never deleted.
 */
export function segmentsToDelete(segments: readonly RetentionCandidate[], config: LogConfig, logStartOffset: bigint, now: number): number {
  let count = 0;
  if (config['cleanup.policy'].split(',').includes('delete')) {
    const retentionMs = config['retention.ms'];
    if (retentionMs >= 0) count = deleteWhile(segments, count, (segment) => now - segment.largestTimestamp > retentionMs);
    const retentionBytes = config['retention.bytes'];
    if (retentionBytes >= 0) {
      let excess = segments.slice(count).reduce((sum, s) => sum + s.size, 0) - retentionBytes;
      count = deleteWhile(segments, count, (segment) => {
        if (excess - segment.size < 0) return false;
        excess -= segment.size;
        return true;
      });
    }
  }
  return segmentsBelowLogStart(segments, logStartOffset, count);
}

/** How many leading segments lie wholly below `logStartOffset` (the next one starts at or below it). */
export function segmentsBelowLogStart(segments: readonly RetentionCandidate[], logStartOffset: bigint, from = 0): number {
  return deleteWhile(segments, from, (_, index) => {
    const next = segments[index + 1];
    return next !== undefined && next.baseOffset <= logStartOffset;
  });
}

function deleteWhile(
  segments: readonly RetentionCandidate[],
  from: number,
  predicate: (segment: RetentionCandidate, index: number) => boolean,
): number {
  let count = from;
  while (count < segments.length) {
    const segment = segments[count]!;
    if ((count === segments.length - 1 && segment.size === 0) || !predicate(segment, count)) break;
    count++;
  }
  return count;
}
