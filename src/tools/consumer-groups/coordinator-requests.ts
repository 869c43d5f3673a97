import { KtsError } from '../../util/errors.js';
import type { BrokerAddress } from '../../client/bootstrap.js';
import { withVersionedConnection, type VersionedConnection, type VersionedConnectionOptions } from '../../client/versioned-connection.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { DescribeGroupsResponseDescribedGroup } from '../../protocol/generated/apis/describe-groups.js';
import { ErrorCode } from '../../protocol/errors.js';
import { kafkaErrorMessage } from './kafka-errors.js';
import type { PlannedOffset } from './reset-plan.js';
import { partitionKey, type TopicPartition } from './topic-partitions.js';

export interface Coordinator extends BrokerAddress {
  id: number;
}

/** A group as its coordinator described it. */
export interface DescribedGroup {
  coordinator: Coordinator;
  group: DescribeGroupsResponseDescribedGroup;
}

/** FindCoordinator keeps a group id in `key` up to v3; v4 batches keys in another field. */
const FIND_COORDINATOR_MAX_VERSION = 3;
const COORDINATOR_RETRIES = 10;
/** OffsetFetch v8 batches groups in another field. */
const LAST_SINGLE_GROUP_OFFSET_FETCH_VERSION = 7;
const RETRY_BACKOFF_MS = 200;
const RETRIABLE_COORDINATOR_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.NOT_COORDINATOR,
]);

/**
 * Group requests as Kafka's admin client sends them, each to the group's coordinator over a
 * raw connection: FindCoordinator on any broker, then the request.
 */
export class CoordinatorRequests {
  constructor(
    private readonly anyBroker: () => Promise<BrokerAddress>,
    private readonly options: VersionedConnectionOptions,
  ) {}

  async coordinator(group: string): Promise<Coordinator> {
    return withVersionedConnection(await this.anyBroker(), this.options, (c) => findCoordinator(c, group));
  }

  /**
   * DescribeGroups at the highest version both sides speak (v4+ names static members), one request
   * per coordinator, as Admin.describeConsumerGroups batches it.
   */
  async describe(groups: readonly string[]): Promise<DescribedGroup[]> {
    const answers = await this.perCoordinator(groups, async (c, ids) => {
      const r = await c.request(ApiKey.DescribeGroups, { groups: ids, includeAuthorizedOperations: false });
      return r.groups;
    });
    return answers.map(({ coordinator, answer: group }) => {
      if (group.errorCode !== ErrorCode.NONE)
        throw new KtsError(`Error: Executing consumer group command failed due to ${kafkaErrorMessage(group.errorCode)}`);
      return { coordinator, group };
    });
  }

  /** Admin.deleteConsumerGroups: DeleteGroups, one request per coordinator; each group's error code. */
  async deleteGroups(groups: readonly string[]): Promise<Map<string, number>> {
    const answers = await this.perCoordinator(groups, async (c, ids) => {
      const r = await c.request(ApiKey.DeleteGroups, { groupsNames: ids });
      return r.results;
    });
    return new Map(answers.map(({ answer }) => [answer.groupId, answer.errorCode]));
  }

