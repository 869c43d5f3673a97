import { basename, dirname, join } from 'node:path';
import { ATTR, BATCH } from '../../protocol/records/batch-header.js';
import { checkProducedRecordsWithin } from '../../protocol/records/produced-records.js';
import { upConvert } from '../../protocol/records/legacy-conversion.js';
import { type BatchSummary, validateBatches, validateProduceRecords } from '../../protocol/records/validate.js';
import { ApiError, toApiError } from '../api-error.js';
import type { BrokerConfigValues } from '../config/broker-config-defs.js';
import { topicLogConfig } from '../config/topic-config.js';
import { readOffsetCheckpoint } from '../log/checkpoint-file.js';
import { futureDirName, type TopicPartition, topicPartitionKey } from '../log/log-file-names.js';
import type { Log } from '../log/log.js';
import type { LogManager } from '../log/log-manager.js';
import { readPartitionMetadata, writePartitionMetadata } from '../metadata/partition-metadata-file.js';
import { INTERNAL_TOPICS } from '../metadata/topic-name.js';
import type { PartitionState, TopicRecord } from '../metadata/topic-record.js';
import type { RateQuota } from '../replication/replication-quota.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from './decompression-limit.js';
import type { IsrChange } from './isr-state.js';
import { type AppendResult, Partition, type PartitionContext, type ReplicaState, type TxnMarker } from './partition.js';
import { ReplicaAlterLogDirs } from './replica-alter-log-dirs.js';

export const REPLICATION_OFFSET_CHECKPOINT = 'replication-offset-checkpoint';

export interface ProduceEntry {
  topic: string;
  partition: number;
  records: Buffer | null;
  /** KIP-890: the producer's guard when its coordinator verified the partition is in its transaction. */
  verificationGuard?: object;
  /** Refused before the append (a failed verification): answered with this error. */
  refusal?: ApiError;
}

/** A transactional batch whose producer has no open transaction on the partition: its coordinator must confirm the partition first (KIP-890). */
export interface ProduceToVerify {
  index: number;
  topic: string;
  partition: number;
  producerId: bigint;
  producerEpoch: number;
  guard: object;
}

export type ProduceResult = ({ ok: true } & AppendResult) | { ok: false; error: ApiError };

/** A produced entry that passed the checks made before its records are looked at. */
export interface PreparedAppend {
  partition: Partition;
  records: Buffer;
  batch: BatchSummary;
  origin: 'client' | 'coordinator';
  verificationGuard?: object;
}

export interface ProduceOptions {
  requiredAcks: number;
  apiVersion: number;
  /** Only Kafka's own admin client may write to internal topics. */
  internalTopicsAllowed: boolean;
  /** A coordinator's own write: producer batches are checked by epoch only (no sequences). Default: a client's. */
  origin?: 'client' | 'coordinator';
}

/**
 * What happened to a partition, for those waiting on it: records appended (follower fetches wait
 * for these), the high watermark moved (consumer fetches, acks=all produces), or it stopped being
 * served here (deleted, or no longer the leader).
 */
export type PartitionChange = 'appended' | 'highWatermark' | 'stopped';
export type PartitionListener = (key: string, change: PartitionChange, bytes: number) => void;

/** The cluster around the replica manager; a single broker has none (every replica is itself). */
export interface ReplicaCluster {
  isBrokerAlive(brokerId: number): boolean;
  /** Sends an ISR change to the controller; the answer goes to `partition.onIsrChangeAnswered`. */
  submitIsrChange(partition: Partition, change: IsrChange): void;
}

export interface ReplicaManagerOptions {
  logManager: LogManager;
  config: () => BrokerConfigValues;
  localBrokerId: number;
  now?: () => number;
  warn: (message: string) => void;
  info?: (message: string) => void;
  /** replica.alter.log.dirs.io.max.bytes.per.second: what moves between log dirs may copy. */
  alterLogDirsQuota: RateQuota;
  /** Absent for a single broker. */
  cluster?: ReplicaCluster;
}

/** What AlterReplicaLogDirs answers for one partition (Kafka's error names). */
export type AlterLogDirResult =
  | 'NONE'
  | 'LOG_DIR_NOT_FOUND'
  | 'KAFKA_STORAGE_ERROR'
  | 'REPLICA_NOT_AVAILABLE'
  | 'UNKNOWN_TOPIC_OR_PARTITION'
  | 'INVALID_TOPIC_EXCEPTION';

