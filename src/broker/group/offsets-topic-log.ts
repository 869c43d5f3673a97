import { API_INFO, ApiKey } from '../../protocol/generated/api-info.js';
import { BATCH } from '../../protocol/records/batch-header.js';
import { iterateBatches } from '../../protocol/records/batch-iterator.js';
import { decodeBatch, encodeBatch } from '../../protocol/records/record-batch.js';
import type { NewTopic } from '../admin/topic-admin.js';
import { ApiError } from '../api-error.js';
import type { BrokerConfigValues } from '../config/broker-config-defs.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import { IsolationLevel } from '../partition/partition.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '../partition/decompression-limit.js';
import type { ReplicaManager } from '../partition/replica-manager.js';
import type { CoordinatorRecord } from './coordinator-records.js';
import type { ErrorName } from '../../protocol/errors.js';
import type { ProducePurgatory } from '../replication/delayed-produce.js';
import { CoordinatorUnavailableError, type CoordinatorWriteError, type GroupLog } from './group-log.js';

export const OFFSETS_TOPIC = '__consumer_offsets';

const READ_CHUNK_BYTES = 1 << 20;
const PRODUCE_VERSION = API_INFO[ApiKey.Produce].maxVersion;

export interface OffsetsTopicLogOptions {
  cache: MetadataCache;
  replicaManager: ReplicaManager;
  /** TopicAdmin.createTopic without validateOnly; refusals are ApiErrors. */
  createTopic: (topic: NewTopic) => Promise<unknown>;
  config: () => BrokerConfigValues;
  /** acks=-1 writes waiting for the ISR. */
  producePurgatory: ProducePurgatory;
  now?: () => number;
  warn: (message: string) => void;
}

/**
 * `__consumer_offsets` through the broker's own partitions, so its records are fetchable like any
 * topic's. Created on first use with offsets.topic.* settings, compacted, as Kafka creates it.
 */
export class OffsetsTopicLog implements GroupLog {
  #creating: Promise<void> | undefined;

  constructor(private readonly options: OffsetsTopicLogOptions) {}

  partitionCount(): number {
    return this.options.cache.topic(OFFSETS_TOPIC)?.partitions.length ?? this.options.config()['offsets.topic.num.partitions'];
  }

  exists(): boolean {
    return this.options.cache.topic(OFFSETS_TOPIC) !== undefined;
  }

  ensureExists(): Promise<void> {
    if (this.options.cache.topic(OFFSETS_TOPIC)) return Promise.resolve();
    this.#creating ??= this.#create().finally(() => (this.#creating = undefined));
    return this.#creating;
  }

  append(partition: number, records: readonly CoordinatorRecord[]): void {
    const now = BigInt((this.options.now ?? Date.now)());
    const batch = encodeBatch({ records: records.map((r) => ({ key: r.key, value: r.value, timestamp: now })) });
    const [result] = this.options.replicaManager.appendRecords([{ topic: OFFSETS_TOPIC, partition, records: batch }], {
      requiredAcks: -1,
      apiVersion: PRODUCE_VERSION,
      internalTopicsAllowed: true,
    });
    if (!result!.ok) throw new CoordinatorUnavailableError(`Cannot write to ${OFFSETS_TOPIC}-${partition}: ${result!.error.message}`);
  }

  logEndOffset(partition: number): bigint {
    const p = this.options.replicaManager.partition(OFFSETS_TOPIC, partition);
    return p?.isLeader ? p.log.logEndOffset : -1n;
  }

  /** Waits up to offsets.commit.timeout.ms; Kafka maps a lost leadership to NOT_COORDINATOR and the rest to COORDINATOR_NOT_AVAILABLE. */
  awaitReplicated(partition: number, offset: bigint): Promise<CoordinatorWriteError> | CoordinatorWriteError {
    const p = this.options.replicaManager.partition(OFFSETS_TOPIC, partition);
    if (!p) return 'NOT_COORDINATOR';
    const state = p.replicationOf(offset);
    if (state.done) return coordinatorWriteError(state.error);
    return this.options.producePurgatory
      .wait([{ partition: p, requiredOffset: offset }], this.options.config()['offsets.commit.timeout.ms'])
      .then(([outcome]) => coordinatorWriteError(outcome!));
  }

  replay(partition: number, visit: (record: CoordinatorRecord) => void): void {
    const p = this.options.replicaManager.partition(OFFSETS_TOPIC, partition);
    if (!p) return;
    let offset = p.log.logStartOffset;
    for (;;) {
      const chunk = p.read(offset, READ_CHUNK_BYTES, IsolationLevel.READ_UNCOMMITTED, true).records;
      if (chunk.length === 0) return;
      const before = offset;
      for (const bytes of iterateBatches(chunk)) {
        offset = bytes.readBigInt64BE(BATCH.BASE_OFFSET) + BigInt(bytes.readInt32BE(BATCH.LAST_OFFSET_DELTA)) + 1n;
        let decoded: ReturnType<typeof decodeBatch>;
        try {
          decoded = decodeBatch(bytes, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
        } catch (err) {
          this.options.warn(
            `${OFFSETS_TOPIC}-${partition}: skipping an unreadable batch before offset ${offset}: ${(err as Error).message}`,
          );
          continue;
        }
        if (decoded.isControl) continue;
        for (const r of decoded.records) if (r.key) visit({ key: r.key, value: r.value });
      }
      if (offset <= before) return;
    }
  }

  async #create(): Promise<void> {
    const config = this.options.config();
    try {
      await this.options.createTopic({
        name: OFFSETS_TOPIC,
        numPartitions: config['offsets.topic.num.partitions'],
        replicationFactor: config['offsets.topic.replication.factor'],
        assignments: [],
        configs: [
          ['cleanup.policy', 'compact'],
          ['compression.type', 'producer'],
          ['segment.bytes', String(config['offsets.topic.segment.bytes'])],
        ],
      });
    } catch (err) {
      if (err instanceof ApiError && err.errorName === 'TOPIC_ALREADY_EXISTS') return;
      const reason = err instanceof Error ? err.message : String(err);
      throw new CoordinatorUnavailableError(`Cannot create ${OFFSETS_TOPIC}: ${reason}`);
    }
  }
}

function coordinatorWriteError(outcome: ErrorName): CoordinatorWriteError {
  if (outcome === 'NONE') return 'NONE';
  return outcome === 'NOT_LEADER_OR_FOLLOWER' ? 'NOT_COORDINATOR' : 'COORDINATOR_NOT_AVAILABLE';
}