  /**
   * Sends `send` once per coordinator for its groups; groups answered with a retriable coordinator
   * error (the coordinator moved or is loading) are looked up and asked again.
   */
  private async perCoordinator<A extends { groupId: string; errorCode: number }>(
    groups: readonly string[],
    send: (c: VersionedConnection, ids: string[]) => Promise<A[]>,
  ): Promise<Array<{ coordinator: Coordinator; answer: A }>> {
    const answers: Array<{ coordinator: Coordinator; answer: A }> = [];
    let pending = [...new Set(groups)];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(RETRY_BACKOFF_MS);
      const retry: string[] = [];
      for (const { coordinator, groups: ids } of await this.byCoordinator(pending)) {
        for (const answer of await withVersionedConnection(coordinator, this.options, (c) => send(c, ids))) {
          if (RETRIABLE_COORDINATOR_ERRORS.has(answer.errorCode) && attempt < COORDINATOR_RETRIES) retry.push(answer.groupId);
          else answers.push({ coordinator, answer });
        }
      }
      pending = retry;
    }
    return answers;
  }

  private async byCoordinator(groups: readonly string[]): Promise<Array<{ coordinator: Coordinator; groups: string[] }>> {
    const out = new Map<number, { coordinator: Coordinator; groups: string[] }>();
    await withVersionedConnection(await this.anyBroker(), this.options, async (c) => {
      for (const group of groups) {
        const coordinator = await findCoordinator(c, group);
        const entry = out.get(coordinator.id) ?? { coordinator, groups: [] };
        entry.groups.push(group);
        out.set(coordinator.id, entry);
      }
    });
    return [...out.values()];
  }

  /** A commit outside any generation, as Admin.alterConsumerGroupOffsets sends it; the group must be empty. */
  async commit(group: string, offsets: readonly PlannedOffset[]): Promise<void> {
    const errors = await this.onCoordinator(group, async (c) => {
      const r = await c.request(ApiKey.OffsetCommit, {
        groupId: group,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: byTopic(offsets).map(([name, partitions]) => ({
          name,
          partitions: partitions.map((p) => ({
            partitionIndex: p.partition,
            committedOffset: BigInt(p.offset),
            committedLeaderEpoch: -1,
            commitTimestamp: -1n,
            committedMetadata: '',
          })),
        })),
      });
      return r.topics.flatMap((t) => t.partitions.filter((p) => p.errorCode !== ErrorCode.NONE).map((p) => p.errorCode));
    });
    if (errors.length > 0) throw new KtsError(`Error: Executing consumer group command failed due to ${kafkaErrorMessage(errors[0]!)}`);
  }

  /** OffsetFetch in its one-group form (v7 at most): the committed offsets of `partitions` by partitionKey, where there are any. */
  async committed(group: string, partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    const { errorCode, offsets } = await this.offsetFetch(group, partitions);
    if (errorCode !== ErrorCode.NONE)
      throw new KtsError(`Error: could not read the offsets of group '${group}': ${kafkaErrorMessage(errorCode)}`);
    return new Map(offsets.map((o) => [partitionKey(o), o.offset]));
  }

  /**
   * OffsetFetch in its one-group form (v7 at most) for `partitions` (null: every partition with a
   * committed offset), asked again while the coordinator moves or loads: the group's error code,
   * and the committed offsets (partitions with an error or none committed are left out, as
   * Admin.listConsumerGroupOffsets leaves them out).
   */
  async offsetFetch(group: string, partitions: readonly TopicPartition[] | null): Promise<{ errorCode: number; offsets: PlannedOffset[] }> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.onCoordinator(group, (c) =>
        c.request(
          ApiKey.OffsetFetch,
          {
            groupId: group,
            topics:
              partitions === null
                ? null
                : byTopic(partitions).map(([name, ps]) => ({ name, partitionIndexes: ps.map((p) => p.partition) })),
            groups: [],
            requireStable: false,
          },
          LAST_SINGLE_GROUP_OFFSET_FETCH_VERSION,
        ),
      );
      if (RETRIABLE_COORDINATOR_ERRORS.has(r.errorCode) && attempt < COORDINATOR_RETRIES) {
        await sleep(RETRY_BACKOFF_MS);
        continue;
      }
      const offsets = r.topics.flatMap((t) =>
        t.partitions
          .filter((p) => p.errorCode === ErrorCode.NONE && p.committedOffset >= 0n)
          .map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset) })),
      );
      return { errorCode: r.errorCode, offsets };
    }
  }

  /** Admin.removeMembersFromConsumerGroup: one LeaveGroup (v3+) naming every member. */
  async removeMembers(group: string, members: ReadonlyArray<{ memberId: string; groupInstanceId: string | null }>): Promise<void> {
    const code = await this.onCoordinator(group, async (c) => {
      const r = await c.request(ApiKey.LeaveGroup, {
        groupId: group,
        memberId: '',
        members: members.map((m) => ({ ...m, reason: 'member was removed by an admin' })),
      });
      return r.errorCode !== ErrorCode.NONE
        ? r.errorCode
        : (r.members.find((m) => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE);
    });
    if (code !== ErrorCode.NONE) throw new KtsError(`Error: could not remove the members of group '${group}': ${kafkaErrorMessage(code)}`);
  }

  /** OffsetDelete (KIP-496): a group-level error code and one per partition. */
  async deleteOffsets(
    group: string,
    partitions: readonly TopicPartition[],
  ): Promise<{ errorCode: number; partitions: Map<string, number> }> {
    return this.onCoordinator(group, async (c) => {
      const r = await c.request(ApiKey.OffsetDelete, {
        groupId: group,
        topics: byTopic(partitions).map(([name, ps]) => ({ name, partitions: ps.map((p) => ({ partitionIndex: p.partition })) })),
      });
      const codes = new Map<string, number>();
      for (const t of r.topics)
        for (const p of t.partitions) codes.set(partitionKey({ topic: t.name, partition: p.partitionIndex }), p.errorCode);
      return { errorCode: r.errorCode, partitions: codes };
    });
  }

  private async onCoordinator<T>(group: string, fn: (c: VersionedConnection) => Promise<T>): Promise<T> {
    return withVersionedConnection(await this.coordinator(group), this.options, fn);
  }
}

async function findCoordinator(c: VersionedConnection, group: string): Promise<Coordinator> {
  for (let attempt = 0; ; attempt++) {
    const r = await c.request(ApiKey.FindCoordinator, { key: group, keyType: 0, coordinatorKeys: [] }, FIND_COORDINATOR_MAX_VERSION);
    if (r.errorCode === ErrorCode.NONE) return { id: r.nodeId, host: r.host, port: r.port };
    if (!RETRIABLE_COORDINATOR_ERRORS.has(r.errorCode) || attempt >= COORDINATOR_RETRIES) {
      throw new KtsError(`Error: could not find the coordinator of group '${group}': ${kafkaErrorMessage(r.errorCode)}`);
    }
    await sleep(RETRY_BACKOFF_MS);
  }
}

function byTopic<T extends TopicPartition>(partitions: readonly T[]): Array<[string, T[]]> {
  const out = new Map<string, T[]>();
  for (const p of partitions) out.set(p.topic, [...(out.get(p.topic) ?? []), p]);
  return [...out];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
