import { BATCH, readBatchHeader } from '../../protocol/records/batch-header.js';
import { endTxnMarkerBatch } from '../../protocol/records/control-record.js';
import { encodeBatch } from '../../protocol/records/record-batch.js';
import type { ProducedRecordRules } from '../../protocol/records/produced-records.js';
import { ApiError } from '../api-error.js';
import { isCompacted, LONG_MAX } from '../log/log-config.js';
import type { TopicPartition } from '../log/log-file-names.js';
import type { Log } from '../log/log.js';
import type { AbortedTxn } from '../log/transaction-index.js';
import { type EpochEndOffset, LeaderEpochCache, UNDEFINED_EPOCH } from './leader-epoch-cache.js';
import { FollowerReplica } from './follower-replica.js';
import { type IsrChange, type IsrState, committedIsr, maximalIsr } from './isr-state.js';

/** Fetch's isolation_level. */
export const IsolationLevel = { READ_UNCOMMITTED: 0, READ_COMMITTED: 1 } as const;
export type IsolationLevel = (typeof IsolationLevel)[keyof typeof IsolationLevel];

export interface AppendResult {
  baseOffset: bigint;
  /** The offset after the batch: acks=-1 is answered once the high watermark reaches it. */
  nextOffset: bigint;
  /** The stamped time on LogAppendTime topics, else -1. */
  logAppendTime: bigint;
  logStartOffset: bigint;
}

export interface PartitionRead {
  records: Buffer;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  /** read_committed: the aborted transactions overlapping the records, whose batches the consumer drops. */
  abortedTransactions?: AbortedTxn[];
}

/** A WriteTxnMarkers entry for one partition: the transaction of `producerId` ends. */
export interface TxnMarker {
  producerId: bigint;
  producerEpoch: number;
  commit: boolean;
  coordinatorEpoch: number;
}

/** A leader's answer to a follower's fetch: records up to the log end, or where the follower's log diverged. */
export interface FollowerRead extends PartitionRead {
  /** Set instead of records when the follower's last fetched epoch does not match ours (KIP-320). */
  divergingEpoch: EpochEndOffset | undefined;
}

/** Leadership and placement as the controller decided them (LeaderAndIsr's partition state). */
export interface ReplicaState {
  readonly replicas: readonly number[];
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  /** The state znode's version in ZooKeeper; 0 for a single broker. */
  readonly partitionEpoch: number;
}

/** What a partition needs from the broker around it. */
export interface PartitionContext {
  readonly localBrokerId: number;
  /** replica.lag.time.max.ms, read when used (dynamic). */
  replicaLagTimeMaxMs(): number;
  /** Whether a broker is registered and alive: only live followers may join the ISR. */
  isBrokerAlive(brokerId: number): boolean;
  /** Sends an ISR change to the controller (AlterPartition); resolves with what the controller committed. */
  submitIsrChange(partition: Partition, change: IsrChange): void;
  /** The high watermark moved (delayed produces and consumer fetches re-check). */
  onHighWatermark(partition: Partition): void;
  now(): number;
}

/**
 * One partition replica on this broker (Kafka's Partition): its log, its role — leader or
 * follower, as the last LeaderAndIsr made it — the ISR with Kafka's pending-change states
 * (KIP-497), the followers' fetch positions, the high watermark kept apart from the log end, the
 * leader epochs, and the idempotent producers' state. A single broker's partitions are leaders
 * whose only replica is this broker, so their high watermark follows the log end at once.
 */
export class Partition {
  readonly topicPartition: TopicPartition;
  #log: Log;
  /** The log being filled in another log dir while the replica moves there (AlterReplicaLogDirs). */
  #futureLog: Log | undefined;
  readonly #context: PartitionContext;
  #epochs: LeaderEpochCache;
  #replicas: readonly number[] = [];
  #leader = -1;
  #leaderEpoch = UNDEFINED_EPOCH;
  #partitionEpoch = -1;
  #isr: IsrState = { kind: 'committed', isr: [] };
  /** The log end when this broker became leader in the current epoch: followers must reach it to join the ISR. */
  #leaderEpochStartOffset: bigint | undefined;
  readonly #followers = new Map<number, FollowerReplica>();
  #highWatermark: bigint;

