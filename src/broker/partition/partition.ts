import { BATCH } from '../../protocol/records/batch-header.js';
import { type ProducedRecordRules, validateProducedRecords } from '../../protocol/records/produced-records.js';
import type { BatchSummary } from '../../protocol/records/validate.js';
import { ApiError } from '../api-error.js';
import { LONG_MAX, isCompacted } from '../log/log-config.js';
import type { TopicPartition } from '../log/log-file-names.js';
import type { Log } from '../log/log.js';
import type { PartitionState } from '../metadata/topic-record.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from './decompression-limit.js';
import { type EpochEndOffset, LeaderEpochCache } from './leader-epoch-cache.js';
import { ProducerStateManager } from './producer-state.js';

/** Fetch's isolation_level. */
export const IsolationLevel = { READ_UNCOMMITTED: 0, READ_COMMITTED: 1 } as const;
export type IsolationLevel = (typeof IsolationLevel)[keyof typeof IsolationLevel];

export interface AppendResult {
  baseOffset: bigint;
  /** The stamped time on LogAppendTime topics, else -1. */
  logAppendTime: bigint;
  logStartOffset: bigint;
}

export interface PartitionRead {
  records: Buffer;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
}

/**
 * One partition this broker leads (Kafka's Partition): its log, leader epoch and ISR, the high
 * watermark kept apart from the log end offset so that replication can slot in, and the
 * idempotent producers' state. On a single broker every replica is this one, so the high
 * watermark follows the log end at once.
 */
export class Partition {
  readonly topicPartition: TopicPartition;
  readonly log: Log;
  readonly state: PartitionState;
  #highWatermark: bigint;
  /** Built on first use: rebuilding reads every batch header of the log. */
  #producers: ProducerStateManager | undefined;
  /** Built on first use (OffsetForLeaderEpoch), from the batch headers. */
  #epochs: LeaderEpochCache | undefined;

  constructor(log: Log, state: PartitionState) {
    this.log = log;
    this.topicPartition = log.topicPartition;
    this.state = state;
    this.#highWatermark = log.logEndOffset;
  }

  get leaderEpoch(): number {
    return this.state.leaderEpoch;
  }

  get highWatermark(): bigint {
    return this.#highWatermark;
  }

  /** No transactions yet, so nothing is unstable below the high watermark. */
  get lastStableOffset(): bigint {
    return this.#highWatermark;
  }

  /**
   * A request's current_leader_epoch (-1: not given) against ours: an older one is a client with
   * stale metadata (FENCED_LEADER_EPOCH), a newer one a broker behind (UNKNOWN_LEADER_EPOCH).
   */
  checkLeaderEpoch(requested: number): void {
    if (requested < 0 || requested === this.leaderEpoch) return;
    if (requested < this.leaderEpoch) {
      throw new ApiError(
        'FENCED_LEADER_EPOCH',
        `The leader epoch in the request ${requested} is older than the current ${this.leaderEpoch}`,
      );
    }
    throw new ApiError(
      'UNKNOWN_LEADER_EPOCH',
      `The leader epoch in the request ${requested} is newer than the current ${this.leaderEpoch}`,
    );
  }

