import { ErrorCode } from '../../protocol/errors.js';
import { BATCH } from '../../protocol/records/batch-header.js';
import { crc32Lib } from '../../protocol/records/native-codecs.js';
import type { RecordHeader } from '../../protocol/records/record.js';
import { connectToCluster, type BrokerConnections } from '../broker-connections.js';
import { ClusterMetadata } from '../cluster-metadata.js';
import { EXCEEDS_MEMORY, NEEDS_MEMORY, RecordAccumulator, type PartitionQueue } from './accumulator.js';
import { IdempotenceState } from './idempotence.js';
import { StickyPartitioner, checkCustomPartition, checkExplicitPartition, partitionForKey, type TopicPartitions } from './partitioner.js';
import { recordSizeUpperBound, sizeUpperBound } from './producer-batch.js';
import { resolveProducerConfig, type NativeProducerConfig, type ProducerOptions } from './producer-config.js';
import { ProducerError, ProducerTimeoutError } from './producer-errors.js';
import { topicErrorText } from '../topic-errors.js';
import type { DeliveryCallback, ProducerHeader, ProducerRecord, RecordMetadata } from './producer-record.js';
import { ProducerMetrics, type ProducerMetric } from './producer-metrics.js';
import { Sender } from './sender.js';
import { TransactionManager } from './transactions.js';

export interface NativeProducer {
  /**
   * Hands a record to the producer; `callback` runs once with its outcome. Never throws for a
   * bad record: that record's callback gets the error. Returns false when the record has to wait
   * (for buffer memory or topic metadata): send more only after `ready()` resolves.
   */
  send(record: ProducerRecord, callback: DeliveryCallback): boolean;
  /**
   * `send({ topic, value: source.subarray(start, end), timestamp }, callback)` without making the
   * record or the view: for tools that send many values cut from one buffer (the lines of an
   * input chunk), where those objects cost more than the append itself. `source` must stay as it
   * is until the producer accepted the record (true, or once `ready()` resolves).
   */
  sendValue(topic: string, source: Buffer, start: number, end: number, timestamp: number, callback: DeliveryCallback): boolean;
  /** `send` as a promise: convenient, and one Promise per record. */
  sendAsync(record: ProducerRecord): Promise<RecordMetadata>;
  /** Resolves when no record is waiting, so `send` accepts records at once again. */
  ready(): Promise<void>;
  /** Sends everything now (ignoring linger.ms); resolves when every record so far has an outcome. */
  flush(): Promise<void>;
  /** Flushes, then closes the connections. Later sends fail. */
  close(): Promise<void>;
  /**
   * Transactions (transactional.id set), as KafkaProducer has them: `initTransactions` once, then
   * per transaction `beginTransaction`, sends, and `commitTransaction` (or `abortTransaction`),
   * which wait for every record's outcome first.
   */
  initTransactions(): Promise<void>;
  beginTransaction(): void;
  commitTransaction(): Promise<void>;
  abortTransaction(): Promise<void>;
  /** Kafka's producer metrics, as far as kts keeps them (see producer-metrics.ts). */
  metrics(): ProducerMetric[];
}

/**
 * A Kafka producer on kts's own protocol layer, with the Java producer's semantics: its
 * partitioner, batching (batch.size, linger.ms, buffer.memory), acks, retries and idempotence.
 * Resolves once a bootstrap server answered; rejects with a BrokerConnectionError when none did.
 */
export async function createNativeProducer(options: ProducerOptions): Promise<NativeProducer> {
  const config = resolveProducerConfig(options);
  const connections = await connectToCluster(config);
  return new Producer(config, connections);
}

interface Waiting {
  record: ProducerRecord;
  callback: DeliveryCallback;
  deadlineMs: number;
}

function toBytes(v: Buffer | string | null | undefined): Buffer | null {
  return v === undefined || v === null ? null : typeof v === 'string' ? Buffer.from(v) : v;
}

/**
 * What sendValue's common case looked up for its last topic: its metadata and sticky partitioner
 * (kept until the metadata is updated) and the queue of the partition last stuck to. Looked up for
 * every value, they cost 5-10 % of console-producer's time (bench/README.md).
 */
