import { KtsError, oneLine } from '../../util/errors.js';
import type { ConnectOptions } from '../../client/connect-options.js';
import type { NativeProducer } from '../../client/producer/producer.js';
import { ProducerError } from '../../client/producer/producer-errors.js';
import type { ProducerMetric } from '../../client/producer/producer-metrics.js';
import type { DeliveryCallback, RecordMetadata } from '../../client/producer/producer-record.js';
import { javaFixed } from '../common/java-format.js';
import { openNativeProducer, type ProducerChoices } from '../common/native-producer.js';
import { SenderTurns } from '../common/sender-turns.js';
import { ThroughputThrottler } from '../common/throughput-throttler.js';
import { payloadGenerator, type PayloadSource } from './payloads.js';
import { PerfStats, type PerfSummary } from './perf-stats.js';

export interface ProducerPerfJob {
  topic: string;
  numRecords: number;
  payload: PayloadSource;
  /** Records per second; negative: as fast as possible. */
  throughput: number;
  producer: ProducerChoices;
  connect: ConnectOptions;
  /** Commit a transaction every this many ms (transactions off when absent). */
  transactionDurationMs?: number;
  printMetrics: boolean;
  /** Kafka's stdout lines; with `json`, only the summary is returned (and metrics printed as JSON by the caller). */
  print: (line: string) => void;
  json: boolean;
  /** Acknowledged records so far, for a progress display. */
  progress?: (acknowledged: number) => void;
}

/** Kafka's reporting interval of the window lines. */
const REPORTING_INTERVAL_MS = 5000;

/**
 * ProducerPerformance: sends `numRecords` records as fast as the throttle allows, prints a window
 * line every 5 s and the totals with latency percentiles at the end. With a transaction duration,
 * records go in transactions committed every that many ms. Unlike Kafka, which prints a stack
 * trace per failed record and exits 0, the first failure is reported once and the run exits 1.
 */
export interface ProducerPerfResult {
  summary: PerfSummary;
  metrics: ProducerMetric[];
}

export async function producerPerf(job: ProducerPerfJob): Promise<ProducerPerfResult> {
  const transactional = job.transactionDurationMs !== undefined;
  const { producer } = await openNativeProducer(job.connect, { ...job.producer, topics: [job.topic] }, 'kts producer-perf-test');
  let failed = 0;
  let firstError: Error | undefined;
  let result: ProducerPerfResult;
  const print = job.json ? () => {} : job.print;
  try {
    if (transactional) await producer.initTransactions().catch(asToolError);
    const stats = new PerfStats(job.numRecords, REPORTING_INTERVAL_MS, print);
    const payloadOf = payloadGenerator(job.payload);
    const startMs = Date.now();
    const throttler = new ThroughputThrottler(job.throughput, startMs);
    const turns = new SenderTurns();
    let inTransaction = 0;
    let transactionStart = 0;
    /** Kafka's PerfCallback: a record's latency counts from its send; its bytes are its value's. */
    const perfCallback =
      (sendStartMs: number, bytes: number): DeliveryCallback =>
      (err: Error | null, _metadata: RecordMetadata | null) => {
        const now = Date.now();
        if (err === null) {
          stats.record(now - sendStartMs, bytes, now);
          stats.iteration++;
          job.progress?.(stats.totalCount);
        } else {
          failed++;
          firstError ??= err;
        }
      };
    // Records sent in the same millisecond with the same size share one callback (Kafka makes one
    // per record): what it computes is the same, and the producer keeps one entry per run of them.
    let callback: DeliveryCallback | null = null;
    let callbackMs = 0;
    let callbackBytes = 0;
    for (let i = 0; i < job.numRecords; i++) {
      const value = payloadOf(i);
      if (transactional && inTransaction === 0) {
        producer.beginTransaction();
        transactionStart = Date.now();
      }
      const sendStartMs = Date.now();
      const bytes = value.length;
      if (callback === null || sendStartMs !== callbackMs || bytes !== callbackBytes) {
        callback = perfCallback(sendStartMs, bytes);
        callbackMs = sendStartMs;
        callbackBytes = bytes;
      }
      const accepted = producer.send({ topic: job.topic, value }, callback);
      inTransaction++;
      if (transactional && job.transactionDurationMs! <= sendStartMs - transactionStart) {
        await producer.commitTransaction().catch(asToolError);
        inTransaction = 0;
      }
      if (throttler.shouldThrottle(i, sendStartMs)) await throttler.throttle();
      else if (!accepted) await producer.ready();
      else if (turns.due()) await turns.turn();
    }
    if (transactional && inTransaction !== 0) await producer.commitTransaction().catch(asToolError);
    // Kafka closes the producer before the totals, and only flushes when it prints metrics after them.
    if (job.printMetrics) await producer.flush();
    else await producer.close();
    result = { summary: stats.summary(), metrics: job.printMetrics ? producer.metrics() : [] };
    stats.printTotal(result.summary);
    if (job.printMetrics && !job.json) printMetrics(result.metrics, job.print);
  } finally {
    await closeQuietly(producer);
  }
  if (failed > 0) {
    throw new KtsError(
      `Error: ${failed} of ${job.numRecords} records were not acknowledged: ${oneLine(firstError).replace(/^Error: /, '')}`,
    );
  }
  return result;
}

/** A transaction the producer could not run (the broker refused, a timeout) is one line. */
function asToolError(err: unknown): never {
  if (err instanceof ProducerError) throw new KtsError(`Error: ${err.message}`);
  throw err;
}

async function closeQuietly(producer: NativeProducer): Promise<void> {
  try {
    await producer.close();
  } catch {
    // Closing after a failure: the failure is what gets reported.
  }
}

/** ToolsUtils.printMetrics: a blank line, a header, then `group:name:{tags} : value` sorted by name. */
export function printMetrics(metrics: readonly ProducerMetric[], print: (line: string) => void): void {
  if (metrics.length === 0) return;
  const rows = metrics
    .map((m) => ({ name: `${m.group}:${m.name}:{${m.tags.map(([k, v]) => `${k}=${v}`).join(', ')}}`, value: m.value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const width = Math.max(...rows.map((r) => r.name.length));
  print(`\n${'Metric Name'.padEnd(width)}   Value`);
  for (const r of rows) print(`${r.name.padEnd(width)} : ${javaFixed(r.value, 3)}`);
}