  /**
   * Appends one batch a client produced, its header already validated (Kafka's appendRecordsToLeader):
   * min.insync.replicas for acks=-1, max.message.bytes, then every record (LogValidator: keys on
   * compacted topics, CreateTime bounds), then the idempotence checks; a retried batch is answered
   * with its original offsets and not written again.
   */
  appendAsLeader(records: Buffer, batch: BatchSummary, requiredAcks: number, now: number): AppendResult {
    const config = this.log.config;
    const name = this.log.name;
    const minIsr = config['min.insync.replicas'];
    if (requiredAcks === -1 && this.state.isr.length < minIsr) {
      throw new ApiError(
        'NOT_ENOUGH_REPLICAS',
        `The size of the current ISR ${this.state.isr.length} is insufficient to satisfy the min.isr requirement of ${minIsr} for partition ${name}`,
      );
    }
    if (records.length > config['max.message.bytes']) {
      throw new ApiError(
        'MESSAGE_TOO_LARGE',
        `The record batch size in the append to ${name} is ${records.length} bytes which exceeds the maximum configured value of ${config['max.message.bytes']}.`,
      );
    }
    validateProducedRecords(records, batch, this.#recordRules(now));

    const idempotent = batch.producerId >= 0n;
    if (idempotent) {
      this.#producers ??= ProducerStateManager.fromLog(this.log);
      const duplicate = this.#producers.checkAppend(batch, this.log.logEndOffset);
      if (duplicate) return { baseOffset: duplicate.firstOffset, logAppendTime: -1n, logStartOffset: this.log.logStartOffset };
    }
    const info = this.log.append(records, { leaderEpoch: this.leaderEpoch });
    this.#epochs?.assign(this.leaderEpoch, info.baseOffset);
    if (idempotent) {
      const timestamp = records.readBigInt64BE(BATCH.MAX_TIMESTAMP);
      this.#producers!.onAppended(batch, info.baseOffset, info.lastOffset, timestamp);
    }
    this.#highWatermark = this.log.logEndOffset;
    return { baseOffset: info.baseOffset, logAppendTime: BigInt(info.logAppendTime), logStartOffset: info.logStartOffset };
  }

  /**
   * Whole batches from `offset` up to `maxBytes` that consumers may see: below the high
   * watermark, or the last stable offset for read_committed.
   */
  read(offset: bigint, maxBytes: number, isolation: IsolationLevel, minOneBatch: boolean): PartitionRead {
    const lastStableOffset = this.lastStableOffset;
    const maxOffset = isolation === IsolationLevel.READ_COMMITTED ? lastStableOffset : this.#highWatermark;
    const records = this.log.read(offset, maxBytes, { maxOffset, minOneBatch });
    return { records, highWatermark: this.#highWatermark, lastStableOffset, logStartOffset: this.log.logStartOffset };
  }

  /** OffsetForLeaderEpoch: where `leaderEpoch` ended in this log (the log end for the current epoch). */
  endOffsetForEpoch(leaderEpoch: number): EpochEndOffset {
    this.#epochs ??= new LeaderEpochCache(this.log, this.leaderEpoch);
    return this.#epochs.endOffsetFor(leaderEpoch, this.log.logStartOffset, this.log.logEndOffset);
  }

  /**
   * DeleteRecords (Kafka's deleteRecordsOnLeader): moves the log start offset up to `offset`
   * (-1: the high watermark), never past the high watermark, on topics whose cleanup policy
   * deletes. Returns the new log start offset (the low watermark).
   */
  deleteRecords(offset: bigint): bigint {
    const name = this.log.name;
    if (!this.log.config['cleanup.policy'].split(',').includes('delete')) {
      throw new ApiError('POLICY_VIOLATION', `Records of partition ${name} can not be deleted due to the configured policy`);
    }
    const target = offset === -1n ? this.#highWatermark : offset;
    if (target < 0n) throw new ApiError('OFFSET_OUT_OF_RANGE', `The offset ${target} for partition ${name} is not valid`);
    if (target > this.#highWatermark) {
      throw new ApiError(
        'OFFSET_OUT_OF_RANGE',
        `Cannot increment the log start offset to ${target} of partition ${name} since it is larger than the high watermark ${this.#highWatermark}`,
      );
    }
    return this.log.deleteRecordsBefore(target);
  }

  #recordRules(now: number): ProducedRecordRules {
    const config = this.log.config;
    const beforeMaxMs = config['message.timestamp.before.max.ms'];
    const afterMaxMs = config['message.timestamp.after.max.ms'];
    return {
      partition: this.log.name,
      requireKeys: isCompacted(config),
      timestampType: config['message.timestamp.type'] === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
      timestampWindow: beforeMaxMs >= LONG_MAX && afterMaxMs >= LONG_MAX ? null : { now, beforeMaxMs, afterMaxMs },
      maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES,
    };
  }
}