interface ValuePath {
  readonly topic: string;
  readonly metadataVersion: number;
  readonly partitions: TopicPartitions;
  readonly sticky: StickyPartitioner;
  queue: PartitionQueue | undefined;
}

class Producer implements NativeProducer {
  private readonly metadata: ClusterMetadata;
  private readonly accumulator: RecordAccumulator;
  private readonly sender: Sender;
  private readonly transactions: TransactionManager | null;
  private readonly counters: ProducerMetrics;
  private readonly sticky = new Map<string, StickyPartitioner>();
  private readonly waiting: Waiting[] = [];
  private waitingTimer: NodeJS.Timeout | undefined;
  private waiters: Array<() => void> = [];
  private closed = false;
  private valuePath: ValuePath | undefined;

  constructor(
    private readonly config: NativeProducerConfig,
    private readonly connections: BrokerConnections,
  ) {
    this.metadata = new ClusterMetadata(config.metadataMaxAgeMs, config.retryBackoffMs, true);
    for (const topic of config.topics) this.metadata.want(topic);
    this.accumulator = new RecordAccumulator(config);
    this.counters = new ProducerMetrics(config.clientId);
    const idempotence = config.idempotent ? new IdempotenceState(config.transactionalId !== null) : null;
    this.transactions =
      config.transactionalId === null
        ? null
        : new TransactionManager({ ...config, transactionalId: config.transactionalId }, connections, config.bootstrap, idempotence!, () =>
            this.sender.wakeup(),
          );
    this.sender = new Sender({
      config,
      metadata: this.metadata,
      accumulator: this.accumulator,
      connections,
      bootstrap: config.bootstrap,
      idempotence,
      transactions: this.transactions,
      metrics: this.counters,
      memoryWaiting: () => this.waiting.length > 0,
      onProgress: () => this.progress(),
    });
    this.sender.wakeup();
    // Every batch needs the checksum addon (several ms to load): loading it once the sender's
    // first requests are out takes it off the first send's path. Should it fail to load, the
    // first batch reports why.
    setImmediate(() => {
      try {
        crc32Lib();
      } catch {}
    });
  }

  send(record: ProducerRecord, callback: DeliveryCallback): boolean {
    const refused = this.refusal();
    if (refused !== null) {
      callback(refused, null);
      return true;
    }
    if (this.waiting.length === 0 && this.append(record, callback, Date.now())) return true;
    this.waiting.push({ record, callback, deadlineMs: Date.now() + this.config.maxBlockMs });
    this.armWaitingTimer();
    return false;
  }

  sendValue(topic: string, source: Buffer, start: number, end: number, timestamp: number, callback: DeliveryCallback): boolean {
    return (
      this.appendValue(topic, source, start, end, timestamp, callback) ||
      this.send({ topic, value: source.subarray(start, end), timestamp }, callback)
    );
  }

  sendAsync(record: ProducerRecord): Promise<RecordMetadata> {
    return new Promise((resolve, reject) => {
      this.send(record, (err, metadata) => (err ? reject(err) : resolve(metadata!)));
    });
  }

  ready(): Promise<void> {
    return this.until(() => this.waiting.length === 0);
  }

