import { ErrorCode } from '../../protocol/errors.js';
import type { ClassicGroup } from './classic-group.js';
import { CoordinatorUnavailableError } from './group-log.js';
import type { GroupMembership } from './group-membership.js';
import { validateMember } from './group-membership.js';
import type { CommittedOffset, TopicPartitionRef } from './group-offsets.js';
import type { TransactionalWrite } from './group-log.js';
import type { GroupStore } from './group-store.js';
import type { Scheduler } from './scheduler.js';

/** Client-given timestamps (int64 on the wire) saturate here, so a far-future one is still stored as an int64 instead of failing the commit. */
const MAX_TIMESTAMP = Number.MAX_SAFE_INTEGER;

export interface OffsetsConfig {
  /** offsets.retention.minutes, in ms */
  retentionMs: number;
  /** offset.metadata.max.bytes */
  metadataMaxBytes: number;
}

export interface CommitRequest {
  groupId: string;
  /** -1 with memberId '' for a commit outside group management (assign(), admin tools). */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** OffsetCommit v2-4 retention_time_ms; -1: the broker's offsets.retention.minutes. */
  retentionTimeMs: number;
  topics: { name: string; partitions: CommitPartition[] }[];
}

export interface CommitPartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  committedMetadata: string | null;
  /** OffsetCommit v1 only; -1: now. */
  commitTimestamp: number;
}

export type PartitionErrors = { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];

export interface FetchedOffset {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export interface FetchResult {
  errorCode: number;
  topics: { name: string; partitions: FetchedOffset[] }[];
}

export interface OffsetDeleteResult {
  errorCode: number;
  topics: PartitionErrors;
}

const NO_OFFSET: Omit<FetchedOffset, 'partitionIndex'> = {
  committedOffset: -1n,
  committedLeaderEpoch: -1,
  metadata: '',
  errorCode: ErrorCode.NONE,
};

/** OffsetCommit, OffsetFetch, OffsetDelete and offset expiry (Kafka's offset half of the coordinator). */
export class GroupOffsetsService {
  constructor(
    private readonly store: GroupStore,
    private readonly membership: GroupMembership,
    private readonly scheduler: Scheduler,
    private readonly config: OffsetsConfig,
    /** Whether the topic partition exists: commits for others are UNKNOWN_TOPIC_OR_PARTITION. */
    private readonly partitionExists: (topic: string, partition: number) => boolean,
  ) {}

  /**
   * OffsetCommit, or with `txn` TxnOffsetCommit: the offsets are written in the producer's
   * transaction and applied once it commits (Kafka's doTxnCommitOffsets checks membership only
   * as far as the request claims it).
   */
  async commit(req: CommitRequest, txn?: TransactionalWrite): Promise<PartitionErrors> {
    if (!this.store.get(req.groupId) && req.generationId < 0) {
      const unavailable = await this.#unavailable();
      if (unavailable) return mapPartitions(req.topics, () => ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
    const groupError = txn ? this.#validateTxnCommit(req) : this.#validateCommit(req);
    if (groupError !== ErrorCode.NONE) return mapPartitions(req.topics, () => groupError);

    const now = this.scheduler.now();
    const group = txn ? this.store.get(req.groupId) : this.store.getOrCreate(req.groupId, now);
    const errors = new Map<string, number>();
    const accepted: (TopicPartitionRef & { committed: CommittedOffset })[] = [];
    for (const topic of req.topics) {
      for (const p of topic.partitions) {
        const metadata = p.committedMetadata ?? '';
        const error =
          Buffer.byteLength(metadata) > this.config.metadataMaxBytes
            ? ErrorCode.OFFSET_METADATA_TOO_LARGE
            : !this.partitionExists(topic.name, p.partitionIndex)
              ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
              : ErrorCode.NONE;
        if (error !== ErrorCode.NONE) {
          errors.set(`${p.partitionIndex}:${topic.name}`, error);
          continue;
        }
        const commitTimestamp = p.commitTimestamp >= 0 ? Math.min(p.commitTimestamp, MAX_TIMESTAMP) : now;
        accepted.push({
          topic: topic.name,
          partition: p.partitionIndex,
          committed: {
            offset: p.committedOffset,
            leaderEpoch: p.committedLeaderEpoch,
            metadata,
            commitTimestamp,
            expireTimestamp: req.retentionTimeMs >= 0 ? Math.min(commitTimestamp + req.retentionTimeMs, MAX_TIMESTAMP) : -1,
          },
        });
      }
    }
    try {
      if (txn) this.store.storeTxnOffsets(req.groupId, txn, accepted);
      else this.store.storeOffsets(group!, accepted);
    } catch (err) {
      if (!(err instanceof CoordinatorUnavailableError)) throw err;
      for (const a of accepted) errors.set(`${a.partition}:${a.topic}`, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
    const member = group?.members.get(req.memberId);
    if (member) this.membership.touch(group!, member);
    return mapPartitions(req.topics, (name, p) => errors.get(`${p}:${name}`) ?? ErrorCode.NONE);
  }

  /**
   * Committed offsets of the partitions asked for, or of every partition when topics is null; with
   * `requireStable`, a partition whose offset an open transaction is changing is UNSTABLE_OFFSET_COMMIT.
   */
  fetch(groupId: string, topics: { name: string; partitionIndexes: number[] }[] | null, requireStable = false): FetchResult {
    const group = this.store.get(groupId);
    const live = group && !group.is('Dead') ? group : undefined;
    if (topics === null) {
      const byTopic = new Map<string, FetchedOffset[]>();
      for (const { topic, partition, committed } of live?.offsets.entries() ?? []) {
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        list.push(fetched(partition, committed));
      }
      return { errorCode: ErrorCode.NONE, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((p) =>
          requireStable && this.store.hasPendingTxnOffset(groupId, t.name, p)
            ? { partitionIndex: p, ...NO_OFFSET, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT }
            : fetched(p, live?.offsets.get(t.name, p)),
        ),
      })),
    };
  }

  /** OffsetDelete: only offsets of topics the group does not consume right now can go (KIP-496). */
  deleteOffsets(groupId: string, topics: { name: string; partitions: { partitionIndex: number }[] }[]): OffsetDeleteResult {
    if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
    const group = this.store.get(groupId);
    if (!group || group.is('Dead')) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
    const inUse = this.#topicsInUse(group);
    if (inUse === 'group') return { errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] };
    const deletable: TopicPartitionRef[] = [];
    for (const t of topics) {
      if (inUse(t.name)) continue;
      for (const p of t.partitions)
        if (group.offsets.get(t.name, p.partitionIndex)) deletable.push({ topic: t.name, partition: p.partitionIndex });
    }
    try {
      this.store.deleteOffsets(group, deletable);
    } catch (err) {
      if (!(err instanceof CoordinatorUnavailableError)) throw err;
      return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, topics: [] };
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: mapPartitions(topics, (name) => (inUse(name) ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC : ErrorCode.NONE)),
    };
  }

