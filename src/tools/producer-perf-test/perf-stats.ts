import { javaFixed } from '../common/java-format.js';

/** What the total line says (MB are MiB, as in Kafka). */
export interface PerfSummary {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

/** Kafka's sample budget: at most this many latencies are kept for the percentiles. */
const MAX_SAMPLES = 500_000;

/**
 * ProducerPerformance.Stats: counts acknowledged records, prints a window line every
 * `reportingIntervalMs` (from the acknowledgements, as Kafka does) and the total line at the end,
 * with percentiles over every `sampling`-th latency.
 */
export class PerfStats {
  private readonly start: number;
  private readonly latencies: Int32Array;
  private readonly sampling: number;
  /** Acknowledged records so far (Kafka's `iteration`, advanced after each record is counted). */
  iteration = 0;
  private index = 0;
  private count = 0;
  private bytes = 0;
  private maxLatency = 0;
  private totalLatency = 0;
  private windowCount = 0;
  private windowMaxLatency = 0;
  private windowTotalLatency = 0;
  private windowBytes = 0;
  private windowStart: number;

  constructor(
    numRecords: number,
    private readonly reportingIntervalMs: number,
    private readonly print: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.start = now();
    this.windowStart = this.start;
    this.sampling = Math.floor(numRecords / Math.min(numRecords, MAX_SAMPLES));
    this.latencies = new Int32Array(Math.floor(numRecords / this.sampling) + 1);
  }

  /** One acknowledged record: its latency, its size, and the time the acknowledgement came. */
  record(latency: number, bytes: number, time: number): void {
    this.count++;
    this.bytes += bytes;
    this.totalLatency += latency;
    if (latency > this.maxLatency) this.maxLatency = latency;
    this.windowCount++;
    this.windowBytes += bytes;
    this.windowTotalLatency += latency;
    if (latency > this.windowMaxLatency) this.windowMaxLatency = latency;
    if (this.iteration % this.sampling === 0 && this.index < this.latencies.length) this.latencies[this.index++] = latency;
    if (time - this.windowStart >= this.reportingIntervalMs) {
      this.printWindow();
      this.newWindow();
    }
  }

  get totalCount(): number {
    return this.count;
  }

  printWindow(): void {
    const elapsed = this.now() - this.windowStart;
    const recsPerSec = (1000 * this.windowCount) / elapsed;
    const mbPerSec = (1000 * this.windowBytes) / elapsed / (1024 * 1024);
    this.print(
      `${this.windowCount} records sent, ${javaFixed(recsPerSec, 1)} records/sec (${javaFixed(mbPerSec, 2)} MB/sec), ` +
        `${javaFixed(this.windowTotalLatency / this.windowCount, 1)} ms avg latency, ${javaFixed(this.windowMaxLatency, 1)} ms max latency.`,
    );
  }

  private newWindow(): void {
    this.windowStart = this.now();
    this.windowCount = 0;
    this.windowMaxLatency = 0;
    this.windowTotalLatency = 0;
    this.windowBytes = 0;
  }

  /** The whole run so far, as the total line reports it. */
  summary(): PerfSummary {
    const elapsed = this.now() - this.start;
    const [p50, p95, p99, p999] = this.percentiles(0.5, 0.95, 0.99, 0.999) as [number, number, number, number];
    return {
      records: this.count,
      recordsPerSec: (1000 * this.count) / elapsed,
      mbPerSec: (1000 * this.bytes) / elapsed / (1024 * 1024),
      avgLatencyMs: this.totalLatency / this.count,
      maxLatencyMs: this.maxLatency,
      p50Ms: p50,
      p95Ms: p95,
      p99Ms: p99,
      p999Ms: p999,
    };
  }

  printTotal(summary = this.summary()): void {
    const s = summary;
    this.print(
      `${s.records} records sent, ${javaFixed(s.recordsPerSec, 6)} records/sec (${javaFixed(s.mbPerSec, 2)} MB/sec), ` +
        `${javaFixed(s.avgLatencyMs, 2)} ms avg latency, ${javaFixed(s.maxLatencyMs, 2)} ms max latency, ` +
        `${s.p50Ms} ms 50th, ${s.p95Ms} ms 95th, ${s.p99Ms} ms 99th, ${s.p999Ms} ms 99.9th.`,
    );
  }

  private percentiles(...ps: number[]): number[] {
    const size = Math.min(this.index, this.latencies.length);
    const sorted = this.latencies.subarray(0, size).sort();
    return ps.map((p) => (size === 0 ? 0 : sorted[Math.floor(p * size)]!));
  }
}
