import { afterEach, describe, expect, it } from 'vitest';
import { decodeAssignment } from '../../../src/client/consumer/group/consumer-protocol.js';
import { GroupConsumer } from '../../../src/client/consumer/group/group-consumer.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import type { DecodedRequest } from '../../../src/protocol/framing.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultFetchResponse, defaultFetchResponsePartitionData } from '../../../src/protocol/generated/apis/fetch.js';
import { defaultFindCoordinatorResponse } from '../../../src/protocol/generated/apis/find-coordinator.js';
import { defaultHeartbeatResponse } from '../../../src/protocol/generated/apis/heartbeat.js';
import { defaultJoinGroupResponse } from '../../../src/protocol/generated/apis/join-group.js';
import { defaultLeaveGroupResponse } from '../../../src/protocol/generated/apis/leave-group.js';
import {
  defaultMetadataResponse,
  defaultMetadataResponseBroker,
  defaultMetadataResponsePartition,
  defaultMetadataResponseTopic,
} from '../../../src/protocol/generated/apis/metadata.js';
import { defaultOffsetCommitResponse } from '../../../src/protocol/generated/apis/offset-commit.js';
import { defaultOffsetFetchResponse, defaultOffsetFetchResponsePartition } from '../../../src/protocol/generated/apis/offset-fetch.js';
import { defaultSyncGroupResponse } from '../../../src/protocol/generated/apis/sync-group.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { waitUntil } from '../../helpers/wait.js';
import { startScriptedCluster, type ScriptedCluster } from './scripted-cluster.js';

/** Versions before the batched FindCoordinator (v4), OffsetFetch (v8) and LeaveGroup (v3): the paths the embedded broker's newer ones skip. */
const OLDER_GROUP_APIS: ReadonlyArray<[ApiKey, number]> = [
  [ApiKey.FindCoordinator, 3],
  [ApiKey.JoinGroup, 5],
  [ApiKey.SyncGroup, 3],
  [ApiKey.Heartbeat, 3],
  [ApiKey.LeaveGroup, 2],
  [ApiKey.OffsetCommit, 7],
  [ApiKey.OffsetFetch, 7],
];

/** The group's coordinator as scripted: records what members ask for, as short lines. */
class ScriptedGroup {
  readonly events: string[] = [];
  /** Node answering FindCoordinator; the first answer sends the member to node 1, which is not the coordinator. */
  private coordinator = 1;
  private generation = 0;
  committed = 1n;
  rebalanceNext = false;

  constructor(private readonly cluster: () => ScriptedCluster) {}

