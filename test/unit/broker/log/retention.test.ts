import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../../src/broker/log/log-config.js';
import { segmentsBelowLogStart, segmentsToDelete } from '../../../../src/broker/log/retention.js';

const seg = (baseOffset: number, size: number, largestTimestamp: number) => ({ baseOffset: BigInt(baseOffset), size, largestTimestamp });
const config = (overrides: Partial<LogConfig>): LogConfig => ({ ...DEFAULT_LOG_CONFIG, 'retention.ms': -1, ...overrides });

describe('segmentsToDelete', () => {
  const segments = [seg(0, 100, 1000), seg(10, 100, 5000), seg(20, 100, 2000), seg(30, 100, 9000)];

  it('by time: oldest first, stopping at the first segment to keep', () => {
    expect(segmentsToDelete(segments, config({ 'retention.ms': 4000 }), 0n, 7000)).toBe(1);
    expect(segmentsToDelete(segments, config({ 'retention.ms': 1000 }), 0n, 7000)).toBe(3);
    expect(segmentsToDelete(segments, config({ 'retention.ms': 1000 }), 0n, 20_000)).toBe(4);
  });

  it('by size: while what stays is at least retention.bytes', () => {
    expect(segmentsToDelete(segments, config({ 'retention.bytes': 250 }), 0n, 0)).toBe(1);
    expect(segmentsToDelete(segments, config({ 'retention.bytes': 200 }), 0n, 0)).toBe(2);
    expect(segmentsToDelete(segments, config({ 'retention.bytes': 0 }), 0n, 0)).toBe(4);
  });

  it('never counts an empty active segment, and only deletes by start offset below it', () => {
    const withEmpty = [...segments.slice(0, 3), seg(30, 0, -1)];
    expect(segmentsToDelete(withEmpty, config({ 'retention.bytes': 0 }), 0n, 0)).toBe(3);
    expect(segmentsBelowLogStart(segments, 25n)).toBe(2);
    expect(segmentsBelowLogStart(segments, 1000n)).toBe(3);
    expect(segmentsToDelete(segments, config({ 'cleanup.policy': 'compact', 'retention.bytes': 0 }), 10n, 0)).toBe(1);
  });
});