  async flush(): Promise<void> {
    this.accumulator.flushing++;
    this.sender.wakeup();
    try {
      await this.until(() => this.waiting.length === 0 && this.accumulator.incomplete === 0);
    } finally {
      this.accumulator.flushing--;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    clearTimeout(this.waitingTimer);
    this.sender.stop();
    this.connections.closeAll();
  }

  initTransactions(): Promise<void> {
    return this.transactional().initTransactions();
  }

  beginTransaction(): void {
    this.transactional().beginTransaction();
  }

  commitTransaction(): Promise<void> {
    return this.transactional().complete(true, () => this.flush());
  }

  abortTransaction(): Promise<void> {
    return this.transactional().complete(false, () => this.flush());
  }

  metrics(): ProducerMetric[] {
    return this.counters.snapshot();
  }

  private transactional(): TransactionManager {
    if (this.transactions === null) throw new ProducerError('Transactions need a transactional.id');
    return this.transactions;
  }

  /** Why no record is accepted now (closed, outside a transaction, a fatal error), or null. */
  private refusal(): Error | null {
    return this.closed
      ? new ProducerError('Cannot perform operation after producer has been closed')
      : this.transactions !== null && !this.transactions.inTransaction
        ? new ProducerError('Cannot call send outside a transaction: call beginTransaction first')
        : this.sender.fatalError;
  }

  /**
   * sendValue's common case, appended without the general path's objects and lookups: a keyless
   * record into the open batch of the partition the sticky partitioner is on, or a new one. False,
   * having appended nothing, whenever anything else applies (a refusal, records waiting, no
   * metadata or sticky partition yet, a partitioner.class, no memory for a new batch, a value it
   * cannot take): `send` then decides, as for any record.
   */
  private appendValue(topic: string, source: Buffer, start: number, end: number, timestamp: number, callback: DeliveryCallback): boolean {
    if (this.waiting.length > 0 || this.config.partitioner !== null || this.refusal() !== null) return false;
    const path = this.valuePathFor(topic);
    const size = sizeUpperBound(0, end - start, 1);
    if (path === undefined || this.tooLarge(size) !== undefined) return false;
    const { partitions, sticky } = path;
    const partition = sticky.partition(partitions);
    let q = path.queue;
    if (q?.partition !== partition) path.queue = q = this.accumulator.queue(topic, partition);
    let appended = this.accumulator.openBatch(q)?.tryAppendValue(timestamp, source, start, end, callback) ?? -1;
    const opened = appended < 0;
    if (opened) {
      const batch = this.accumulator.newBatch(q, size, Date.now());
      if (typeof batch === 'number') return false;
      appended = BATCH.HEADER_SIZE + batch.tryAppendValue(timestamp, source, start, end, callback);
    }
    this.appended(q, partitions, sticky, appended, opened);
    return true;
  }

  /** The lookups of `topic` for appendValue, made again once the metadata changed; undefined until it has both. */
  private valuePathFor(topic: string): ValuePath | undefined {
    const path = this.valuePath;
    const metadataVersion = this.metadata.version;
    if (path !== undefined && path.topic === topic && path.metadataVersion === metadataVersion) return path;
    const partitions = this.metadata.topic(topic);
    const sticky = this.sticky.get(topic);
    if (partitions === undefined || sticky === undefined) return undefined;
    return (this.valuePath = { topic, metadataVersion, partitions, sticky, queue: undefined });
  }

  /** Appends the record, or fails it through its callback; false when it has to wait. */
  private append(record: ProducerRecord, callback: DeliveryCallback, nowMs: number): boolean {
    const topic = this.metadata.topic(record.topic);
    if (topic === undefined) {
      const code = this.metadata.topicError(record.topic);
      if (code !== undefined) {
        callback(new ProducerError(topicErrorText(code, record.topic), code), null);
        return true;
      }
      this.metadata.want(record.topic);
      this.sender.wakeup();
      return false;
    }
    const key = toBytes(record.key);
    const value = record.value ?? null;
    const headers = record.headers;
    const size = recordSizeUpperBound(key, value, headers);
    const tooLarge = this.tooLarge(size);
    if (tooLarge !== undefined) {
      callback(
        new ProducerError(`The message is ${size} bytes when serialized which is larger than ${tooLarge}`, ErrorCode.MESSAGE_TOO_LARGE),
        null,
      );
      return true;
    }
    let partition: number;
    let sticky: StickyPartitioner | undefined;
    try {
      partition = this.partition(record, topic, key, value, headers);
      if (partition < 0) {
        sticky = this.stickyFor(record.topic);
        partition = sticky.partition(topic);
      }
    } catch (err) {
      callback(err as Error, null);
      return true;
    }
    const q = this.accumulator.queue(record.topic, partition);
    const batches = q.batches.length;
    const appended = this.accumulator.append(q, record.timestamp ?? nowMs, key, value, headers, callback, size, nowMs);
    if (appended === NEEDS_MEMORY) return false;
    if (appended === EXCEEDS_MEMORY) {
      // BufferPool.allocate's IllegalArgumentException: the batch this record needs can never be had.
      const needed = Math.max(this.config.batchSize, size);
      callback(
        new ProducerError(
          `Attempt to allocate ${needed} bytes, but there is a hard limit of ${this.config.bufferMemory} on memory allocations.`,
        ),
        null,
      );
      return true;
    }
    this.appended(q, topic, sticky, appended, q.batches.length !== batches);
    return true;
  }

  /** What limit a record of `size` bytes (upper bound) is over, in Kafka's words; undefined when none. */
  private tooLarge(size: number): string | undefined {
    return size > this.config.maxRequestSize
      ? `${this.config.maxRequestSize}, which is the value of the max.request.size configuration.`
      : size > this.config.bufferMemory
        ? 'the total memory buffer you have configured with the buffer.memory configuration.'
        : undefined;
  }

  /** A record took `appended` bytes of queue `q`, a batch header included when it opened a batch. */
  private appended(
    q: PartitionQueue,
    topic: TopicPartitions,
    sticky: StickyPartitioner | undefined,
    appended: number,
    openedBatch: boolean,
  ): void {
    this.counters.recordAppended(openedBatch ? appended - BATCH.HEADER_SIZE : appended);
    sticky?.appended(appended, topic, this.accumulator.openBatch(q) === undefined);
    // A new batch means the previous one filled up, or a linger timer is needed.
    if (openedBatch) this.sender.wakeup();
  }

  /** An explicit, custom-partitioner or key-hash partition; -1 leaves it to the sticky partitioner. */
  private partition(
    record: ProducerRecord,
    topic: TopicPartitions,
    key: Buffer | null,
    value: Buffer | string | null,
    headers: readonly ProducerHeader[] | undefined,
  ): number {
    if (record.partition !== undefined) return checkExplicitPartition(record.partition, topic.count);
    const custom = this.config.partitioner;
    if (custom !== null) {
      const chosen = custom(
        { topic: record.topic, key, value: toBytes(value), headers: (headers ?? []).map(headerBytes) },
        { partitions: topic.count, availablePartitions: topic.available },
      );
      return checkCustomPartition(chosen, topic.count);
    }
    if (key !== null && !this.config.ignoreKeys) return partitionForKey(key, topic.count);
    return -1;
  }

  private stickyFor(topic: string): StickyPartitioner {
    let sticky = this.sticky.get(topic);
    if (sticky === undefined) this.sticky.set(topic, (sticky = new StickyPartitioner(this.config.batchSize)));
    return sticky;
  }

  /** Metadata arrived or memory was freed: let waiting records in, wake whoever waits. */
  private progress(): void {
    const now = Date.now();
    const fatal = this.sender.fatalError;
    if (fatal !== null) for (const w of this.waiting.splice(0)) w.callback(fatal, null);
    while (this.waiting.length > 0) {
      const head = this.waiting[0]!;
      if (!this.append(head.record, head.callback, now)) break;
      this.waiting.shift();
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Fails waiting records whose max.block.ms ran out, as Kafka's send would throw. */
  private armWaitingTimer(): void {
    if (this.waitingTimer !== undefined || this.waiting.length === 0) return;
    this.waitingTimer = setTimeout(
      () => {
        this.waitingTimer = undefined;
        const now = Date.now();
        while (this.waiting.length > 0 && this.waiting[0]!.deadlineMs <= now) {
          const { record, callback } = this.waiting.shift()!;
          const why =
            this.metadata.topic(record.topic) === undefined
              ? `Topic ${record.topic} not present in metadata after ${this.config.maxBlockMs} ms.`
              : `Failed to allocate memory within the configured max blocking time ${this.config.maxBlockMs} ms.`;
          callback(new ProducerTimeoutError(why), null);
        }
        this.progress();
        this.armWaitingTimer();
      },
      Math.max(1, this.waiting[0]!.deadlineMs - Date.now()),
    );
  }

  /** Resolves once `done()` holds, checked whenever something progresses. */
  private async until(done: () => boolean): Promise<void> {
    while (!done() && this.sender.fatalError === null) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

function headerBytes(h: ProducerHeader): RecordHeader {
  return { key: h.key, value: toBytes(h.value) };
}
