import { ErrorCode, errorName, isRetriable } from '../../protocol/errors.js';
import { BATCH } from '../../protocol/records/batch-header.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { ProduceRequestPartitionProduceData, ProduceResponse } from '../../protocol/generated/apis/produce.js';
import { commonVersion } from '../api-versions.js';
import { formatBroker, type BrokerAddress } from '../bootstrap.js';
import { BrokerConnectionError, type BrokerConnections } from '../broker-connections.js';
import { STALE_METADATA, type ClusterMetadata } from '../cluster-metadata.js';
import { MetadataUpdater } from '../metadata-updater.js';
import type { RawKafkaConnection } from '../raw-connection.js';
import type { PartitionQueue, RecordAccumulator } from './accumulator.js';
import type { IdempotenceState } from './idempotence.js';
import type { ProducerBatch } from './producer-batch.js';
import type { ProducerMetrics } from './producer-metrics.js';
import type { TransactionManager } from './transactions.js';
import type { NativeProducerConfig } from './producer-config.js';
import { ProducerError, ProducerTimeoutError, brokerError } from './producer-errors.js';
import { RecordMetadata } from './producer-record.js';

/** Produce v3 is the first with magic v2 record batches, the only format kts writes. */
const MIN_PRODUCE_VERSION = 3;
/** The Java producer's idempotent InitProducerId asks for no transaction timeout. */
const NO_TRANSACTION_TIMEOUT = 0x7fffffff;

export type SenderConfig = Pick<
  NativeProducerConfig,
  | 'acks'
  | 'requestTimeoutMs'
  | 'deliveryTimeoutMs'
  | 'retries'
  | 'retryBackoffMs'
  | 'retryBackoffMaxMs'
  | 'maxInFlight'
  | 'maxRequestSize'
  | 'log'
>;

export interface SenderParts {
  config: SenderConfig;
  metadata: ClusterMetadata;
  accumulator: RecordAccumulator;
  connections: BrokerConnections;
  /** Where to ask for metadata before any broker is known. */
  bootstrap: readonly BrokerAddress[];
  idempotence: IdempotenceState | null;
  /** With a transactional.id: the producer id comes from it, and partitions join its transaction before sending. */
  transactions: TransactionManager | null;
  metrics: ProducerMetrics;
  /** Whether sends wait for buffer memory (then every batch is sendable at once). */
  memoryWaiting: () => boolean;
  /** Metadata arrived or memory was freed: waiting sends may proceed. */
  onProgress: () => void;
}

/**
 * Kafka's Sender: a loop, woken by new full batches, timers and responses, that keeps metadata
 * fresh, gets the idempotent producer id, and drains ready batches into one Produce request per
 * leader, up to max.in.flight.requests.per.connection at once. Each partition result completes
 * its batch, puts it back for a retry, or fails it.
 */
export class Sender {
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly metadataUpdater: MetadataUpdater;
  private producerIdInFlight = false;
  private inFlightBatches = 0;
  private fatal: Error | null = null;
  private stopped = false;

  constructor(private readonly parts: SenderParts) {
    this.metadataUpdater = new MetadataUpdater(parts.metadata, parts.connections, parts.bootstrap, {
      connect: (address) => this.connect(address),
      finished: (updated) => {
        if (updated) parts.onProgress();
        this.wakeup();
      },
      unsupported: (message) => this.failAll(new ProducerError(message)),
    });
  }

  /** Set once the producer can no longer send (e.g. not authorized for idempotence). */
  get fatalError(): Error | null {
    return this.fatal;
  }

