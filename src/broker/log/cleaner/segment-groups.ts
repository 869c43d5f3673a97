const INT32_MAX = 0x7fffffffn;

/** What grouping looks at in a segment to be cleaned. */
export interface GroupableSegment {
  readonly baseOffset: bigint;
  readonly size: number;
  readonly offsetIndexBytes: number;
  readonly timeIndexBytes: number;
}

/**
 * Kafka's LogCleaner.groupSegmentsBySize: consecutive segments merged into one cleaned segment as
 * long as their log files together fit in segment.bytes, their indexes in segment.index.bytes, and
 * their offsets in one segment's int32 relative range (checked against the next segment's base, or
 * `endOffset` after the last one). Cleaning shrinks segments, so without merging a compacted log
 * would keep one small file per segment it ever rolled.
 */
export function groupSegmentsBySize<S extends GroupableSegment>(
  segments: readonly S[],
  maxSize: number,
  maxIndexSize: number,
  endOffset: bigint,
): S[][] {
  const groups: S[][] = [];
  for (let i = 0; i < segments.length; ) {
    const group = [segments[i]!];
    let logSize = group[0]!.size;
    let offsetIndexSize = group[0]!.offsetIndexBytes;
    let timeIndexSize = group[0]!.timeIndexBytes;
    for (i++; i < segments.length; i++) {
      const next = segments[i]!;
      const lastOffset = (segments[i + 1]?.baseOffset ?? endOffset) - 1n;
      const fits =
        logSize + next.size <= maxSize &&
        offsetIndexSize + next.offsetIndexBytes <= maxIndexSize &&
        timeIndexSize + next.timeIndexBytes <= maxIndexSize &&
        (next.size === 0 || lastOffset - group[0]!.baseOffset <= INT32_MAX);
      if (!fits) break;
      group.push(next);
      logSize += next.size;
      offsetIndexSize += next.offsetIndexBytes;
      timeIndexSize += next.timeIndexBytes;
    }
    groups.push(group);
  }
  return groups;
}
