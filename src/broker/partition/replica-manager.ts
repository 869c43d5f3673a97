import { BATCH } from '../../protocol/records/batch-header.js';
import { upConvert } from '../../protocol/records/legacy-conversion.js';
import { validateBatches, validateProduceRecords, type BatchSummary } from '../../protocol/records/validate.js';
import { ApiError, toApiError } from '../api-error.js';
import type { BrokerConfigValues } from '../config/broker-config-defs.js';
import { topicLogConfig } from '../config/topic-config.js';
import { topicPartitionKey, type TopicPartition } from '../log/log-file-names.js';
import type { LogManager } from '../log/log-manager.js';
import { INTERNAL_TOPICS } from '../metadata/topic-name.js';
import { readPartitionMetadata, writePartitionMetadata } from '../metadata/partition-metadata-file.js';
import type { PartitionState, TopicRecord } from '../metadata/topic-record.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from './decompression-limit.js';
import { type AppendResult, Partition } from './partition.js';

export interface ProduceEntry {
  topic: string;
  partition: number;
  records: Buffer | null;
}

export type ProduceResult = ({ ok: true } & AppendResult) | { ok: false; error: ApiError };

export interface ProduceOptions {
  requiredAcks: number;
  apiVersion: number;
  /** Only Kafka's own admin client may write to internal topics. */
  internalTopicsAllowed: boolean;
}

export interface ReplicaManagerOptions {
  logManager: LogManager;
  config: () => BrokerConfigValues;
  now?: () => number;
  warn: (message: string) => void;
}

/**
 * The partitions this broker hosts (Kafka's ReplicaManager): creates and deletes their logs,
 * appends what clients produce, and tells listeners (the fetch purgatory) when a partition
 * changes.
 */
export class ReplicaManager {
  readonly #partitions = new Map<string, Partition>();
  readonly #listeners = new Set<(key: string, bytes: number) => void>();
  readonly #logManager: LogManager;
  readonly #config: () => BrokerConfigValues;
  readonly #now: () => number;
  readonly #warn: (message: string) => void;

  constructor(options: ReplicaManagerOptions) {
    this.#logManager = options.logManager;
    this.#config = options.config;
    this.#now = options.now ?? Date.now;
    this.#warn = options.warn;
  }

  /**
   * Start-up: opens a partition for every partition in the metadata, creating missing logs, and
   * deletes logs left behind by topics deleted before a crash (their partition.metadata names a
   * topic that no longer exists, or an older incarnation of the topic). A log without that file
   * is adopted by the topic of its name, or left alone (and unserved) when there is none.
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
        writePartitionMetadata(log.dir, topic.topicId); // a crash between creating the log and writing the file
      else if (recordedId === undefined) this.#warn(`Ignoring log directory ${log.dir}: it belongs to no known topic`);
      else this.#logManager.deleteLog(log.topicPartition);
    }
    for (const topic of topics) this.createPartitions(topic, topic.partitions);
  }

  partition(topic: string, partition: number): Partition | undefined {
    return this.#partitions.get(topicPartitionKey({ topic, partition }));
  }

  /** Opens (creating if needed) the logs of `partitions` of `topic`. */
  createPartitions(topic: TopicRecord, partitions: readonly PartitionState[]): void {
    const config = topicLogConfig(this.#config(), new Map(Object.entries(topic.configs)));
    for (const state of partitions) {
      const tp = { topic: topic.name, partition: state.partition };
      const key = topicPartitionKey(tp);
      const existing = this.#logManager.getLog(tp);
      if (existing && !this.#partitions.has(key) && readPartitionMetadata(existing.dir) !== topic.topicId) {
        // A stray log of that name (not opened at load): the new topic starts empty.
        this.#logManager.deleteLog(tp);
      }
      const log = this.#logManager.getOrCreateLog(tp, config);
      if (readPartitionMetadata(log.dir) !== topic.topicId) writePartitionMetadata(log.dir, topic.topicId);
      this.#partitions.set(key, new Partition(log, state));
    }
  }

  /** Applies the topic's overrides over the broker's current settings to its logs (after AlterConfigs of either). */
  updateLogConfig(topic: TopicRecord): void {
    this.#logManager.updateTopicConfig(topic.name, topicLogConfig(this.#config(), new Map(Object.entries(topic.configs))));
  }

  /** Deletes every partition of `topic`; fetches waiting on them wake up and see the error. */
  deletePartitions(topic: TopicRecord): void {
    for (const { partition } of topic.partitions) {
      const tp = { topic: topic.name, partition };
      const key = topicPartitionKey(tp);
      this.#partitions.delete(key);
      this.#logManager.deleteLog(tp);
      this.#notify(key, 0);
    }
  }

  /** Called with a partition's key and the bytes appended (0: the partition went away). */
  addChangeListener(listener: (key: string, bytes: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Produce: validates and appends each entry on its own; one partition's failure does not affect the others. */
  appendRecords(entries: readonly ProduceEntry[], options: ProduceOptions): ProduceResult[] {
    const now = this.#now();
    return entries.map((entry) => {
      try {
        const { partition, records, batch } = this.#prepareAppend(entry, options);
        const result = partition.appendAsLeader(records, batch, options.requiredAcks, now);
        this.#notify(topicPartitionKey(partition.topicPartition), records.length);
        return { ok: true, ...result };
      } catch (err) {
        const error = toApiError(err);
        if (error.errorName === 'UNKNOWN_SERVER_ERROR') this.#warn(`Append to ${entry.topic}-${entry.partition} failed: ${error.message}`);
        return { ok: false, error };
      }
    });
  }

  #prepareAppend(entry: ProduceEntry, options: ProduceOptions): { partition: Partition; records: Buffer; batch: BatchSummary } {
    if (INTERNAL_TOPICS.has(entry.topic) && !options.internalTopicsAllowed) {
      throw new ApiError('INVALID_TOPIC_EXCEPTION', `Cannot append to internal topic ${entry.topic}`);
    }
    const partition = this.partition(entry.topic, entry.partition);
    if (!partition) throw unknownPartition({ topic: entry.topic, partition: entry.partition });
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
      records = upConvert(records, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
      batch = validateBatches(records, 'client')[0]!;
    }
    if (batch.isTransactional) throw new ApiError('INVALID_TXN_STATE', 'Transactional records are not supported by this broker');
    return { partition, records, batch };
  }

  #notify(key: string, bytes: number): void {
    for (const listener of this.#listeners) listener(key, bytes);
  }
}

function unknownPartition(tp: TopicPartition): ApiError {
  return new ApiError('UNKNOWN_TOPIC_OR_PARTITION', `This server does not host this topic-partition: ${topicPartitionKey(tp)}`);
}
