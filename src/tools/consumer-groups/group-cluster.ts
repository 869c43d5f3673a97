import type { Admin } from 'kafkajs';
import { KtsError } from '../../util/errors.js';
import type { BrokerAddress } from '../../client/bootstrap.js';
import type { VersionedConnectionOptions } from '../../client/versioned-connection.js';
import { decodeConsumerProtocolAssignment } from '../../protocol/generated/data/consumer-protocol-assignment.js';
import { Reader } from '../../protocol/primitives/reader.js';
import { CoordinatorRequests, type Coordinator } from './coordinator-requests.js';
import { parseGroupState, parseGroupType, type GroupState, type GroupType } from './group-states.js';
import { withVersionedConnection } from '../../client/versioned-connection.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
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

const UNKNOWN_TOPIC = kafkaErrorMessage(3);

/**
 * What kafka-consumer-groups needs from a cluster. kafkajs's admin client does most of it; the
 * rest goes through kts's raw protocol client with the same security settings.
 */
export class GroupCluster {
  private readonly coordinators: CoordinatorRequests;

  constructor(
    private readonly admin: Admin,
    private readonly options: VersionedConnectionOptions,
  ) {
    this.coordinators = new CoordinatorRequests(() => this.anyBroker(), options);
  }

  /** Ids of consumer groups (protocol type `consumer` or none), as Admin.listConsumerGroups lists them. */
  async consumerGroupIds(): Promise<string[]> {
    const { groups } = await this.admin.listGroups();
    const ids = groups.filter((g) => g.protocolType === 'consumer' || g.protocolType === '').map((g) => g.groupId);
    return [...new Set(ids)].sort();
  }

  /**
   * Each consumer group's type, from ListGroups v5+ on every broker (`Unknown` from older
   * brokers, as Kafka's admin client has none to give), sorted by group id.
   */
  async groupTypes(): Promise<Map<string, GroupType>> {
    const { brokers } = await this.admin.describeCluster();
    const types = new Map<string, GroupType>();
    for (const broker of brokers) {
      const { groups } = await withVersionedConnection({ host: broker.host, port: broker.port }, this.options, (c) =>
        c.request(ApiKey.ListGroups, { statesFilter: [], typesFilter: [] }),
      );
      for (const g of groups)
        if (g.protocolType === 'consumer' || g.protocolType === '')
          types.set(g.groupId, g.groupType === '' ? 'Unknown' : parseGroupType(g.groupType));
    }
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
    const topics = await this.admin.fetchOffsets({ groupId: group });
    const out = new Map<string, PlannedOffset>();
    for (const { topic, partitions } of topics) {
      for (const p of partitions) {
        const offset = Number(p.offset);
        if (offset >= 0) out.set(partitionKey({ topic, partition: p.partition }), { topic, partition: p.partition, offset });
      }
    }
    return out;
  }

  /** Log start and end offsets by partitionKey; partitions of missing topics are left out. */
  async logRanges(partitions: Iterable<TopicPartition>): Promise<Map<string, LogRange>> {
    const out = new Map<string, LogRange>();
    for (const topic of await this.existingTopics(partitions)) {
      for (const r of await this.admin.fetchTopicOffsets(topic)) {
        out.set(partitionKey({ topic, partition: r.partition }), { start: Number(r.low), end: Number(r.high) });
      }
    }
    return out;
  }

  /** The first offset at or after `timestamp` per partitionKey; left out where no record is that late. */
  async offsetsAt(
    partitions: Iterable<TopicPartition>,
    timestamp: number,
    ranges: ReadonlyMap<string, LogRange>,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const topic of await this.existingTopics(partitions)) {
      for (const r of await this.admin.fetchTopicOffsetsByTimestamp(topic, timestamp)) {
        const key = partitionKey({ topic, partition: r.partition });
        // kafkajs answers "no such record" with the log end offset.
        if (Number(r.offset) !== ranges.get(key)?.end) out.set(key, Number(r.offset));
      }
    }
    return out;
  }

  /** Each topic's partition ids, or Kafka's message for a topic that does not exist. */
  async partitionsOf(topics: readonly string[]): Promise<Map<string, number[] | string>> {
    const existing = new Set(await this.admin.listTopics());
    const found = topics.filter((t) => existing.has(t));
    const metadata = found.length > 0 ? (await this.admin.fetchTopicMetadata({ topics: found })).topics : [];
    const out = new Map<string, number[] | string>(topics.map((t) => [t, UNKNOWN_TOPIC]));
    for (const t of metadata)
      out.set(
        t.name,
        t.partitions.map((p) => p.partitionId).sort((a, b) => a - b),
      );
    return out;
  }

  /** Deletes groups; the value is Kafka's reason for each group that could not be deleted. */
  async deleteGroups(ids: readonly string[]): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>(ids.map((id) => [id, undefined]));
    if (ids.length === 0) return out;
    try {
      await this.admin.deleteGroups([...ids]);
    } catch (err) {
      const failed = (err as { groups?: Array<{ groupId: string; errorCode: number }> }).groups;
      if (!Array.isArray(failed)) throw err;
      for (const g of failed) out.set(g.groupId, kafkaErrorMessage(g.errorCode));
    }
    return out;
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
    const [{ topics: metadata }, { brokers }] = await Promise.all([
      this.admin.fetchTopicMetadata({ topics: await this.existingTopics(positions) }),
      this.admin.describeCluster(),
    ]);
    const addresses = new Map(brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
    const leaders = new Map<string, BrokerAddress>();
    for (const t of metadata) {
      for (const p of t.partitions) {
        const address = addresses.get(p.leader);
        if (address !== undefined) leaders.set(partitionKey({ topic: t.name, partition: p.partitionId }), address);
      }
    }
    const probes = positions.flatMap((p) => {
      const leader = leaders.get(partitionKey(p));
      return leader === undefined ? [] : [{ ...p, leader }];
    });
    return nextRecordTimestamps(probes, this.options);
  }

  private async existingTopics(partitions: Iterable<TopicPartition>): Promise<string[]> {
    const existing = new Set(await this.admin.listTopics());
    return [...new Set([...partitions].map((p) => p.topic))].filter((t) => existing.has(t));
  }

  private async anyBroker(): Promise<BrokerAddress> {
    const { brokers } = await this.admin.describeCluster();
    const broker = brokers[0];
    if (broker === undefined) throw new KtsError('Error: the cluster reported no brokers');
    return { host: broker.host, port: broker.port };
  }
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