/**
 * The partitions this broker hosts (Kafka's ReplicaManager): creates and deletes their logs,
 * makes them leaders or followers, appends what clients produce, keeps the high watermarks in
 * `replication-offset-checkpoint`, and tells listeners (fetch and produce purgatories) when a
 * partition changes.
 */
export class ReplicaManager {
  readonly #partitions = new Map<string, Partition>();
  readonly #listeners = new Set<PartitionListener>();
  readonly #logManager: LogManager;
  readonly #config: () => BrokerConfigValues;
  readonly #now: () => number;
  readonly #warn: (message: string) => void;
  readonly #context: PartitionContext;
  /** Partitions a single broker could not open at start-up: no log, while a log dir is offline (it may be there). */
  readonly #unloaded = new Set<string>();
  /** High watermarks checkpointed by the previous run, applied as partitions open. */
  readonly #checkpointedHighWatermarks = new Map<string, bigint>();
  /** Fills the future logs of replicas moving between log dirs. */
  readonly #alterLogDirs: ReplicaAlterLogDirs;

  constructor(options: ReplicaManagerOptions) {
    this.#logManager = options.logManager;
    // The cleaner stops at each partition's last stable offset, as Kafka's LogCleanerManager does.
    this.#logManager.lastStableOffsetOf = (log) => this.#partitions.get(topicPartitionKey(log.topicPartition))?.lastStableOffset;
    this.#config = options.config;
    this.#now = options.now ?? Date.now;
    this.#warn = options.warn;
    const info = options.info ?? (() => {});
    this.#alterLogDirs = new ReplicaAlterLogDirs({
      settings: () => {
        const values = this.#config();
        return { fetchMaxBytes: values['replica.fetch.max.bytes'], backoffMs: values['replica.fetch.backoff.ms'] };
      },
      quota: options.alterLogDirsQuota,
      replace: (partition) => this.#logManager.replaceCurrentWithFutureLog(partition.topicPartition),
      abandon: (partition, reason) => {
        this.#warn(`Stopped moving ${partition.log.name} to another log dir: ${reason}`);
        this.#removeFutureLog(partition);
      },
      log: (level, message) => (level === 'warn' ? this.#warn(message) : info(message)),
    });
    const cluster = options.cluster;
    const local = options.localBrokerId;
    this.#context = {
      localBrokerId: local,
      replicaLagTimeMaxMs: () => Number(this.#config()['replica.lag.time.max.ms']),
      isBrokerAlive: (id) => (cluster ? cluster.isBrokerAlive(id) : id === local),
      submitIsrChange: (partition, change) => cluster?.submitIsrChange(partition, change),
      onHighWatermark: (partition) => this.#notify(topicPartitionKey(partition.topicPartition), 'highWatermark', 0),
      now: this.#now,
    };
    for (const dir of this.#logManager.logDirs) {
      try {
        for (const [key, offset] of readOffsetCheckpoint(join(dir, REPLICATION_OFFSET_CHECKPOINT))) {
          this.#checkpointedHighWatermarks.set(key, offset);
        }
      } catch (err) {
        this.#warn(`Ignoring ${REPLICATION_OFFSET_CHECKPOINT} in ${dir}: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Start-up of a single broker: opens a partition for every partition in the metadata, creating
   * missing logs, and deletes logs left behind by topics deleted before a crash (their
   * partition.metadata names a topic that no longer exists, or an older incarnation of the topic).
   * A log without that file is adopted by the topic of its name, or left alone (and unserved) when
   * there is none.
   */
  load(topics: readonly TopicRecord[]): void {
    const wanted = new Map<string, TopicRecord>();
    for (const topic of topics)
      for (const p of topic.partitions) wanted.set(topicPartitionKey({ topic: topic.name, partition: p.partition }), topic);
    for (const log of this.#logManager.logs) {
      const topic = wanted.get(log.name);
      const recordedId = readPartitionMetadata(log.dir);
      if (topic && recordedId === topic.topicId) continue;
      if (topic && recordedId === undefined)
        this.#writePartitionMetadata(log.dir, topic.topicId); // a crash between creating the log and writing the file
      else if (recordedId === undefined) this.#warn(`Ignoring log directory ${log.dir}: it belongs to no known topic`);
      else this.#logManager.deleteLog(log.topicPartition);
    }
    for (const topic of topics) {
      const loadable = topic.partitions.filter((p) => {
        const tp = { topic: topic.name, partition: p.partition };
        if (this.#logManager.getLog(tp) || this.#offlineDirs().length === 0) return true;
        this.#unloaded.add(topicPartitionKey(tp));
        return false;
      });
      this.createPartitions(topic, loadable);
    }
  }

  partition(topic: string, partition: number): Partition | undefined {
    return this.#partitions.get(topicPartitionKey({ topic, partition }));
  }

  /** Every partition this broker holds a replica of. */
  get partitions(): IterableIterator<Partition> {
    return this.#partitions.values();
  }

  /**
   * A single broker's new partitions: their logs opened (or created), each led here. All or
   * nothing: when one cannot be created (a full disk, no descriptors left), the logs this call
   * created are removed again, directories included, before the error is thrown.
   */
  createPartitions(topic: TopicRecord, partitions: readonly PartitionState[]): void {
    const created: TopicPartition[] = [];
    try {
      for (const state of partitions) {
        const tp = { topic: topic.name, partition: state.partition };
        const before = this.#logManager.getLog(tp);
        try {
          this.#open(topic, state.partition).makeLeader({ ...state, partitionEpoch: 0 });
        } finally {
          if (this.#logManager.getLog(tp) !== before) created.push(tp);
        }
      }
    } catch (err) {
      for (const tp of created) {
        this.#partitions.delete(topicPartitionKey(tp));
        this.#logManager.discardLog(tp);
      }
      throw err;
    }
  }

  /**
   * LeaderAndIsr for one partition (Kafka's becomeLeaderOrFollower, per partition): the log is
   * opened or created, then the replica becomes leader or follower. Returns the role it took, or
   * undefined when the state was older than the replica's (nothing changed).
   */
  becomeLeaderOrFollower(
    topic: TopicRecord,
    partitionIndex: number,
    state: ReplicaState,
    isNew: boolean,
  ): 'leader' | 'follower' | undefined {
    const partition = this.#open(topic, partitionIndex, isNew);
    const key = topicPartitionKey(partition.topicPartition);
    if (state.leader === this.#context.localBrokerId) {
      const wasLeader = partition.isLeader;
      if (!partition.makeLeader(state)) return undefined;
      if (!wasLeader) this.#notify(key, 'stopped', 0);
      return 'leader';
    }
    const wasLeader = partition.isLeader;
    const changed = partition.makeFollower(state);
    // Waiting consumers and produces of a former leader learn at once that it no longer leads.
    if (wasLeader) this.#notify(key, 'stopped', 0);
    return changed || wasLeader ? 'follower' : undefined;
  }

  /**
   * StopReplica: the partition is no longer served here; with `deleteLog` its log goes too (and a
   * future log with it). Without, a move between log dirs stops and resumes if the replica comes back.
   */
  stopReplica(tp: TopicPartition, deleteLog: boolean): void {
    const key = topicPartitionKey(tp);
    const partition = this.#partitions.get(key);
    if (partition) this.#alterLogDirs.remove(partition);
    this.#partitions.delete(key);
    this.#checkpointedHighWatermarks.delete(key);
    if (deleteLog) this.#logManager.deleteLog(tp);
    this.#notify(key, 'stopped', 0);
  }

  /**
   * The partitions that went offline with log dir `dir` (Kafka's markPartitionOffline); whoever
   * waits on them (fetches, acks=all produces) is told at once.
   */
  takeOffline(dir: string): Partition[] {
    const offline = [...this.#partitions.values()].filter((p) => p.log.offline && this.#logManager.logDirOf(p.log) === dir);
    for (const partition of offline) this.#notify(topicPartitionKey(partition.topicPartition), 'stopped', 0);
    return offline;
  }

  /**
   * AlterReplicaLogDirs for one partition (Kafka's ReplicaManager.alterReplicaLogDirs): a replica
   * hosted here moves to `logDir` through a future log there, filled from the current one and then
   * swapped in; a move elsewhere under way is cancelled first; one already in `logDir` is NONE.
   * A replica not hosted yet is created in `logDir` later (REPLICA_NOT_AVAILABLE, or
   * UNKNOWN_TOPIC_OR_PARTITION when the cluster does not know it: `known`).
   */
  alterReplicaLogDir(tp: TopicPartition, logDir: string, known: boolean): AlterLogDirResult {
    // Kafka refuses a future dir name past 255 bytes (KAFKA-4893).
    if (Buffer.byteLength(futureDirName(tp)) > 255) return 'INVALID_TOPIC_EXCEPTION';
    if (!this.#logManager.logDirs.includes(logDir)) return 'LOG_DIR_NOT_FOUND';
    if (this.#logManager.isOffline(logDir)) return 'KAFKA_STORAGE_ERROR';
    const key = topicPartitionKey(tp);
    const partition = this.#partitions.get(key);
    if (partition?.log.offline || (!partition && this.#unloaded.has(key))) return 'KAFKA_STORAGE_ERROR';
    const future = partition?.futureLog;
    if (partition && future && this.#logManager.logDirOf(future) !== logDir) {
      this.#alterLogDirs.remove(partition);
      this.#removeFutureLog(partition);
    }
    this.#logManager.setPreferredLogDir(tp, logDir);
    if (!partition) return known ? 'REPLICA_NOT_AVAILABLE' : 'UNKNOWN_TOPIC_OR_PARTITION';
    if (this.#logManager.logDirOf(partition.log) === logDir || partition.futureLog) return 'NONE';
    // Kafka creates no future log while a dir is offline: the replica may have one there.
    if (this.#offlineDirs().length > 0) return 'KAFKA_STORAGE_ERROR';
    const log = this.#logManager.createFutureLog(tp, partition.log.config, logDir);
    const topicId = readPartitionMetadata(partition.log.dir);
    if (topicId !== undefined) this.#writePartitionMetadata(log.dir, topicId);
    partition.setFutureLog(log);
    this.#alterLogDirs.add(partition);
    return 'NONE';
  }

  /** DescribeLogDirs' offset lag of a log: how far a future log is behind the current one, how far a current one is behind the high watermark. */
  offsetLag(log: Log): bigint {
    const partition = this.#partitions.get(log.name);
    if (!partition) return 0n;
    if (log === partition.futureLog) return partition.log.logEndOffset - log.logEndOffset;
    const lag = partition.highWatermark - log.logEndOffset;
    return lag > 0n ? lag : 0n;
  }

  /** Stops the moves between log dirs (the broker is stopping); their future logs stay to resume from. */
  async shutdown(): Promise<void> {
    await this.#alterLogDirs.stop();
  }

  /** Whether the partition's log is (or may be) in a log dir that failed (Kafka's offline replica). */
  isOffline(topic: string, partition: number): boolean {
    return this.partition(topic, partition)?.log.offline ?? this.#unloaded.has(topicPartitionKey({ topic, partition }));
  }

  /** Applies the topic's overrides over the broker's current settings to its logs (after AlterConfigs of either). */
  updateLogConfig(topic: TopicRecord): void {
    this.#logManager.updateTopicConfig(topic.name, topicLogConfig(this.#config(), new Map(Object.entries(topic.configs))));
  }

  /** Deletes every partition of `topic`; fetches waiting on them wake up and see the error. */
  deletePartitions(topic: TopicRecord): void {
    for (const { partition } of topic.partitions) this.stopReplica({ topic: topic.name, partition }, true);
  }

  /** Called with a partition's key when it changes (see PartitionChange). */
  addChangeListener(listener: PartitionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Appends the broker's own batches (small, uncompressed: the group coordinator's), each entry on
   * its own; one partition's failure does not affect the others. Clients' Produce requests go
   * through the produce pipeline, which checks records in slices (produce/produce-pipeline.ts).
   */
  appendRecords(entries: readonly ProduceEntry[], options: ProduceOptions): ProduceResult[] {
    const now = this.#now();
    return entries.map((entry) => {
      let prepared: PreparedAppend;
      try {
        prepared = this.prepareAppend(entry, options);
        const { partition, records, batch } = prepared;
        if (checkProducedRecordsWithin(records, batch, partition.recordRules(now), MAX_DECOMPRESSED_BATCH_BYTES) === undefined) {
          throw new ApiError(
            'MESSAGE_TOO_LARGE',
            `The records in the append to ${partition.log.name} decompress to more than ${MAX_DECOMPRESSED_BATCH_BYTES} bytes.`,
          );
        }
      } catch (err) {
        return this.failed(entry, err);
      }
      return this.appendPrepared(prepared);
    });
  }

  /**
   * Kafka's handleProduceAppend: the entries holding a transactional batch of a producer with no
   * open transaction on a partition led here, each with the producer's verification guard.
   */
  transactionalProducesToVerify(entries: readonly ProduceEntry[]): ProduceToVerify[] {
    const found: ProduceToVerify[] = [];
    for (const [index, entry] of entries.entries()) {
      const records = entry.records;
      if (!records || records.length < BATCH.HEADER_SIZE || records[BATCH.MAGIC] !== 2) continue;
      const attributes = records.readInt16BE(BATCH.ATTRIBUTES);
      const producerId = records.readBigInt64BE(BATCH.PRODUCER_ID);
      if ((attributes & ATTR.TRANSACTIONAL) === 0 || (attributes & ATTR.CONTROL) !== 0 || producerId < 0n) continue;
      const partition = this.partition(entry.topic, entry.partition);
      if (!partition?.isLeader) continue;
      const state = partition.log.producerState;
      if (state.entry(producerId)?.currentTxnFirstOffset !== undefined) continue;
      found.push({
        index,
        topic: entry.topic,
        partition: entry.partition,
        producerId,
        producerEpoch: records.readInt16BE(BATCH.PRODUCER_EPOCH),
        guard: state.verificationGuard(producerId),
      });
    }
    return found;
  }

  /**
   * WriteTxnMarkers: each partition's marker appended on its own, as the coordinator asked
   * (unknown partitions: UNKNOWN_TOPIC_OR_PARTITION; not led here: NOT_LEADER_OR_FOLLOWER).
   */
  appendTxnMarkers(entries: readonly { topic: string; partition: number; marker: TxnMarker }[]): ProduceResult[] {
    const now = this.#now();
    return entries.map((entry) => {
      try {
        const partition = this.partition(entry.topic, entry.partition);
        if (!partition) throw unknownPartition(entry);
        const result = partition.appendTxnMarker(entry.marker, now);
        this.#notify(topicPartitionKey(partition.topicPartition), 'appended', 0);
        return { ok: true, ...result };
      } catch (err) {
        const error = toApiError(err);
        if (error.errorName === 'UNKNOWN_SERVER_ERROR') this.#warn(`Marker for ${entry.topic}-${entry.partition} failed: ${error.message}`);
        return { ok: false, error };
      }
    });
  }

  /** Leaders whose followers fell behind send the smaller ISR to the controller (every replica.lag.time.max.ms / 2). */
  shrinkIsrs(): void {
    for (const partition of this.#partitions.values()) partition.maybeShrinkIsr();
  }

  /** Writes every partition's high watermark to its log dir's `replication-offset-checkpoint` (none in an offline dir). */
  checkpointHighWatermarks(): void {
    const highWatermarkOf = (log: Log) => {
      const partition = this.#partitions.get(topicPartitionKey(log.topicPartition));
      return partition?.log === log ? partition.highWatermark : undefined;
    };
    for (const dir of this.#logManager.logDirs) this.#logManager.writeCheckpoint(dir, REPLICATION_OFFSET_CHECKPOINT, highWatermarkOf);
  }

  /**
   * The partition, its log opened or created. A replica that is not new (LeaderAndIsr's isNew) and
   * has no log while a log dir is offline may have it there: KAFKA_STORAGE_ERROR, as Kafka's
   * getOrCreateLog, rather than an empty log in its place.
   */
  #open(topic: TopicRecord, index: number, isNew = true): Partition {
    const tp = { topic: topic.name, partition: index };
    const key = topicPartitionKey(tp);
    const opened = this.#partitions.get(key);
    if (opened) return opened;
    const existing = this.#logManager.getLog(tp);
    if (!existing && !isNew && this.#offlineDirs().length > 0) throw this.#maybeInOfflineDir(tp);
    if (existing && readPartitionMetadata(existing.dir) !== topic.topicId) {
      // A stray log of that name (not opened at load): the new topic starts empty.
      this.#logManager.deleteLog(tp);
    }
    const config = topicLogConfig(this.#config(), new Map(Object.entries(topic.configs)));
    const log = this.#logManager.getOrCreateLog(tp, config);
    if (readPartitionMetadata(log.dir) !== topic.topicId) this.#writePartitionMetadata(log.dir, topic.topicId);
    const partition = new Partition(log, this.#context, this.#checkpointedHighWatermarks.get(key));
    this.#partitions.set(key, partition);
    this.#resumeMove(partition, topic.topicId);
    return partition;
  }

  /** A future log found at start-up (or kept by StopReplica without deletion): the move goes on, as Kafka resumes it. */
  #resumeMove(partition: Partition, topicId: string): void {
    const future = this.#logManager.getFutureLog(partition.topicPartition);
    if (!future) return;
    if (future.offline || readPartitionMetadata(future.dir) !== topicId) {
      // Another incarnation of the topic, or a dir that failed: nothing to resume.
      this.#logManager.deleteFutureLog(partition.topicPartition);
      return;
    }
    partition.setFutureLog(future);
    this.#alterLogDirs.add(partition);
  }

  #removeFutureLog(partition: Partition): void {
    const future = partition.removeFutureLog();
    if (future && this.#logManager.getFutureLog(partition.topicPartition) === future) {
      try {
        this.#logManager.deleteFutureLog(partition.topicPartition);
      } catch (err) {
        this.#warn(`Could not delete the future log of ${partition.log.name}: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Produce's checks of one entry before its records are looked at: not refused by its transaction's
   * verification (KIP-890), not an internal topic (unless
   * allowed), a partition hosted here, one valid batch header (v0-2 message sets up-converted to
   * a v2 batch), then the partition's own (min ISR, max.message.bytes). Throws what to answer.
   */
  prepareAppend(entry: ProduceEntry, options: ProduceOptions): PreparedAppend {
    if (entry.refusal) throw entry.refusal;
    if (INTERNAL_TOPICS.has(entry.topic) && !options.internalTopicsAllowed) {
      throw new ApiError('INVALID_TOPIC_EXCEPTION', `Cannot append to internal topic ${entry.topic}`);
    }
    const partition = this.partition(entry.topic, entry.partition);
    if (!partition) {
      const tp = { topic: entry.topic, partition: entry.partition };
      throw this.#unloaded.has(topicPartitionKey(tp)) ? this.#maybeInOfflineDir(tp) : unknownPartition(tp);
    }
    partition.checkLeader();
    if (entry.records === null) throw new ApiError('INVALID_RECORD', 'Produce request records must not be null');
    let records = entry.records;
    let batch: BatchSummary;
    if (options.apiVersion >= 3) {
      batch = validateProduceRecords(records, options.apiVersion);
    } else {
      if (records.length > BATCH.MAGIC && records[BATCH.MAGIC] === 2) {
        throw new ApiError(
          'INVALID_RECORD',
          `Produce requests with version ${options.apiVersion} are only allowed to contain record batches with magic version 0 or 1`,
        );
      }
      // Up-converted at once: what the request could hold uncompressed bounds it (not checked in slices).
      records = upConvert(records, { maxDecompressedBytes: this.#config()['socket.request.max.bytes'] });
      batch = validateBatches(records, 'client')[0]!;
    }
    partition.checkAppend(records, options.requiredAcks);
    return { partition, records, batch, origin: options.origin ?? 'client', verificationGuard: entry.verificationGuard };
  }

  /** Appends an entry whose records passed their checks, and tells the listeners. */
  appendPrepared({ partition, records, origin, verificationGuard }: PreparedAppend): ProduceResult {
    try {
      const result = partition.appendValidated(records, this.#now(), origin, verificationGuard);
      this.#notify(topicPartitionKey(partition.topicPartition), 'appended', records.length);
      return { ok: true, ...result };
    } catch (err) {
      return this.failed(partition.topicPartition, err);
    }
  }

  /** An entry's failure as Produce answers it; a broker fault is also logged. */
  failed(tp: TopicPartition, err: unknown): ProduceResult {
    const error = toApiError(err);
    if (error.errorName === 'UNKNOWN_SERVER_ERROR') this.#warn(`Append to ${topicPartitionKey(tp)} failed: ${error.message}`);
    return { ok: false, error };
  }

  #offlineDirs(): string[] {
    return this.#logManager.logDirs.filter((dir) => this.#logManager.isOffline(dir));
  }

  #maybeInOfflineDir(tp: TopicPartition): ApiError {
    return new ApiError(
      'KAFKA_STORAGE_ERROR',
      `Can not create log for ${topicPartitionKey(tp)} because log directories ${this.#offlineDirs().join(',')} are offline`,
    );
  }

  #writePartitionMetadata(partitionDir: string, topicId: string): void {
    this.#logManager.io(dirname(partitionDir), `writing the partition metadata of ${basename(partitionDir)}`, () =>
      writePartitionMetadata(partitionDir, topicId),
    );
  }

  #notify(key: string, change: PartitionChange, bytes: number): void {
    for (const listener of this.#listeners) listener(key, change, bytes);
  }
}

function unknownPartition(tp: TopicPartition): ApiError {
  return new ApiError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic-partition: ${topicPartitionKey(tp)}`);
}