  /** Runs the loop soon (once, however often this is called before it runs). */
  wakeup(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.run());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private run(): void {
    this.scheduled = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const { accumulator, metadata, connections, idempotence, transactions, config } = this.parts;
    const now = Date.now();
    for (const batch of accumulator.expire(now)) {
      const q = accumulator.queue(batch.topic, batch.partition);
      idempotence?.failed(q, batch);
      q.muted = false;
      this.fail(
        batch,
        new ProducerTimeoutError(
          `Expiring ${batch.count} record(s) for ${batch.topic}-${batch.partition}:${now - batch.createdMs} ms has passed since batch creation`,
        ),
      );
    }
    let delay = this.metadataUpdater.maybeUpdate(now);
    if (idempotence !== null && !idempotence.ready && transactions === null) this.maybeInitProducerId();
    const ready = accumulator.ready(metadata, now, this.parts.memoryWaiting());
    if (ready.unknownLeader) {
      metadata.requestUpdate();
      delay = Math.min(delay, Math.max(1, metadata.timeToUpdate(now)));
    }
    for (const node of ready.nodes) {
      const address = metadata.broker(node);
      if (address === undefined) continue;
      const conn = connections.get(address);
      if (conn === undefined) {
        if (connections.canConnect(address, now)) this.connect(address);
        else delay = Math.min(delay, Math.max(1, connections.backoffLeft(address, now)));
        continue;
      }
      while (conn.inFlight < config.maxInFlight) {
        const batches = accumulator.drain(
          metadata,
          node,
          config.maxRequestSize,
          now,
          (q, batch) => (idempotence === null || idempotence.canDrain(q, batch)) && (transactions === null || transactions.canSend(q)),
          (q, batch) => {
            idempotence?.assign(q, batch);
            if (config.maxInFlight === 1) q.muted = true;
          },
        );
        if (batches.length === 0) break;
        this.produce(conn, address, batches);
      }
    }
    delay = Math.min(delay, ready.nextDelayMs);
    if (accumulator.incomplete > 0) delay = Math.min(delay, config.deliveryTimeoutMs);
    if (delay !== Infinity) this.timer = setTimeout(() => this.run(), Math.max(1, delay));
  }

  private connect(address: BrokerAddress): void {
    this.parts.connections.connect(address).then(
      () => this.wakeup(),
      (err: Error) => {
        this.parts.config.log?.(`could not connect to ${formatBroker(address)}: ${err.message}`);
        this.parts.metadata.requestUpdate();
        this.wakeup();
      },
    );
  }

  /** InitProducerId: the first one, or an epoch bump once no batch is in flight (KIP-360). */
  private maybeInitProducerId(): void {
    const idempotence = this.parts.idempotence!;
    if (this.producerIdInFlight || (idempotence.needsBump && this.inFlightBatches > 0)) return;
    const conn = this.parts.connections.any();
    if (conn === undefined) return;
    const version = commonVersion(conn.versions!, ApiKey.InitProducerId);
    if (version === undefined) {
      this.failAll(new ProducerError('the broker does not support InitProducerId: set enable.idempotence=false'));
      return;
    }
    const bump = idempotence.needsBump && idempotence.producerId >= 0n && version >= 3 && idempotence.canBumpEpoch;
    this.producerIdInFlight = true;
    const request = {
      transactionalId: null,
      transactionTimeoutMs: NO_TRANSACTION_TIMEOUT,
      producerId: bump ? idempotence.producerId : -1n,
      producerEpoch: bump ? idempotence.epoch : -1,
    };
    conn.request(ApiKey.InitProducerId, version, request).then(
      (response) => {
        this.producerIdInFlight = false;
        if (response.errorCode === ErrorCode.NONE) idempotence.reset(response.producerId, response.producerEpoch);
        else if (!isRetriable(response.errorCode)) {
          const name = errorName(response.errorCode) ?? `error code ${response.errorCode}`;
          this.failAll(new ProducerError(`InitProducerId failed: ${name}`, response.errorCode));
          return;
        }
        this.wakeupAfter(response.errorCode === ErrorCode.NONE ? 0 : this.parts.config.retryBackoffMs);
      },
      () => {
        this.producerIdInFlight = false;
        this.wakeupAfter(this.parts.config.retryBackoffMs);
      },
    );
  }