  /**
   * Removes expired offsets (KIP-211) and then groups left Empty without offsets. An Empty group's
   * offsets expire `retention` after it became Empty; a group with members keeps the offsets of
   * topics it subscribes to; offsets of groups outside group management expire after their commit.
   */
  expireOffsets(): number {
    const now = this.scheduler.now();
    let removed = 0;
    for (const group of [...this.store.groups()]) {
      const subscribed = group.subscribedTopics();
      let expired: TopicPartitionRef[];
      if (group.is('Empty')) {
        const base = group.protocolType === null ? (c: CommittedOffset) => c.commitTimestamp : () => group.stateTimestamp;
        expired = group.offsets.expired(now, this.config.retentionMs, () => true, base);
      } else if (subscribed) {
        expired = group.offsets.expired(
          now,
          this.config.retentionMs,
          (t) => !subscribed.has(t),
          (c) => c.commitTimestamp,
        );
      } else {
        expired = [];
      }
      const dropGroup = group.is('Empty') && group.offsets.size === expired.length;
      try {
        this.store.deleteOffsets(group, expired, dropGroup);
      } catch (err) {
        if (!(err instanceof CoordinatorUnavailableError)) throw err;
        continue;
      }
      removed += expired.length;
      if (dropGroup) {
        group.transitionTo('Dead', now);
        this.store.evict(group);
      }
    }
    return removed;
  }

  #validateCommit(req: CommitRequest): number {
    const group = this.store.get(req.groupId);
    if (!group) return req.generationId < 0 ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (req.generationId < 0 && req.memberId === '' && req.groupInstanceId === null && group.is('Empty')) return ErrorCode.NONE;
    if (group.isStaticMemberFenced(req.memberId, req.groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    const claimsMembership = req.generationId >= 0 || req.memberId !== '' || req.groupInstanceId !== null;
    if (claimsMembership && validateMember(group, req.memberId, req.groupInstanceId) !== ErrorCode.NONE) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    // The member has its new generation but not its assignment yet; it commits again after SyncGroup.
    if (group.is('CompletingRebalance')) return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  /** Kafka's doTxnCommitOffsets checks: a transactional commit need not come from a member unless it says it is one. */
  #validateTxnCommit(req: CommitRequest): number {
    const group = this.store.get(req.groupId);
    if (!group) return ErrorCode.NONE;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (group.isStaticMemberFenced(req.memberId, req.groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
    if (req.memberId !== '' && !group.members.has(req.memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (req.generationId >= 0 && req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    return ErrorCode.NONE;
  }

  /** A group's first commit may be the first use of the offsets topic. */
  async #unavailable(): Promise<boolean> {
    try {
      await this.store.log.ensureExists();
      return false;
    } catch (err) {
      if (err instanceof CoordinatorUnavailableError) return true;
      throw err;
    }
  }

  /**
   * Which topics' offsets OffsetDelete must keep: those a consumer group subscribes to (all of
   * them while its subscriptions are unreadable); 'group' when a non-consumer group has members.
   */
  #topicsInUse(group: ClassicGroup): ((topic: string) => boolean) | 'group' {
    if (group.is('Empty')) return () => false;
    if (group.protocolType !== 'consumer') return 'group';
    const subscribed = group.subscribedTopics();
    return (topic) => subscribed?.has(topic) ?? true;
  }
}

function fetched(partitionIndex: number, committed: CommittedOffset | undefined): FetchedOffset {
  if (!committed) return { partitionIndex, ...NO_OFFSET };
  return {
    partitionIndex,
    committedOffset: committed.offset,
    committedLeaderEpoch: committed.leaderEpoch,
    metadata: committed.metadata,
    errorCode: ErrorCode.NONE,
  };
}

/** Each partition of `topics` answered with its error. */
export function mapPartitions(
  topics: readonly { name: string; partitions: readonly { partitionIndex: number }[] }[],
  errorOf: (topic: string, partition: number) => number,
): PartitionErrors {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: errorOf(t.name, p.partitionIndex) })),
  }));
}
