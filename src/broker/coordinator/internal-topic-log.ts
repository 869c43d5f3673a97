import { API_INFO, ApiKey } from '../../protocol/generated/api-info.js';
import { BATCH } from '../../protocol/records/batch-header.js';
import { iterateBatches } from '../../protocol/records/batch-iterator.js';
import { CONTROL_TYPE, decodeControlKey } from '../../protocol/records/control-record.js';
import { decodeBatch, encodeBatch } from '../../protocol/records/record-batch.js';
import type { NewTopic } from '../admin/topic-admin.js';
import { ApiError } from '../api-error.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '../partition/decompression-limit.js';
import type { ReplicaManager } from '../partition/replica-manager.js';
import type { CoordinatorRecord } from '../group/coordinator-records.js';
import type { ErrorName } from '../../protocol/errors.js';
import type { ProducePurgatory } from '../replication/delayed-produce.js';
import { type CoordinatorBatch, CoordinatorUnavailableError, type CoordinatorWriteError, type GroupLog } from '../group/group-log.js';

const READ_CHUNK_BYTES = 1 << 20;
const PRODUCE_VERSION = API_INFO[ApiKey.Produce].maxVersion;

export interface InternalTopicLogOptions {
  /** The topic as it is created on first use (its name, partitions, replication and configs). */
  topic: () => NewTopic;
  cache: MetadataCache;
  replicaManager: ReplicaManager;
  /** TopicAdmin.createTopic without validateOnly; refusals are ApiErrors. */
  createTopic: (topic: NewTopic) => Promise<unknown>;
  /** How long a write waits for the ISR by default (offsets.commit.timeout.ms for groups). */
  writeTimeoutMs: () => number;
  /** acks=-1 writes waiting for the ISR. */
  producePurgatory: ProducePurgatory;
  now?: () => number;
  warn: (message: string) => void;
}

/**
 * A coordinator's internal topic (`__consumer_offsets`, `__transaction_state`) through the broker's
 * own partitions, so its records are fetchable and replicated like any topic's. Created on first
 * use as Kafka creates it.
 */
export class InternalTopicLog implements GroupLog {
  #creating: Promise<void> | undefined;
  readonly name: string;

  constructor(private readonly options: InternalTopicLogOptions) {
    this.name = options.topic().name;
  }

  partitionCount(): number {
    return this.options.cache.topic(this.name)?.partitions.length ?? this.options.topic().numPartitions;
  }

  exists(): boolean {
    return this.options.cache.topic(this.name) !== undefined;
  }

  ensureExists(): Promise<void> {
    if (this.options.cache.topic(this.name)) return Promise.resolve();
    this.#creating ??= this.#create().finally(() => (this.#creating = undefined));
    return this.#creating;
  }

  /** Appends the records as one batch framed as `framing` says; throws CoordinatorUnavailableError on failure. */
  append(partition: number, records: readonly CoordinatorRecord[], framing: CoordinatorBatch = {}): void {
    const now = BigInt((this.options.now ?? Date.now)());
    const { offsetCommit, txn } = framing;
    const batch = encodeBatch({
      records: records.map((r) => ({ key: r.key, value: r.value, timestamp: now })),
      ...(offsetCommit && { baseSequence: 0 }),
      ...(txn && { producerId: txn.producerId, producerEpoch: txn.producerEpoch, transactional: true }),
    });
    const [result] = this.options.replicaManager.appendRecords([{ topic: this.name, partition, records: batch }], {
      requiredAcks: -1,
      apiVersion: PRODUCE_VERSION,
      internalTopicsAllowed: true,
      origin: 'coordinator',
    });
    if (!result!.ok) {
      throw new CoordinatorUnavailableError(`Cannot write to ${this.name}-${partition}: ${result!.error.message}`, result!.error.errorName);
    }
  }

  logEndOffset(partition: number): bigint {
    const p = this.options.replicaManager.partition(this.name, partition);
    return p?.isLeader ? p.log.logEndOffset : -1n;
  }

  /** The partition's leader epoch while it is led here (a transaction coordinator's epoch), else undefined. */
  leaderEpoch(partition: number): number | undefined {
    const p = this.options.replicaManager.partition(this.name, partition);
    return p?.isLeader ? p.leaderEpoch : undefined;
  }

  /** Waits up to `timeoutMs` (default: writeTimeoutMs); Kafka maps a lost leadership to NOT_COORDINATOR and the rest to COORDINATOR_NOT_AVAILABLE. */
  awaitReplicated(partition: number, offset: bigint, timeoutMs?: number): Promise<CoordinatorWriteError> | CoordinatorWriteError {
    const p = this.options.replicaManager.partition(this.name, partition);
    if (!p) return 'NOT_COORDINATOR';
    const state = p.replicationOf(offset);
    if (state.done) return coordinatorWriteError(state.error);
    return this.options.producePurgatory
      .wait([{ partition: p, requiredOffset: offset }], timeoutMs ?? this.options.writeTimeoutMs())
      .then(([outcome]) => coordinatorWriteError(outcome!));
  }

  /**
   * Every stored record of the partition, oldest first, with the producer of a transactional
   * batch; `onMarker` hears where each transaction was committed or aborted.
   */
  replay(
    partition: number,
    visit: (record: CoordinatorRecord, txnProducerId?: bigint) => void,
    onMarker?: (producerId: bigint, commit: boolean) => void,
  ): void {
    const p = this.options.replicaManager.partition(this.name, partition);
    if (!p) return;
    let offset = p.log.logStartOffset;
    for (;;) {
      // To the log end, not the high watermark (Kafka loads coordinator state to the log end): a
      // new leader's high watermark lags what its ISR already has.
      const chunk = p.log.read(offset, READ_CHUNK_BYTES, { minOneBatch: true });
      if (chunk.length === 0) return;
      const before = offset;
      for (const bytes of iterateBatches(chunk)) {
        offset = bytes.readBigInt64BE(BATCH.BASE_OFFSET) + BigInt(bytes.readInt32BE(BATCH.LAST_OFFSET_DELTA)) + 1n;
        let decoded: ReturnType<typeof decodeBatch>;
        try {
          decoded = decodeBatch(bytes, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
        } catch (err) {
          this.options.warn(`${this.name}-${partition}: skipping an unreadable batch before offset ${offset}: ${(err as Error).message}`);
          continue;
        }
        if (decoded.isControl) {
          const type = decoded.records[0] ? decodeControlKey(decoded.records[0].key).type : -1;
          if (type === CONTROL_TYPE.ABORT || type === CONTROL_TYPE.COMMIT) onMarker?.(decoded.producerId, type === CONTROL_TYPE.COMMIT);
          continue;
        }
        const producerId = decoded.isTransactional ? decoded.producerId : undefined;
        for (const r of decoded.records) if (r.key) visit({ key: r.key, value: r.value }, producerId);
      }
      if (offset <= before) return;
    }
  }

  async #create(): Promise<void> {
    try {
      await this.options.createTopic(this.options.topic());
    } catch (err) {
      if (err instanceof ApiError && err.errorName === 'TOPIC_ALREADY_EXISTS') return;
      const reason = err instanceof Error ? err.message : String(err);
      throw new CoordinatorUnavailableError(`Cannot create ${this.name}: ${reason}`);
    }
  }
}

function coordinatorWriteError(outcome: ErrorName): CoordinatorWriteError {
  if (outcome === 'NONE') return 'NONE';
  return outcome === 'NOT_LEADER_OR_FOLLOWER' ? 'NOT_COORDINATOR' : 'COORDINATOR_NOT_AVAILABLE';
}