  private wakeupAfter(ms: number): void {
    if (ms <= 0) this.wakeup();
    else setTimeout(() => this.wakeup(), ms).unref();
  }

  private produce(conn: RawKafkaConnection, address: BrokerAddress, batches: ProducerBatch[]): void {
    const { config } = this.parts;
    const version = commonVersion(conn.versions!, ApiKey.Produce);
    if (version === undefined || version < MIN_PRODUCE_VERSION) {
      const error = new ProducerError(`the broker at ${formatBroker(address)} does not support Produce v3 (record batch format v2)`);
      for (const batch of batches) this.fail(batch, error);
      return;
    }
    const byTopic = new Map<string, ProduceRequestPartitionProduceData[]>();
    const { metrics } = this.parts;
    let bytes = 0;
    for (const b of batches) {
      bytes += b.encoded!.length;
      metrics.batchDrained(b.encoded!.length, b.recordsBytes === 0 ? 1 : (b.encoded!.length - BATCH.HEADER_SIZE) / b.recordsBytes);
      let partitions = byTopic.get(b.topic);
      if (partitions === undefined) byTopic.set(b.topic, (partitions = []));
      partitions.push({ index: b.partition, records: b.wire() });
    }
    const request = {
      transactionalId: this.parts.transactions?.transactionalId ?? null,
      acks: config.acks,
      timeoutMs: config.requestTimeoutMs,
      topicData: [...byTopic].map(([name, partitionData]) => ({ name, partitionData })),
    };
    this.inFlightBatches += batches.length;
    metrics.requestSent(bytes);
    const sentMs = Date.now();
    if (config.acks === 0) {
      conn.sendOnly(ApiKey.Produce, version, request, (err) => {
        this.inFlightBatches -= batches.length;
        if (err) this.networkFailure(batches, err, address);
        else for (const b of batches) this.complete(b, -1n, -1n);
        this.wakeup();
      });
      return;
    }
    const timer = setTimeout(
      () => conn.close(new Error(`no response within request.timeout.ms (${config.requestTimeoutMs} ms)`)),
      config.requestTimeoutMs,
    );
    conn.request(ApiKey.Produce, version, request).then(
      (response) => {
        clearTimeout(timer);
        this.inFlightBatches -= batches.length;
        metrics.responseReceived(Date.now() - sentMs);
        this.handleResponse(batches, response);
        this.wakeup();
      },
      (err: Error) => {
        clearTimeout(timer);
        this.inFlightBatches -= batches.length;
        this.networkFailure(batches, err, address);
        this.wakeup();
      },
    );
  }

  private handleResponse(batches: ProducerBatch[], response: ProduceResponse): void {
    const byPartition = new Map<string, ProducerBatch>();
    for (const b of batches) byPartition.set(`${b.topic}\0${b.partition}`, b);
    const now = Date.now();
    for (const t of response.responses) {
      for (const p of t.partitionResponses) {
        const key = `${t.name}\0${p.index}`;
        const batch = byPartition.get(key);
        if (batch === undefined) continue;
        byPartition.delete(key);
        const q = this.parts.accumulator.queue(batch.topic, batch.partition);
        q.muted = false;
        if (p.errorCode === ErrorCode.NONE || (p.errorCode === ErrorCode.DUPLICATE_SEQUENCE_NUMBER && this.parts.idempotence)) {
          this.parts.idempotence?.acknowledged(q, batch, p.baseOffset);
          this.complete(batch, p.baseOffset, p.logAppendTimeMs);
        } else if (p.errorCode === ErrorCode.MESSAGE_TOO_LARGE && batch.count > 1) {
          const parts = this.parts.accumulator.splitAndReenqueue(batch, (split) => this.parts.idempotence?.split(q, batch, split));
          this.parts.config.log?.(
            `${batch.topic}-${batch.partition}: MESSAGE_TOO_LARGE for ${batch.count} records, split into ${parts} batches`,
          );
        } else {
          const detail = p.errorMessage ?? (p.recordErrors.length > 0 ? p.recordErrors[0]!.batchIndexErrorMessage : null);
          this.retryOrFail(q, batch, p.errorCode, p.logStartOffset, now, brokerError(p.errorCode, batch.topic, batch.partition, detail));
        }
      }
    }
    for (const batch of byPartition.values()) {
      const q = this.parts.accumulator.queue(batch.topic, batch.partition);
      q.muted = false;
      this.parts.idempotence?.failed(q, batch);
      this.fail(batch, new ProducerError(`the broker's Produce response left out ${batch.topic}-${batch.partition}`));
    }
  }

