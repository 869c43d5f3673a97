import { ClassicGroup } from './classic-group.js';
import { coordinatorPartition } from './coordinator-partition.js';
import {
  decodeCoordinatorRecord,
  groupMetadataKey,
  groupMetadataRecord,
  offsetCommitKey,
  offsetCommitRecord,
  type CoordinatorRecord,
  type GroupMetadataValue,
} from './coordinator-records.js';
import type { CoordinatorBatch, GroupLog, TransactionalWrite } from './group-log.js';
import type { CommittedOffset, TopicPartitionRef } from './group-offsets.js';
import { memberMetadataFor, type GroupMember } from './member.js';

/**
 * The coordinator's groups and their persistence in `__consumer_offsets` (Kafka's
 * GroupMetadataManager): every change is appended to the group's partition before it is applied.
 */
export class GroupStore {
  readonly #groups = new Map<string, ClassicGroup>();
  /** TxnOffsetCommit offsets waiting for their transaction's marker: producer id -> group -> offsets. */
  readonly #pendingTxnOffsets = new Map<bigint, Map<string, PendingOffsets>>();

  constructor(
    readonly log: GroupLog,
    private readonly onWarning: (message: string) => void,
  ) {}

  get(groupId: string): ClassicGroup | undefined {
    return this.#groups.get(groupId);
  }

  getOrCreate(groupId: string, now: number): ClassicGroup {
    let group = this.#groups.get(groupId);
    if (!group) {
      group = new ClassicGroup(groupId, now);
      this.#groups.set(groupId, group);
    }
    return group;
  }

  groups(): IterableIterator<ClassicGroup> {
    return this.#groups.values();
  }

  /** Forgets a group that became Dead. */
  evict(group: ClassicGroup): void {
    if (this.#groups.get(group.groupId) === group) this.#groups.delete(group.groupId);
  }

  partitionOf(groupId: string): number {
    return coordinatorPartition(groupId, this.log.partitionCount());
  }

  /** Persists the group's membership and current assignment (after a sync, or when it empties). */
  storeGroup(group: ClassicGroup, now: number): void {
    this.#append(group.groupId, [groupMetadataRecord(group.groupId, groupMetadataValue(group, now))]);
  }

  storeOffsets(group: ClassicGroup, offsets: readonly (TopicPartitionRef & { committed: CommittedOffset })[]): void {
    if (offsets.length === 0) return;
    this.#append(
      group.groupId,
      offsets.map((o) => offsetCommitRecord(group.groupId, o.topic, o.partition, o.committed)),
      { offsetCommit: true },
    );
    for (const o of offsets) group.offsets.set(o.topic, o.partition, o.committed);
  }

  /** TxnOffsetCommit: written in the producer's transaction, applied only once its COMMIT marker is written here. */
  storeTxnOffsets(
    groupId: string,
    txn: TransactionalWrite,
    offsets: readonly (TopicPartitionRef & { committed: CommittedOffset })[],
  ): void {
    if (offsets.length === 0) return;
    this.log.append(
      this.partitionOf(groupId),
      offsets.map((o) => offsetCommitRecord(groupId, o.topic, o.partition, o.committed)),
      { offsetCommit: true, txn },
    );
    for (const o of offsets) this.#pendingOffsetsOf(txn.producerId, groupId).set(`${o.partition}:${o.topic}`, o);
  }

  /**
   * A marker for `producerId` was written to `__consumer_offsets` partition `partition` (Kafka's
   * onTransactionCompleted): its pending offsets for the groups there are applied on COMMIT, dropped on ABORT.
   */
  completeTxn(producerId: bigint, partition: number, commit: boolean, now: number): void {
    const byGroup = this.#pendingTxnOffsets.get(producerId);
    if (!byGroup) return;
    for (const [groupId, offsets] of byGroup) {
      if (this.partitionOf(groupId) !== partition) continue;
      byGroup.delete(groupId);
      if (!commit) continue;
      const group = this.getOrCreate(groupId, now);
      for (const o of offsets.values()) group.offsets.set(o.topic, o.partition, o.committed);
    }
    if (byGroup.size === 0) this.#pendingTxnOffsets.delete(producerId);
  }

