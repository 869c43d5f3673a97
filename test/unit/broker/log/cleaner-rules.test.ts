import { describe, expect, it } from 'vitest';
import { logToClean, type CleanableSegment } from '../../../../src/broker/log/cleaner/cleanable-range.js';
import { groupSegmentsBySize } from '../../../../src/broker/log/cleaner/segment-groups.js';
import { COMPACTED } from './cleaner-helpers.js';

const NOW = 1_000_000;

function segment(baseOffset: number, size: number, firstBatchTimestamp: number, largestTimestamp = firstBatchTimestamp): CleanableSegment {
  return { baseOffset: BigInt(baseOffset), size, firstBatchTimestamp, largestTimestamp };
}

describe('which part of a log is cleanable', () => {
  const segments = [segment(0, 100, 1000), segment(10, 100, 2000), segment(20, 300, 3000), segment(30, 0, 0)];
  const position = { segments, logStartOffset: 0n, logEndOffset: 30n, lastStableOffset: 30n };

  it('measures the dirty ratio from the checkpointed offset to the active segment', () => {
    expect(logToClean({ ...position, checkpointedDirtyOffset: 20n }, COMPACTED, NOW)).toEqual({
      firstDirtyOffset: 20n,
      firstUncleanableOffset: 30n,
      cleanBytes: 200,
      cleanableBytes: 300,
      cleanableRatio: 0.6,
      needCompactionNow: false,
    });
  });

  it('ignores a checkpoint outside the log, as Kafka does', () => {
    for (const checkpointed of [undefined, 31n, -5n]) {
      expect(logToClean({ ...position, checkpointedDirtyOffset: checkpointed }, COMPACTED, NOW).firstDirtyOffset).toBe(0n);
    }
    const started = { ...position, logStartOffset: 15n, checkpointedDirtyOffset: 5n };
    expect(logToClean(started, COMPACTED, NOW)).toMatchObject({ firstDirtyOffset: 15n, cleanBytes: 200, cleanableBytes: 400 }); // segment 10 counts on both sides, as in Kafka
  });

  it('holds back segments newer than min.compaction.lag.ms', () => {
    const config = { ...COMPACTED, 'min.compaction.lag.ms': NOW - 1500 };
    expect(logToClean({ ...position, checkpointedDirtyOffset: 0n }, config, NOW)).toMatchObject({
      firstUncleanableOffset: 10n,
      cleanableBytes: 100,
    });
  });

  it('never cleans from the last stable offset on (an open transaction, or records above the high watermark)', () => {
    expect(logToClean({ ...position, checkpointedDirtyOffset: 0n, lastStableOffset: 15n }, COMPACTED, NOW)).toMatchObject({
      firstUncleanableOffset: 15n,
      cleanableBytes: 200, // segments 0 and 10: the one holding offset 15 counts, as in Kafka
    });
  });

  it('needs compaction now once the oldest dirty batch is older than max.compaction.lag.ms', () => {
    const at = (maxLag: number, dirty: bigint) =>
      logToClean({ ...position, checkpointedDirtyOffset: dirty }, { ...COMPACTED, 'max.compaction.lag.ms': maxLag }, NOW).needCompactionNow;
    expect(at(NOW - 2500, 10n)).toBe(true);
    expect(at(NOW - 1500, 10n)).toBe(false);
    expect(at(NOW - 1500, 0n)).toBe(true);
  });
});

describe('grouping segments for one cleaned segment', () => {
  const seg = (baseOffset: number, size: number, indexBytes = 0) => ({
    baseOffset: BigInt(baseOffset),
    size,
    offsetIndexBytes: indexBytes,
    timeIndexBytes: indexBytes,
  });
  const bases = (groups: { baseOffset: bigint }[][]) => groups.map((g) => g.map((s) => Number(s.baseOffset)));

  it('merges neighbours while the log files fit in segment.bytes', () => {
    expect(bases(groupSegmentsBySize([seg(0, 400), seg(5, 500), seg(9, 200), seg(12, 900)], 1000, 100, 20n))).toEqual([[0, 5], [9], [12]]);
  });

  it('keeps the indexes within segment.index.bytes', () => {
    expect(bases(groupSegmentsBySize([seg(0, 1, 60), seg(5, 1, 40), seg(9, 1, 8)], 1000, 100, 20n))).toEqual([[0, 5], [9]]);
  });

  it('keeps offsets within an int32 of the group base', () => {
    const far = 2 ** 31;
    expect(bases(groupSegmentsBySize([seg(0, 1), seg(far - 10, 1), seg(far + 10, 1)], 1000, 100, BigInt(far + 20)))).toEqual([
      [0],
      [far - 10, far + 10],
    ]);
  });
});
