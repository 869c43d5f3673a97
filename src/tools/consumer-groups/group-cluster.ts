import { KtsError } from '../../util/errors.js';
import { routeToLeaders } from '../../client/leader-routes.js';
import type { VersionedCluster } from '../../client/versioned-cluster.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { ListGroupsResponseListedGroup } from '../../protocol/generated/apis/list-groups.js';
import { decodeConsumerProtocolAssignment } from '../../protocol/generated/data/consumer-protocol-assignment.js';
import { Reader } from '../../protocol/primitives/reader.js';
import { partitionOffsets } from '../get-offsets/get-offsets.js';
import type { OffsetSpec } from '../get-offsets/offset-spec.js';
import { CoordinatorRequests, type Coordinator } from './coordinator-requests.js';
import { parseGroupState, parseGroupType, type GroupState, type GroupType } from './group-states.js';
import { kafkaErrorMessage } from './kafka-errors.js';
import { nextRecordTimestamps } from './next-record-time.js';
import type { PlannedOffset } from './reset-plan.js';
import { partitionKey, type TopicPartition } from './topic-partitions.js';

export interface MemberDescription {
  consumerId: string;
  /** Empty for dynamic members, and from brokers older than DescribeGroups v4 (Kafka 2.4). */
  groupInstanceId: string;
  clientId: string;
  host: string;
  assignment: TopicPartition[];
}

export interface GroupDescription {
  group: string;
  state: GroupState;
  /** The chosen assignor (`range`, `RoundRobinAssigner`, ...); empty without members. */
  assignmentStrategy: string;
  coordinator: Coordinator;
  members: MemberDescription[];
}

export interface LogRange {
  start: number;
  end: number;
}

const UNKNOWN_TOPIC = kafkaErrorMessage(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);

/**
 * What kafka-consumer-groups needs from a cluster, asked as Kafka's admin client asks it: cluster
 * requests through the tool's VersionedCluster (Metadata and ListGroups, ListOffsets to partition
 * leaders), group requests to each group's coordinator.
 */
export class GroupCluster {
  private readonly coordinators: CoordinatorRequests;

  constructor(private readonly cluster: VersionedCluster) {
    this.coordinators = new CoordinatorRequests(async () => cluster.bootstrap.address, cluster.connectionOptions);
  }

  /** Ids of consumer groups (protocol type `consumer` or none), as Admin.listConsumerGroups lists them. */
  async consumerGroupIds(): Promise<string[]> {
    return [...new Set((await this.consumerGroups()).map((g) => g.groupId))].sort();
  }