  private networkFailure(batches: ProducerBatch[], err: Error, address: BrokerAddress): void {
    this.parts.metadata.requestUpdate();
    const now = Date.now();
    const error = new BrokerConnectionError(`lost the connection to ${formatBroker(address)}: ${err.message}`, { cause: err });
    for (const batch of batches) {
      const q = this.parts.accumulator.queue(batch.topic, batch.partition);
      q.muted = false;
      this.retryOrFail(q, batch, ErrorCode.NETWORK_EXCEPTION, -1n, now, error);
    }
  }

  private retryOrFail(q: PartitionQueue, batch: ProducerBatch, code: number, logStartOffset: bigint, now: number, error: Error): void {
    const { config, idempotence } = this.parts;
    const attemptsLeft = batch.attempts < config.retries && now - batch.createdMs < config.deliveryTimeoutMs;
    const idempotenceCode = code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER || code === ErrorCode.UNKNOWN_PRODUCER_ID;
    const retriable =
      idempotence !== null && idempotenceCode ? idempotence.verdict(q, batch, code, logStartOffset) === 'retry' : isRetriable(code);
    if (attemptsLeft && retriable) {
      if (STALE_METADATA.has(code)) this.parts.metadata.requestUpdate();
      const backoff = Math.min(config.retryBackoffMaxMs, config.retryBackoffMs * 2 ** batch.attempts);
      config.log?.(
        `retrying ${batch.count} record(s) for ${batch.topic}-${batch.partition} in ${backoff} ms (attempt ${batch.attempts + 1}): ${error.message}`,
      );
      this.parts.metrics.recordsRetried(batch.count);
      this.parts.accumulator.reenqueue(batch, now, backoff);
      return;
    }
    idempotence?.failed(q, batch);
    this.fail(batch, error);
  }

  private complete(batch: ProducerBatch, baseOffset: bigint, logAppendTime: bigint): void {
    const appendTime = logAppendTime >= 0n ? Number(logAppendTime) : -1;
    this.parts.metrics.recordsSent(batch.count);
    batch.forEachRecord((i, callback, timestamp) => {
      deliver(callback, null, new RecordMetadata(batch.topic, batch.partition, baseOffset, i, appendTime >= 0 ? appendTime : timestamp));
    });
    this.release(batch);
  }

  private fail(batch: ProducerBatch, error: Error): void {
    this.parts.transactions?.batchFailed(error);
    this.parts.metrics.recordsFailed(batch.count);
    batch.forEachRecord((_, callback) => deliver(callback, error, null));
    this.release(batch);
  }

  private release(batch: ProducerBatch): void {
    this.parts.accumulator.deallocate(batch);
    this.parts.onProgress();
  }

  /** Fails every batch and, from now on, every send: the producer cannot go on. */
  failAll(error: Error): void {
    this.fatal ??= error;
    for (const batch of this.parts.accumulator.abortAll()) this.fail(batch, error);
  }
}

/** A throwing callback must not break the loop for the other records (Kafka logs and goes on). */
function deliver(
  callback: (err: Error | null, metadata: RecordMetadata | null) => void,
  err: Error | null,
  metadata: RecordMetadata | null,
): void {
  try {
    callback(err, metadata);
  } catch (thrown) {
    process.emitWarning(`a delivery callback threw: ${(thrown as Error)?.message ?? String(thrown)}`);
  }
}
