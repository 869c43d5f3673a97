/** One metric as Kafka names it: group, name and tags (client-id, and topic for per-topic ones). */
export interface ProducerMetric {
  group: string;
  name: string;
  tags: ReadonlyArray<readonly [string, string]>;
  value: number;
}

/**
 * A subset of the Java producer's metrics (group `producer-metrics`), counted by the sender as
 * batches go out and come back. Totals and averages mean what Kafka's do; rates are averages over
 * the producer's life so far, where Kafka's are over a sliding window of recent samples.
 */
export class ProducerMetrics {
  private readonly startMs = Date.now();
  private appended = 0;
  private records = 0;
  private errors = 0;
  private retries = 0;
  private requests = 0;
  private responses = 0;
  private batches = 0;
  private batchBytes = 0;
  private maxBatchBytes = 0;
  private recordBytes = 0;
  private maxRecordBytes = 0;
  private outgoingBytes = 0;
  private latencyTotalMs = 0;
  private maxLatencyMs = 0;
  private compressionRatioTotal = 0;

  constructor(private readonly clientId: string) {}

  /** A record was appended, with its (uncompressed) size in the batch. */
  recordAppended(bytes: number): void {
    this.appended++;
    this.recordBytes += bytes;
    if (bytes > this.maxRecordBytes) this.maxRecordBytes = bytes;
  }

  /** A batch was drained into a request: its bytes on the wire and its compression ratio. */
  batchDrained(bytes: number, compressionRatio: number): void {
    this.batches++;
    this.batchBytes += bytes;
    if (bytes > this.maxBatchBytes) this.maxBatchBytes = bytes;
    this.compressionRatioTotal += compressionRatio;
  }

  requestSent(bytes: number): void {
    this.requests++;
    this.outgoingBytes += bytes;
  }

  responseReceived(latencyMs: number): void {
    this.responses++;
    this.latencyTotalMs += latencyMs;
    if (latencyMs > this.maxLatencyMs) this.maxLatencyMs = latencyMs;
  }

  recordsSent(count: number): void {
    this.records += count;
  }

  recordsFailed(count: number): void {
    this.errors += count;
  }

  recordsRetried(count: number): void {
    this.retries += count;
  }

  /** The metrics now, sorted as Kafka's tools print them (by `group:name:{tags}`). */
  snapshot(nowMs = Date.now()): ProducerMetric[] {
    const seconds = Math.max(1, nowMs - this.startMs) / 1000;
    const average = (total: number, count: number) => (count === 0 ? Number.NaN : total / count);
    const values: Array<[string, number]> = [
      ['batch-size-avg', average(this.batchBytes, this.batches)],
      ['batch-size-max', this.batches === 0 ? Number.NaN : this.maxBatchBytes],
      ['compression-rate-avg', average(this.compressionRatioTotal, this.batches)],
      ['outgoing-byte-rate', this.outgoingBytes / seconds],
      ['outgoing-byte-total', this.outgoingBytes],
      ['record-error-rate', this.errors / seconds],
      ['record-error-total', this.errors],
      ['record-retry-rate', this.retries / seconds],
      ['record-retry-total', this.retries],
      ['record-send-rate', this.records / seconds],
      ['record-send-total', this.records],
      ['record-size-avg', average(this.recordBytes, this.appended)],
      ['record-size-max', this.appended === 0 ? Number.NaN : this.maxRecordBytes],
      ['records-per-request-avg', average(this.records, this.responses)],
      ['request-latency-avg', average(this.latencyTotalMs, this.responses)],
      ['request-latency-max', this.responses === 0 ? Number.NaN : this.maxLatencyMs],
      ['request-rate', this.requests / seconds],
      ['request-total', this.requests],
      ['response-rate', this.responses / seconds],
      ['response-total', this.responses],
    ];
    const tags = [['client-id', this.clientId]] as const;
    return values.map(([name, value]) => ({ group: 'producer-metrics', name, tags, value }));
  }
}