  /** Whether an open transaction has offsets for the partition (OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT). */
  hasPendingTxnOffset(groupId: string, topic: string, partition: number): boolean {
    for (const byGroup of this.#pendingTxnOffsets.values()) if (byGroup.get(groupId)?.has(`${partition}:${topic}`)) return true;
    return false;
  }

  /** Writes tombstones for the offsets, then forgets them. */
  deleteOffsets(group: ClassicGroup, partitions: readonly TopicPartitionRef[], withGroup = false): void {
    const tombstones: CoordinatorRecord[] = partitions.map((p) => ({
      key: offsetCommitKey(group.groupId, p.topic, p.partition),
      value: null,
    }));
    if (withGroup) tombstones.push({ key: groupMetadataKey(group.groupId), value: null });
    if (tombstones.length === 0) return;
    this.#append(group.groupId, tombstones);
    for (const p of partitions) group.offsets.delete(p.topic, p.partition);
  }

  /**
   * Rebuilds the groups of one `__consumer_offsets` partition from its records (it became led
   * here): the latest value of each key wins, tombstones remove. Groups with members come back
   * Stable (their members expire unless they heartbeat).
   */
  loadPartition(partition: number, now: number): ClassicGroup[] {
    const metadata = new Map<string, GroupMetadataValue | null>();
    const offsets = new Map<string, Map<string, TopicPartitionRef & { committed: CommittedOffset | null }>>();
    const pending = new Map<bigint, { groupId: string; offset: TopicPartitionRef & { committed: CommittedOffset } }[]>();
    const applyOffset = (groupId: string, o: TopicPartitionRef & { committed: CommittedOffset | null }) => {
      let byPartition = offsets.get(groupId);
      if (!byPartition) offsets.set(groupId, (byPartition = new Map()));
      byPartition.set(`${o.partition}:${o.topic}`, o);
    };
    const onMarker = (producerId: bigint, commit: boolean) => {
      for (const { groupId, offset } of pending.get(producerId) ?? []) if (commit) applyOffset(groupId, offset);
      pending.delete(producerId);
    };
    this.log.replay(
      partition,
      (record, txnProducerId) => {
        let decoded: ReturnType<typeof decodeCoordinatorRecord>;
        try {
          decoded = decodeCoordinatorRecord(record);
        } catch (err) {
          this.onWarning(`__consumer_offsets-${partition}: skipping an unreadable record: ${(err as Error).message}`);
          return;
        }
        if (decoded.type === 'group') metadata.set(decoded.group, decoded.value);
        else if (decoded.type === 'offset') {
          const offset = { topic: decoded.topic, partition: decoded.partition, committed: decoded.value };
          if (txnProducerId === undefined) applyOffset(decoded.group, offset);
          else if (offset.committed) {
            let list = pending.get(txnProducerId);
            if (!list) pending.set(txnProducerId, (list = []));
            list.push({ groupId: decoded.group, offset: { ...offset, committed: offset.committed } });
          }
        }
      },
      onMarker,
    );
    // Transactions still open keep their offsets pending until their marker comes.
    for (const [producerId, list] of pending) {
      for (const { groupId, offset } of list)
        this.#pendingOffsetsOf(producerId, groupId).set(`${offset.partition}:${offset.topic}`, offset);
    }
    const loaded: ClassicGroup[] = [];
    for (const groupId of new Set([...metadata.keys(), ...offsets.keys()])) {
      const value = metadata.get(groupId);
      const live = [...(offsets.get(groupId)?.values() ?? [])].filter((o) => o.committed !== null);
      if (!value && live.length === 0) continue;
      const group = value ? groupFromMetadata(groupId, value, now) : new ClassicGroup(groupId, now);
      for (const o of live) group.offsets.set(o.topic, o.partition, o.committed!);
      this.#groups.set(groupId, group);
      loaded.push(group);
    }
    return loaded;
  }

  /** Forgets the groups of a partition no longer led here; returns them so their waiting requests can be answered. */
  unloadPartition(partition: number): ClassicGroup[] {
    const unloaded = [...this.#groups.values()].filter((g) => this.partitionOf(g.groupId) === partition);
    for (const group of unloaded) this.#groups.delete(group.groupId);
    for (const [producerId, byGroup] of this.#pendingTxnOffsets) {
      for (const groupId of byGroup.keys()) if (this.partitionOf(groupId) === partition) byGroup.delete(groupId);
      if (byGroup.size === 0) this.#pendingTxnOffsets.delete(producerId);
    }
    return unloaded;
  }

  #pendingOffsetsOf(producerId: bigint, groupId: string): PendingOffsets {
    let byGroup = this.#pendingTxnOffsets.get(producerId);
    if (!byGroup) this.#pendingTxnOffsets.set(producerId, (byGroup = new Map()));
    let offsets = byGroup.get(groupId);
    if (!offsets) byGroup.set(groupId, (offsets = new Map()));
    return offsets;
  }

  #append(groupId: string, records: CoordinatorRecord[], batch?: CoordinatorBatch): void {
    this.log.append(this.partitionOf(groupId), records, batch);
  }
}

/** One group's pending offsets of one transaction, keyed `<partition>:<topic>`. */
type PendingOffsets = Map<string, TopicPartitionRef & { committed: CommittedOffset }>;

function groupMetadataValue(group: ClassicGroup, now: number): GroupMetadataValue {
  return {
    protocolType: group.protocolType ?? '',
    generation: group.generationId,
    protocol: group.protocolName,
    leader: group.leaderId,
    currentStateTimestamp: BigInt(now),
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeout: m.rebalanceTimeoutMs,
      sessionTimeout: m.sessionTimeoutMs,
      subscription: memberMetadataFor(m, group.protocolName),
      assignment: m.assignment,
    })),
  };
}

function groupFromMetadata(groupId: string, value: GroupMetadataValue, now: number): ClassicGroup {
  const group = new ClassicGroup(groupId, value.currentStateTimestamp >= 0n ? Number(value.currentStateTimestamp) : now);
  group.generationId = value.generation;
  group.protocolType = value.protocolType === '' ? null : value.protocolType;
  group.protocolName = value.protocol;
  for (const m of value.members) {
    const member: GroupMember = {
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      sessionTimeoutMs: m.sessionTimeout,
      rebalanceTimeoutMs: m.rebalanceTimeout >= 0 ? m.rebalanceTimeout : m.sessionTimeout,
      protocolType: value.protocolType,
      protocols: value.protocol === null ? [] : [{ name: value.protocol, metadata: m.subscription }],
      assignment: m.assignment,
      isNew: false,
      supportsSkipAssignment: false,
    };
    group.add(member);
  }
  group.leaderId = value.leader !== null && group.members.has(value.leader) ? value.leader : group.leaderId;
  // Loaded groups skip the rebalance states: Stable with members (as persisted after a sync), else Empty.
  if (group.members.size > 0) group.state = 'Stable';
  return group;
}
