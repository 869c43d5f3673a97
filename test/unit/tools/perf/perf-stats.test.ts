import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ThroughputThrottler } from '../../../../src/tools/common/throughput-throttler.js';
import { payloadGenerator, readPayloadFile } from '../../../../src/tools/producer-perf-test/payloads.js';
import { parsePerfProps } from '../../../../src/tools/producer-perf-test/perf-props.js';
import { PerfStats } from '../../../../src/tools/producer-perf-test/perf-stats.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ProducerPerformance.Stats', () => {
  it('prints a window line once 5 s passed, from the acknowledgements, and the total with percentiles', () => {
    const c = clock();
    const lines: string[] = [];
    const stats = new PerfStats(10, 5000, (l) => lines.push(l), c.now);
    for (let i = 0; i < 4; i++) {
      c.advance(1000);
      stats.record(10 + i, 100, c.now());
      stats.iteration++;
    }
    expect(lines).toEqual([]);
    c.advance(1000);
    stats.record(50, 100, c.now());
    stats.iteration++;
    // 5 records, 500 bytes in 5 s; latencies 10, 11, 12, 13, 50.
    expect(lines).toEqual(['5 records sent, 1.0 records/sec (0.00 MB/sec), 19.2 ms avg latency, 50.0 ms max latency.']);
    c.advance(5000);
    stats.printTotal();
    expect(lines[1]).toBe(
      '5 records sent, 0.500000 records/sec (0.00 MB/sec), 19.20 ms avg latency, 50.00 ms max latency, 12 ms 50th, 50 ms 95th, 50 ms 99th, 50 ms 99.9th.',
    );
  });

  it('keeps every (numRecords / 500000)-th latency for the percentiles, as Kafka samples them', () => {
    const c = clock();
    const stats = new PerfStats(1_000_000, 5000, () => {}, c.now);
    for (let i = 0; i < 1_000_000; i++) {
      stats.record(i % 2 === 0 ? 1 : 1000, 1, c.now());
      stats.iteration++;
    }
    // Only even iterations are sampled, so every kept latency is 1 ms.
    expect(stats.summary()).toMatchObject({ records: 1_000_000, p50Ms: 1, p999Ms: 1, maxLatencyMs: 1000 });
  });
});

describe('ThroughputThrottler', () => {
  it('throttles only when ahead of the target rate; a negative target never does', () => {
    const t = new ThroughputThrottler(100, 0);
    expect(t.shouldThrottle(50, 1000)).toBe(false);
    expect(t.shouldThrottle(150, 1000)).toBe(true);
    expect(t.shouldThrottle(1, 0)).toBe(false);
    expect(new ThroughputThrottler(-1, 0).shouldThrottle(1e9, 1)).toBe(false);
  });
});

describe('payloads', () => {
  it('random payloads are uppercase letters of the record size, varying from record to record', () => {
    const next = payloadGenerator({ kind: 'random', size: 64 });
    const values = Array.from({ length: 20 }, (_, i) => next(i).toString());
    for (const v of values) expect(v).toMatch(/^[A-Z]{64}$/);
    expect(new Set(values).size).toBeGreaterThan(15);
  });

  it('monotonic payloads are the record numbers', () => {
    const next = payloadGenerator({ kind: 'monotonic' });
    expect([0, 1, 42].map((i) => next(i).toString())).toEqual(['0', '1', '42']);
  });

  it('a payload file is split by the delimiter regex (Java split: trailing empties dropped) and announced as Kafka does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-payloads-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'p.txt');
    writeFileSync(file, 'a|b||c||');
    const lines: string[] = [];
    expect(readPayloadFile(file, '\\|', (l) => lines.push(l)).map(String)).toEqual(['a', 'b', '', 'c']);
    expect(lines).toEqual([`Reading payloads from: ${file}`, 'Number of messages read: 4']);
    writeFileSync(file, 'x\ny\n');
    expect(readPayloadFile(file, '\\n', () => {}).map(String)).toEqual(['x', 'y']);
    expect(() => readPayloadFile(join(dir, 'missing'), '\\n', () => {})).toThrow('Error: File does not exist or empty file provided.');
  });
});

describe('--producer-props', () => {
  it("splits on '=' as ProducerPerformance does: exactly one key and one value", () => {
    expect([...parsePerfProps(['acks=1', 'linger.ms=5'])]).toEqual([
      ['acks', '1'],
      ['linger.ms', '5'],
    ]);
    expect(() => parsePerfProps(['a=b=c'])).toThrow('Error: Invalid property: a=b=c');
    expect(() => parsePerfProps(['a='])).toThrow('Error: Invalid property: a=');
  });
});