  constructor(log: Log, context: PartitionContext, highWatermark = log.logEndOffset) {
    this.#log = log;
    this.topicPartition = log.topicPartition;
    this.#context = context;
    this.#epochs = LeaderEpochCache.load(log);
    this.#highWatermark = clamp(highWatermark, log.logStartOffset, log.logEndOffset);
  }

  /** The replica's log; another one once a move to another log dir completes. */
  get log(): Log {
    return this.#log;
  }

  get futureLog(): Log | undefined {
    return this.#futureLog;
  }

  /** A move to another log dir starts (or resumes after a restart): `log` is filled from the current log. */
  setFutureLog(log: Log): void {
    this.#futureLog = log;
  }

  /** The move stopped (cancelled, failed, or the replica goes): returns the future log, for the caller to delete. */
  removeFutureLog(): Log | undefined {
    const log = this.#futureLog;
    this.#futureLog = undefined;
    return log;
  }

  /** Batches read from the current log appended to the future log as they are (offsets, epochs, producers). */
  appendToFutureLog(records: Buffer): void {
    if (records.length > 0) this.#futureLog?.append(records, { asFollower: true });
  }

  /**
   * Kafka's maybeReplaceCurrentWithFutureReplica: once the future log has everything the current
   * one has, `replace` swaps them on disk and this replica reads and writes the future log from
   * then on, its leader epochs with it. Synchronous: no append can come between the check and the
   * swap. Returns whether it happened.
   */
  maybeReplaceCurrentWithFutureLog(replace: () => Log): boolean {
    const future = this.#futureLog;
    if (!future || future.logEndOffset !== this.#log.logEndOffset) return false;
    const log = replace();
    this.#epochs = this.#epochs.copyTo(log);
    this.#log = log;
    this.#futureLog = undefined;
    return true;
  }

  get isLeader(): boolean {
    return this.#leader === this.#context.localBrokerId;
  }

  get leaderId(): number {
    return this.#leader;
  }

  get leaderEpoch(): number {
    return this.#leaderEpoch;
  }

  get partitionEpoch(): number {
    return this.#partitionEpoch;
  }

  get replicas(): readonly number[] {
    return this.#replicas;
  }

  /** The committed ISR (a follower knows none: the leader keeps it). */
  get isr(): readonly number[] {
    return this.#isr.isr;
  }

  get highWatermark(): bigint {
    return this.#highWatermark;
  }

  /** The high watermark, or the first offset of an unsettled transaction below it (read_committed stops there). */
  get lastStableOffset(): bigint {
    const firstUnstable = this.log.firstUnstableOffset(this.#highWatermark);
    return firstUnstable !== undefined && firstUnstable < this.#highWatermark ? firstUnstable : this.#highWatermark;
  }

  /** Kafka's effectiveMinIsr: min.insync.replicas, but never more than there are replicas. */
  get effectiveMinIsr(): number {
    return Math.min(this.log.config['min.insync.replicas'], this.#replicas.length);
  }

  get isUnderMinIsr(): boolean {
    return this.isLeader && this.#isr.isr.length < this.effectiveMinIsr;
  }

  get isUnderReplicated(): boolean {
    return this.isLeader && this.#isr.isr.length < this.#replicas.length;
  }

  /**
   * Becomes (or stays) the leader (Kafka's makeLeader). A new leader epoch starts at the log end:
   * followers' positions are forgotten if leadership moved here, and those in the ISR count as
   * caught up now. Returns false when the state is older than what this replica already knows.
   */
  makeLeader(state: ReplicaState): boolean {
    if (state.partitionEpoch < this.#partitionEpoch) return false;
    const now = this.#context.now();
    const isNewLeader = !this.isLeader;
    this.#updateAssignment(state.replicas, true);
    this.#isr = { kind: 'committed', isr: [...state.isr] };
    if (state.leaderEpoch > this.#leaderEpoch) {
      const start = this.log.logEndOffset;
      // Cached even before anything is written in it, so a follower holding entries of a later
      // epoch from a short-lived leader can still find where it diverged.
      this.#epochs.assign(state.leaderEpoch, start);
      for (const [id, follower] of this.#followers) follower.reset(now, start, isNewLeader, state.isr.includes(id));
      this.#leaderEpoch = state.leaderEpoch;
      this.#leaderEpochStartOffset = start;
    }
    this.#partitionEpoch = state.partitionEpoch;
    this.#leader = this.#context.localBrokerId;
    this.#maybeIncrementHighWatermark(now);
    return true;
  }

  /**
   * Becomes (or stays) a follower of `state.leader` (Kafka's makeFollower). Returns whether the
   * leader epoch moved, in which case fetching must restart from the new leader.
   */
  makeFollower(state: ReplicaState): boolean {
    if (state.partitionEpoch < this.#partitionEpoch) return false;
    const isNewLeaderEpoch = state.leaderEpoch > this.#leaderEpoch;
    this.#leader = state.leader;
    this.#leaderEpoch = state.leaderEpoch;
    this.#leaderEpochStartOffset = undefined;
    this.#partitionEpoch = state.partitionEpoch;
    this.#updateAssignment(state.replicas, false);
    this.#isr = { kind: 'committed', isr: [] };
    return isNewLeaderEpoch;
  }

  /**
   * A request's current_leader_epoch (-1: not given) against ours: an older one is a client with
   * stale metadata (FENCED_LEADER_EPOCH), a newer one a broker behind (UNKNOWN_LEADER_EPOCH).
   */
  checkLeaderEpoch(requested: number): void {
    if (requested < 0 || requested === this.#leaderEpoch) return;
    if (requested < this.#leaderEpoch) {
      throw new ApiError(
        'FENCED_LEADER_EPOCH',
        `The leader epoch in the request ${requested} is older than the current ${this.#leaderEpoch}`,
      );
    }
    throw new ApiError(
      'UNKNOWN_LEADER_EPOCH',
      `The leader epoch in the request ${requested} is newer than the current ${this.#leaderEpoch}`,
    );
  }

  /** Only the leader serves produce and consume (Kafka without a replica selector). */
  checkLeader(currentLeaderEpoch = -1): void {
    this.checkLeaderEpoch(currentLeaderEpoch);
    if (!this.isLeader) {
      throw new ApiError(
        'NOT_LEADER_OR_FOLLOWER',
        `Leader not local for partition ${this.log.name} on broker ${this.#context.localBrokerId}: the leader is ${this.#leader}`,
      );
    }
  }

  /** What comes before the records are looked at: min.insync.replicas for acks=-1, max.message.bytes. */
  checkAppend(records: Buffer, requiredAcks: number): void {
    const config = this.log.config;
    const name = this.log.name;
    const minIsr = this.effectiveMinIsr;
    const isrSize = this.#isr.isr.length;
    if (requiredAcks === -1 && isrSize < minIsr) {
      throw new ApiError(
        'NOT_ENOUGH_REPLICAS',
        `The size of the current ISR ${isrSize} is insufficient to satisfy the min.isr requirement of ${minIsr} for partition ${name}`,
      );
    }
    if (records.length > config['max.message.bytes']) {
      throw new ApiError(
        'MESSAGE_TOO_LARGE',
        `The record batch size in the append to ${name} is ${records.length} bytes which exceeds the maximum configured value of ${config['max.message.bytes']}.`,
      );
    }
  }

  /**
   * Appends a batch whose records passed the checks (Kafka's appendRecordsToLeader): leadership
   * again (it may have moved while the records were checked in slices), then the producer checks
   * in the log (epochs, sequences, transactions); a retried batch is answered with its original
   * offsets and not written again.
   */
  appendValidated(records: Buffer, now: number, origin: 'client' | 'coordinator' = 'client', verificationGuard?: object): AppendResult {
    this.checkLeader();
    return this.#appendLeaderBatch(records, origin, now, verificationGuard);
  }

  /**
   * WriteTxnMarkers for this partition (Kafka's appendRecordsToLeader with origin COORDINATOR): a
   * control batch ending the producer's transaction, checked against its epoch and the
   * coordinator epoch of the last marker. acks=-1 applies, as for any coordinator write.
   */
  appendTxnMarker(marker: TxnMarker, now: number): AppendResult {
    this.checkLeader();
    const records = encodeBatch(endTxnMarkerBatch({ ...marker, timestamp: BigInt(now) }));
    return this.#appendLeaderBatch(records, 'coordinator', now);
  }

  #appendLeaderBatch(records: Buffer, origin: 'client' | 'coordinator', now: number, verificationGuard?: object): AppendResult {
    const info = this.log.append(records, { leaderEpoch: this.#leaderEpoch, origin, verificationGuard });
    if (info.duplicate) {
      return { baseOffset: info.baseOffset, nextOffset: info.lastOffset + 1n, logAppendTime: -1n, logStartOffset: info.logStartOffset };
    }
    this.#epochs.assign(this.#leaderEpoch, info.baseOffset);
    this.#maybeIncrementHighWatermark(now);
    return {
      baseOffset: info.baseOffset,
      nextOffset: info.lastOffset + 1n,
      logAppendTime: BigInt(info.logAppendTime),
      logStartOffset: info.logStartOffset,
    };
  }

  /**
   * Kafka's checkEnoughReplicasReachOffset, for acks=-1: done once the high watermark passes
   * `requiredOffset`; NOT_ENOUGH_REPLICAS_AFTER_APPEND if by then the ISR is below min.insync.replicas
   * (the data stays); NOT_LEADER_OR_FOLLOWER once this replica stopped leading; KAFKA_STORAGE_ERROR
   * once its log dir failed.
   */
  replicationOf(
    requiredOffset: bigint,
  ):
    | { done: false }
    | { done: true; error: 'NONE' | 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' | 'NOT_LEADER_OR_FOLLOWER' | 'KAFKA_STORAGE_ERROR' } {
    if (this.log.offline) return { done: true, error: 'KAFKA_STORAGE_ERROR' };
    if (!this.isLeader) return { done: true, error: 'NOT_LEADER_OR_FOLLOWER' };
    if (this.#highWatermark < requiredOffset) return { done: false };
    const enough = maximalIsr(this.#isr).length >= this.effectiveMinIsr;
    return { done: true, error: enough ? 'NONE' : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' };
  }

  /**
   * Whole batches from `offset` up to `maxBytes` that consumers may see: below the high
   * watermark, or the last stable offset for read_committed.
   */
  read(offset: bigint, maxBytes: number, isolation: IsolationLevel, minOneBatch: boolean): PartitionRead {
    const lastStableOffset = this.lastStableOffset;
    const readCommitted = isolation === IsolationLevel.READ_COMMITTED;
    const records = this.log.read(offset, maxBytes, { maxOffset: readCommitted ? lastStableOffset : this.#highWatermark, minOneBatch });
    const read: PartitionRead = { records, highWatermark: this.#highWatermark, lastStableOffset, logStartOffset: this.log.logStartOffset };
    if (readCommitted) read.abortedTransactions = records.length > 0 ? this.log.collectAbortedTxns(offset, endOfRecords(records)) : [];
    return read;
  }

  /**
   * A follower's fetch (Kafka's fetchRecords from a follower): checks that `replicaId` is a
   * replica, compares its last fetched epoch with ours (a divergence is answered with where our
   * epoch ends, and no records), reads up to the log end, then records the follower's position,
   * which may grow the ISR and move the high watermark.
   */
  readForFollower(
    replicaId: number,
    fetch: { fetchOffset: bigint; logStartOffset: bigint; currentLeaderEpoch: number; lastFetchedEpoch: number; maxBytes: number },
    minOneBatch: boolean,
  ): FollowerRead {
    this.checkLeader(fetch.currentLeaderEpoch);
    const follower = this.#followers.get(replicaId);
    if (!follower) {
      throw new ApiError(
        fetch.currentLeaderEpoch >= 0 ? 'UNKNOWN_LEADER_EPOCH' : 'NOT_LEADER_OR_FOLLOWER',
        `Replica ${replicaId} is not recognized as a valid replica of ${this.log.name} in leader epoch ${this.#leaderEpoch} with partition epoch ${this.#partitionEpoch}`,
      );
    }
    const highWatermark = this.#highWatermark;
    const lastStableOffset = this.lastStableOffset;
    const logStartOffset = this.log.logStartOffset;
    const logEndOffset = this.log.logEndOffset;
    if (fetch.lastFetchedEpoch >= 0) {
      const end = this.endOffsetForEpoch(fetch.lastFetchedEpoch);
      if (end.leaderEpoch === UNDEFINED_EPOCH || fetch.fetchOffset < logStartOffset) {
        throw new ApiError(
          'OFFSET_OUT_OF_RANGE',
          `Received request for offset ${fetch.fetchOffset} (last fetched epoch ${fetch.lastFetchedEpoch}) for partition ${this.log.name}, but we only have log segments in the range ${logStartOffset} to ${logEndOffset}.`,
        );
      }
      if (end.leaderEpoch < fetch.lastFetchedEpoch || end.endOffset < fetch.fetchOffset) {
        return { highWatermark, lastStableOffset, logStartOffset, records: EMPTY, divergingEpoch: end };
      }
    }
    const records = this.log.read(fetch.fetchOffset, fetch.maxBytes, { minOneBatch });
    const now = this.#context.now();
    const before = follower.logEndOffset;
    follower.updateFetchState(fetch.fetchOffset, fetch.logStartOffset, now, logEndOffset);
    this.#maybeExpandIsr(replicaId, follower);
    if (before !== follower.logEndOffset) this.#maybeIncrementHighWatermark(now);
    return { highWatermark, lastStableOffset, logStartOffset, records, divergingEpoch: undefined };
  }

  /** A follower appends the leader's batches as they are: offsets, epochs and timestamps kept. */
  appendAsFollower(records: Buffer): void {
    if (records.length === 0) return;
    this.log.append(records, { asFollower: true });
    let at = 0;
    while (at < records.length) {
      this.#epochs.assign(records.readInt32BE(at + BATCH.PARTITION_LEADER_EPOCH), records.readBigInt64BE(at + BATCH.BASE_OFFSET));
      at += records.readInt32BE(at + BATCH.LENGTH) + BATCH.LOG_OVERHEAD;
    }
  }

  /** A follower learns the leader's high watermark: min(leader's, own log end), as Kafka's maybeUpdateHighWatermark. */
  updateFollowerHighWatermark(leaderHighWatermark: bigint): void {
    const next = clamp(leaderHighWatermark, this.log.logStartOffset, this.log.logEndOffset);
    if (next === this.#highWatermark) return;
    this.#highWatermark = next;
  }

  /** A follower truncates a divergent tail (KIP-101/279); the high watermark never exceeds the log end. */
  truncateTo(offset: bigint): void {
    // The future log copies the current one: what the current log loses, it loses too.
    this.#futureLog?.truncateTo(offset);
    const truncated = this.log.truncateTo(offset);
    // Also when the log is already that short (Kafka's UnifiedLog.truncateTo): a replica that led
    // without appending anything keeps its epoch's entry at its log end, which the new leader never
    // had; left in place, every fetch would diverge again at the same offset.
    this.#epochs.truncateFromEnd(this.log.logEndOffset);
    if (!truncated) return;
    if (this.#highWatermark > this.log.logEndOffset) this.#highWatermark = this.log.logEndOffset;
  }

  /** A follower so far behind that the leader's log start passed it: everything goes, the log restarts at `offset`. */
  truncateFullyAndStartAt(offset: bigint): void {
    this.#futureLog?.truncateFullyAndStartAt(offset);
    this.log.truncateFullyAndStartAt(offset);
    this.#epochs.clear();
    this.#highWatermark = offset;
  }

  /** The newest leader epoch in this replica's log (a follower's LastFetchedEpoch). */
  get latestEpoch(): number {
    return this.#epochs.latestEpoch;
  }

  /** OffsetForLeaderEpoch: where `leaderEpoch` ended in this log (the log end for the current epoch). */
  endOffsetForEpoch(leaderEpoch: number): EpochEndOffset {
    return this.#epochs.endOffsetFor(leaderEpoch, this.log.logStartOffset, this.log.logEndOffset);
  }

  /**
   * DeleteRecords (Kafka's deleteRecordsOnLeader): moves the log start offset up to `offset`
   * (-1: the high watermark), never past the high watermark, on topics whose cleanup policy
   * deletes. Returns the new log start offset (the low watermark).
   */
  deleteRecords(offset: bigint): bigint {
    this.checkLeader();
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

  /** A follower's log start follows the leader's (its records below were deleted there). */
  maybeIncrementLogStartOffset(leaderLogStartOffset: bigint): void {
    const target = leaderLogStartOffset < this.log.logEndOffset ? leaderLogStartOffset : this.log.logEndOffset;
    if (target > this.log.logStartOffset) this.log.deleteRecordsBefore(target);
  }

  /**
   * The leader's periodic ISR check (Kafka's maybeShrinkIsr): followers not caught up within
   * replica.lag.time.max.ms leave the ISR, through the controller. Nothing while a change is pending.
   */
  maybeShrinkIsr(): void {
    if (!this.isLeader || this.#isr.kind !== 'committed') return;
    const now = this.#context.now();
    const maxLagMs = this.#context.replicaLagTimeMaxMs();
    const leaderEnd = this.log.logEndOffset;
    const outOfSync = this.#isr.isr.filter((id) => {
      if (id === this.#context.localBrokerId) return false;
      const follower = this.#followers.get(id);
      return !follower?.isCaughtUp(leaderEnd, now, maxLagMs);
    });
    if (outOfSync.length === 0) return;
    const isr = this.#isr.isr.filter((id) => !outOfSync.includes(id));
    this.#isr = { kind: 'pendingShrink', isr: this.#isr.isr, proposed: isr };
    this.#context.submitIsrChange(this, this.#isrChange(isr));
  }

  /**
   * The controller answered an ISR change (Kafka's handleAlterPartitionUpdate/Error). A stale answer
   * (the state moved on meanwhile) is ignored; a refusal that says nothing was applied reverts to
   * the committed ISR; the other refusals wait for the next LeaderAndIsr; anything else is retried.
   */
  onIsrChangeAnswered(
    change: IsrChange,
    answer: { error: string } | { isr: readonly number[]; leaderEpoch: number; partitionEpoch: number },
  ): 'retry' | 'done' {
    if (this.#isr.kind === 'committed' || this.#leaderEpoch !== change.leaderEpoch || !sameIsr(this.#isr.proposed, change.isr))
      return 'done';
    if ('error' in answer) {
      switch (answer.error) {
        case 'OPERATION_NOT_ATTEMPTED':
        case 'INELIGIBLE_REPLICA':
          this.#isr = committedIsr(this.#isr);
          return 'done';
        case 'UNKNOWN_TOPIC_OR_PARTITION':
        case 'UNKNOWN_TOPIC_ID':
        case 'FENCED_LEADER_EPOCH':
        case 'INVALID_UPDATE_VERSION':
        case 'INVALID_REQUEST':
        case 'NEW_LEADER_ELECTED':
          return 'done';
        default:
          return 'retry';
      }
    }
    if (answer.leaderEpoch !== this.#leaderEpoch || answer.partitionEpoch < this.#partitionEpoch) return 'done';
    this.#isr = { kind: 'committed', isr: [...answer.isr] };
    this.#partitionEpoch = answer.partitionEpoch;
    this.#maybeIncrementHighWatermark(this.#context.now());
    return 'done';
  }

  #updateAssignment(replicas: readonly number[], isLeader: boolean): void {
    this.#replicas = [...replicas];
    if (!isLeader) {
      this.#followers.clear();
      return;
    }
    const local = this.#context.localBrokerId;
    for (const id of replicas) if (id !== local && !this.#followers.has(id)) this.#followers.set(id, new FollowerReplica());
    for (const id of [...this.#followers.keys()]) if (!replicas.includes(id)) this.#followers.delete(id);
  }

  /**
   * Kafka's maybeExpandIsr: a follower outside the ISR that reached the high watermark and the
   * start of the current leader epoch joins it (through the controller), unless a change is pending.
   */
  #maybeExpandIsr(replicaId: number, follower: FollowerReplica): void {
    if (this.#isr.kind !== 'committed' || this.#isr.isr.includes(replicaId)) return;
    if (!this.#context.isBrokerAlive(replicaId)) return;
    const epochStart = this.#leaderEpochStartOffset;
    if (epochStart === undefined || follower.logEndOffset < this.#highWatermark || follower.logEndOffset < epochStart) return;
    const isr = [...this.#isr.isr, replicaId];
    // Counted in the ISR at once (the maximal ISR): waiting for it is stricter, so safe if refused.
    this.#isr = { kind: 'pendingExpand', isr: this.#isr.isr, proposed: isr };
    this.#context.submitIsrChange(this, this.#isrChange(isr));
  }

  #isrChange(isr: readonly number[]): IsrChange {
    return { leaderEpoch: this.#leaderEpoch, partitionEpoch: this.#partitionEpoch, isr };
  }

  /**
   * Kafka's maybeIncrementLeaderHW: the smallest log end among the maximal ISR and the followers
   * caught up enough to join it; never while the ISR is under min.insync.replicas, never backwards.
   */
  #maybeIncrementHighWatermark(now: number): void {
    if (!this.isLeader || this.isUnderMinIsr) return;
    const leaderEnd = this.log.logEndOffset;
    const inIsr = new Set(maximalIsr(this.#isr));
    const maxLagMs = this.#context.replicaLagTimeMaxMs();
    let candidate = leaderEnd;
    for (const [id, follower] of this.#followers) {
      const waitFor = inIsr.has(id) || (follower.isCaughtUp(leaderEnd, now, maxLagMs) && this.#context.isBrokerAlive(id));
      if (waitFor && follower.logEndOffset < candidate) candidate = follower.logEndOffset;
    }
    if (candidate <= this.#highWatermark) return;
    this.#highWatermark = candidate;
    this.#context.onHighWatermark(this);
  }

  /** What Kafka's LogValidator holds this partition's records to at `now`. */
  recordRules(now: number): ProducedRecordRules {
    const config = this.log.config;
    const beforeMaxMs = config['message.timestamp.before.max.ms'];
    const afterMaxMs = config['message.timestamp.after.max.ms'];
    return {
      partition: this.log.name,
      requireKeys: isCompacted(config),
      timestampType: config['message.timestamp.type'] === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
      timestampWindow: beforeMaxMs >= LONG_MAX && afterMaxMs >= LONG_MAX ? null : { now, beforeMaxMs, afterMaxMs },
      maxMessageBytes: config['max.message.bytes'],
    };
  }
}

const EMPTY = Buffer.alloc(0);

/** The offset after the last whole batch of `records` (the upper bound of a read_committed fetch's aborted transactions). */
function endOfRecords(records: Buffer): bigint {
  let end = 0n;
  for (let at = 0; at + BATCH.HEADER_SIZE <= records.length; ) {
    const header = readBatchHeader(records, at);
    end = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
    at += header.batchLength + BATCH.LOG_OVERHEAD;
  }
  return end;
}

function clamp(value: bigint, low: bigint, high: bigint): bigint {
  return value < low ? low : value > high ? high : value;
}

function sameIsr(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}