  async answer(node: number, request: DecodedRequest): Promise<unknown> {
    const ports = this.cluster().ports;
    switch (request.apiKey) {
      case ApiKey.Metadata:
        return {
          ...defaultMetadataResponse(),
          brokers: ports.map((port, nodeId) => ({ ...defaultMetadataResponseBroker(), nodeId, host: '127.0.0.1', port })),
          topics: [
            {
              ...defaultMetadataResponseTopic(),
              name: 't',
              partitions: [{ ...defaultMetadataResponsePartition(), partitionIndex: 0, leaderId: 0 }],
            },
          ],
        };
      case ApiKey.FindCoordinator: {
        const id = this.coordinator;
        this.coordinator = 0;
        return { ...defaultFindCoordinatorResponse(), nodeId: id, host: '127.0.0.1', port: ports[id]! };
      }
      case ApiKey.JoinGroup: {
        const { memberId, protocols } = request.body;
        this.events.push(`JoinGroup@${node} '${memberId}'`);
        if (node !== 0) return { ...defaultJoinGroupResponse(), errorCode: ErrorCode.NOT_COORDINATOR };
        if (memberId === '') return { ...defaultJoinGroupResponse(), errorCode: ErrorCode.MEMBER_ID_REQUIRED, memberId: 'member-1' };
        return {
          ...defaultJoinGroupResponse(),
          generationId: ++this.generation,
          protocolName: protocols[0]!.name,
          leader: memberId,
          memberId,
          members: [{ memberId, groupInstanceId: null, metadata: protocols[0]!.metadata }],
        };
      }
      case ApiKey.SyncGroup: {
        const mine = request.body.assignments.find((a) => a.memberId === request.body.memberId)!;
        const partitions = decodeAssignment(mine.assignment).map((p) => `${p.topic}-${p.partition}`);
        this.events.push(`SyncGroup generation ${request.body.generationId}: ${partitions.join(',')}`);
        return { ...defaultSyncGroupResponse(), assignment: mine.assignment };
      }
      case ApiKey.OffsetFetch:
        return {
          ...defaultOffsetFetchResponse(),
          topics: [
            {
              name: 't',
              partitions: [
                { ...defaultOffsetFetchResponsePartition(), partitionIndex: 0, committedOffset: this.committed, committedLeaderEpoch: 4 },
              ],
            },
          ],
        };
      case ApiKey.Heartbeat: {
        const rebalance = this.rebalanceNext;
        this.rebalanceNext = false;
        return { ...defaultHeartbeatResponse(), errorCode: rebalance ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE };
      }
      case ApiKey.OffsetCommit: {
        const { topics, generationIdOrMemberEpoch, memberId } = request.body;
        const p = topics[0]!.partitions[0]!;
        this.events.push(
          `OffsetCommit generation ${generationIdOrMemberEpoch} ${memberId}: t-0@${p.committedOffset} epoch ${p.committedLeaderEpoch}`,
        );
        this.committed = p.committedOffset;
        return {
          ...defaultOffsetCommitResponse(),
          topics: topics.map((t) => ({
            name: t.name,
            partitions: t.partitions.map((q) => ({ partitionIndex: q.partitionIndex, errorCode: 0 })),
          })),
        };
      }
      case ApiKey.LeaveGroup:
        this.events.push(`LeaveGroup '${request.body.memberId}'`);
        return defaultLeaveGroupResponse();
      case ApiKey.Fetch: {
        if (request.body.topics[0]!.partitions[0]!.fetchOffset >= 3n) {
          await new Promise((resolve) => setTimeout(resolve, request.body.maxWaitMs));
          return fetched(null);
        }
        return fetched(encodeBatch({ partitionLeaderEpoch: 5, records: ['a', 'b', 'c'].map((v) => ({ value: Buffer.from(v) })) }));
      }
      default:
        return undefined;
    }
  }
}

function fetched(records: Buffer | null) {
  return {
    ...defaultFetchResponse(),
    responses: [
      { topic: 't', topicId: '', partitions: [{ ...defaultFetchResponsePartitionData(), partitionIndex: 0, highWatermark: 3n, records }] },
    ],
  };
}

describe('group consumer against a scripted coordinator', () => {
  let cluster: ScriptedCluster | undefined;
  let consumer: GroupConsumer | undefined;
  afterEach(async () => {
    await consumer?.close();
    await cluster?.close();
  });

  it('looks the coordinator up again after NOT_COORDINATOR, takes the member id KIP-394 hands out, commits before rejoining, leaves on close', async () => {
    const group = new ScriptedGroup(() => cluster!);
    cluster = await startScriptedCluster(2, (node, request) => group.answer(node, request) as never, OLDER_GROUP_APIS);
    consumer = await GroupConsumer.open({
      bootstrap: [{ host: '127.0.0.1', port: cluster.ports[0]! }],
      retryBackoffMs: 10,
      fetchMaxWaitMs: 50,
      group: { groupId: 'g', heartbeatIntervalMs: 50, autoCommitIntervalMs: 60_000 },
    });
    consumer.subscribe({ topics: ['t'] });

    // The committed offset is 1: only b and c are read; the position moves past c, in leader epoch 5.
    const data = (await consumer.next())!;
    const values: string[] = [];
    expect(consumer.read(data, (r) => values.push(r.value!.toString()) > 0)).toBe(true);
    expect(values).toEqual(['b', 'c']);

    group.rebalanceNext = true;
    await waitUntil(
      () => group.events.filter((e) => e.startsWith('SyncGroup')).length === 2,
      () => group.events.join('\n'),
      10_000,
    );
    await consumer.close();
    expect(group.events).toEqual([
      "JoinGroup@1 ''",
      "JoinGroup@0 ''",
      "JoinGroup@0 'member-1'",
      'SyncGroup generation 1: t-0',
      'OffsetCommit generation 1 member-1: t-0@3 epoch 5',
      "JoinGroup@0 'member-1'",
      'SyncGroup generation 2: t-0',
      "LeaveGroup 'member-1'",
    ]);
  });
});