  /**
   * Each consumer group's type, from ListGroups v5+ (`Unknown` from older brokers, as Kafka's
   * admin client has none to give), sorted by group id.
   */
  async groupTypes(): Promise<Map<string, GroupType>> {
    const types = new Map<string, GroupType>();
    for (const g of await this.consumerGroups()) types.set(g.groupId, g.groupType === '' ? 'Unknown' : parseGroupType(g.groupType));
    return new Map([...types].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Descriptions sorted by group id; an unknown group comes back Dead, as the broker reports it. */
  async describe(ids: readonly string[]): Promise<GroupDescription[]> {
    return (await this.coordinators.describe(ids))
      .map(({ coordinator, group: g }) => ({
        group: g.groupId,
        state: parseGroupState(g.groupState),
        assignmentStrategy: g.protocolData,
        coordinator,
        members: g.members.map((m) => ({
          consumerId: m.memberId,
          groupInstanceId: m.groupInstanceId ?? '',
          clientId: m.clientId,
          host: m.clientHost,
          assignment: g.protocolType === 'consumer' ? decodeAssignment(m.memberAssignment) : [],
        })),
      }))
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  }

  /** The group's committed offsets, by partitionKey. */
  async committed(group: string): Promise<Map<string, PlannedOffset>> {
    const { errorCode, offsets } = await this.coordinators.offsetFetch(group, null);
    if (errorCode !== ErrorCode.NONE) throw commandFailed(errorCode);
    return new Map(offsets.map((o) => [partitionKey(o), o]));
  }

  /** Log start and end offsets by partitionKey; partitions that do not exist are left out. */
  async logRanges(partitions: Iterable<TopicPartition>): Promise<Map<string, LogRange>> {
    const existing = await this.existingPartitions(partitions);
    const [starts, ends] = await Promise.all([this.offsets(existing, { kind: 'earliest' }), this.offsets(existing, { kind: 'latest' })]);
    const out = new Map<string, LogRange>();
    for (const [key, start] of starts) {
      const end = ends.get(key);
      if (end !== undefined) out.set(key, { start, end });
    }
    return out;
  }

  /** The first offset at or after `timestamp` per partitionKey; left out where no record is that late. */
  async offsetsAt(partitions: Iterable<TopicPartition>, timestamp: number): Promise<Map<string, number>> {
    return this.offsets(await this.existingPartitions(partitions), { kind: 'timestamp', ms: BigInt(timestamp) });
  }

  /** Each topic's partition ids, or Kafka's message for why they cannot be listed (a topic that does not exist). */
  async partitionsOf(topics: readonly string[]): Promise<Map<string, number[] | string>> {
    const out = new Map<string, number[] | string>(topics.map((t) => [t, UNKNOWN_TOPIC]));
    if (topics.length === 0) return out;
    for (const t of (await this.cluster.metadata(topics)).topics) {
      if (t.name === null || !out.has(t.name)) continue;
      out.set(
        t.name,
        t.errorCode === ErrorCode.NONE ? t.partitions.map((p) => p.partitionIndex).sort((a, b) => a - b) : kafkaErrorMessage(t.errorCode),
      );
    }
    return out;
  }

  /** Deletes groups; the value is Kafka's reason for each group that could not be deleted. */
  async deleteGroups(ids: readonly string[]): Promise<Map<string, string | undefined>> {
    const codes = ids.length === 0 ? new Map<string, number>() : await this.coordinators.deleteGroups(ids);
    return new Map(
      ids.map((id) => {
        const code = codes.get(id) ?? ErrorCode.NONE;
        return [id, code === ErrorCode.NONE ? undefined : kafkaErrorMessage(code)];
      }),
    );
  }

  async commit(group: string, offsets: readonly PlannedOffset[]): Promise<void> {
    await this.coordinators.commit(group, offsets);
  }

  async deleteOffsets(
    group: string,
    partitions: readonly TopicPartition[],
  ): Promise<{ errorCode: number; partitions: Map<string, number> }> {
    return this.coordinators.deleteOffsets(group, partitions);
  }

  /** Timestamps of the records at these offsets, by partitionKey, where they can be read. */
  async recordTimestamps(positions: readonly PlannedOffset[]): Promise<Map<string, number>> {
    if (positions.length === 0) return new Map();
    const metadata = await this.cluster.metadata([...new Set(positions.map((p) => p.topic))]);
    const probes = routeToLeaders(metadata, positions).routes.flatMap(({ leader, partitions }) =>
      partitions.map((p) => ({ ...p, leader })),
    );
    return nextRecordTimestamps(probes, this.cluster.connectionOptions);
  }

  /** ListGroups on every broker (each coordinates some groups): the consumer groups among them. */
  private async consumerGroups(): Promise<ListGroupsResponseListedGroup[]> {
    const { brokers } = await this.cluster.metadata([]);
    const listed = await Promise.all(
      brokers.map(async (b) => {
        const conn = await this.cluster.connection({ host: b.host, port: b.port });
        const r = await conn.request(ApiKey.ListGroups, { statesFilter: [], typesFilter: [] });
        if (r.errorCode !== ErrorCode.NONE) throw commandFailed(r.errorCode);
        return r.groups;
      }),
    );
    return listed.flat().filter((g) => g.protocolType === 'consumer' || g.protocolType === '');
  }

  /** Those of `partitions` the cluster has. */
  private async existingPartitions(partitions: Iterable<TopicPartition>): Promise<TopicPartition[]> {
    const wanted = new Map([...partitions].map((p) => [partitionKey(p), p]));
    if (wanted.size === 0) return [];
    const metadata = await this.cluster.metadata([...new Set([...wanted.values()].map((p) => p.topic))]);
    return metadata.topics.flatMap((t) =>
      t.partitions.flatMap((p) => wanted.get(partitionKey({ topic: t.name ?? '', partition: p.partitionIndex })) ?? []),
    );
  }

  /** The offsets `spec` names by partitionKey (get-offsets' lookup: leaders, retries); a partition that fails fails the command. */
  private async offsets(partitions: readonly TopicPartition[], spec: OffsetSpec): Promise<Map<string, number>> {
    if (partitions.length === 0) return new Map();
    const topics = [...new Set(partitions.map((p) => p.topic))];
    const { offsets, failures } = await partitionOffsets(this.cluster, await this.cluster.metadata(topics), partitions, spec);
    if (failures[0] !== undefined) throw commandFailed(failures[0].errorCode);
    return new Map(offsets.map((o) => [partitionKey(o), Number(o.offset)]));
  }
}

/** ConsumerGroupCommand's line for a request that failed. */
function commandFailed(errorCode: number): KtsError {
  return new KtsError(`Error: Executing consumer group command failed due to ${kafkaErrorMessage(errorCode)}`);
}

/** A member's ConsumerProtocolAssignment; empty while rebalancing, and for bytes that do not decode. */
function decodeAssignment(bytes: Buffer): TopicPartition[] {
  if (bytes.length === 0) return [];
  try {
    const r = new Reader(bytes);
    const version = r.int16();
    const { assignedPartitions } = decodeConsumerProtocolAssignment(r, Math.max(0, version));
    return assignedPartitions.flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition })));
  } catch {
    return [];
  }
}
