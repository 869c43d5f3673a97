import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { API_INFO, ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultApiVersionsRequest } from '../../../src/protocol/generated/apis/api-versions.js';
import { defaultCreatePartitionsRequest } from '../../../src/protocol/generated/apis/create-partitions.js';
import {
  defaultCreateTopicsRequest,
  defaultCreateTopicsRequestCreatableTopic,
} from '../../../src/protocol/generated/apis/create-topics.js';
import { defaultDeleteTopicsRequest } from '../../../src/protocol/generated/apis/delete-topics.js';
import { defaultDescribeClusterRequest } from '../../../src/protocol/generated/apis/describe-cluster.js';
import { defaultDescribeConfigsRequest } from '../../../src/protocol/generated/apis/describe-configs.js';
import { defaultFetchRequest } from '../../../src/protocol/generated/apis/fetch.js';
import { defaultInitProducerIdRequest } from '../../../src/protocol/generated/apis/init-producer-id.js';
import { defaultJoinGroupRequest } from '../../../src/protocol/generated/apis/join-group.js';
import {
  defaultListOffsetsRequest,
  defaultListOffsetsRequestListOffsetsPartition,
} from '../../../src/protocol/generated/apis/list-offsets.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { defaultOffsetCommitRequest, defaultOffsetCommitRequestPartition } from '../../../src/protocol/generated/apis/offset-commit.js';
import { defaultProduceRequest } from '../../../src/protocol/generated/apis/produce.js';
import { ZERO_UUID } from '../../../src/protocol/primitives/uuid.js';
import { encodeMessageSet } from '../../../src/protocol/records/legacy-message-set.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { connect, fetchTopic } from './helpers.js';

const TOPIC = 'every-version';
const TOPIC_RESOURCE = { resourceType: 2, resourceName: TOPIC };
const BROKER_RESOURCE = { resourceType: 4, resourceName: '0' };

/**
 * A meaningful request of an API at version `v` (names, not ids, where a version has both); undefined
 * for the group APIs, which need a group set up first (exerciseGroupApi).
 */
function request(apiKey: number, v: number, topicId: string, logDir = ''): unknown {
  switch (apiKey) {
    case ApiKey.Produce: {
      const records =
        v < 3
          ? encodeMessageSet({ magic: v < 2 ? 0 : 1, messages: [{ offset: 0n, value: Buffer.from('x') }] })
          : encodeBatch({ records: [{ value: Buffer.from('x') }] });
      return { ...defaultProduceRequest(), acks: 1, timeoutMs: 1000, topicData: [{ name: TOPIC, partitionData: [{ index: 0, records }] }] };
    }
    case ApiKey.Fetch:
      return {
        ...defaultFetchRequest(),
        topics: [fetchTopic(v >= 13 ? '' : TOPIC, [{ partition: 0, fetchOffset: 0n }], v >= 13 ? topicId : undefined)],
      };
    case ApiKey.ListOffsets:
      return {
        ...defaultListOffsetsRequest(),
        replicaId: -1,
        topics: [{ name: TOPIC, partitions: [{ ...defaultListOffsetsRequestListOffsetsPartition(), timestamp: -1n }] }],
      };
    case ApiKey.Metadata:
      return { ...defaultMetadataRequest(), allowAutoTopicCreation: true, topics: [{ name: TOPIC, topicId: ZERO_UUID }] };
    case ApiKey.ApiVersions:
      return v >= 3
        ? { ...defaultApiVersionsRequest(), clientSoftwareName: 'test', clientSoftwareVersion: '1' }
        : defaultApiVersionsRequest();
    case ApiKey.CreateTopics:
      return {
        ...defaultCreateTopicsRequest(),
        topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name: `created-v${v}`, numPartitions: 1, replicationFactor: 1 }],
      };
    case ApiKey.DeleteTopics:
      return v >= 6
        ? { ...defaultDeleteTopicsRequest(), topics: [{ name: `created-v${v}`, topicId: ZERO_UUID }] }
        : { ...defaultDeleteTopicsRequest(), topicNames: [`created-v${v}`] };
    case ApiKey.CreatePartitions:
      return { ...defaultCreatePartitionsRequest(), topics: [{ name: TOPIC, count: 2 + v, assignments: null }] };
    case ApiKey.InitProducerId:
      return { ...defaultInitProducerIdRequest(), transactionalId: null };
    case ApiKey.DeleteRecords:
      return { timeoutMs: 1000, topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, offset: -1n }] }] };
    case ApiKey.OffsetForLeaderEpoch:
      return { replicaId: -1, topics: [{ topic: TOPIC, partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] }] };
    case ApiKey.DescribeConfigs:
      return {
        ...defaultDescribeConfigsRequest(),
        resources: [TOPIC_RESOURCE, BROKER_RESOURCE].map((r) => ({ ...r, configurationKeys: null })),
      };
    case ApiKey.AlterConfigs:
      return { validateOnly: false, resources: [{ ...TOPIC_RESOURCE, configs: [{ name: 'retention.ms', value: String(3_600_000 + v) }] }] };
    case ApiKey.IncrementalAlterConfigs:
      return {
        validateOnly: false,
        resources: [{ ...TOPIC_RESOURCE, configs: [{ name: 'retention.ms', configOperation: 0, value: String(7_200_000 + v) }] }],
      };
    case ApiKey.DescribeLogDirs:
      return { topics: [{ topic: TOPIC, partitions: [0] }] };
    case ApiKey.AlterPartitionReassignments:
      // To the replicas it has: the single broker's own controller has nothing to do.
      return { timeoutMs: 1000, topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, replicas: [0] }] }] };
    case ApiKey.ListPartitionReassignments:
      return { timeoutMs: 1000, topics: null };
    case ApiKey.AlterReplicaLogDirs:
      // The dir the partition is in already: nothing to move, NONE.
      return { dirs: [{ path: logDir, topics: [{ name: TOPIC, partitions: [0] }] }] };
    case ApiKey.DescribeCluster:
      return defaultDescribeClusterRequest();
    case ApiKey.DescribeClientQuotas:
      return { components: [], strict: false };
    case ApiKey.AlterClientQuotas:
      return {
        validateOnly: false,
        entries: [
          {
            entity: [{ entityType: 'client-id', entityName: `client-v${v}` }],
            ops: [{ key: 'producer_byte_rate', value: 1024, remove: false }],
          },
        ],
      };
    case ApiKey.DescribeTopicPartitions:
      return { topics: [{ name: TOPIC }], responsePartitionLimit: 2000, cursor: null };
    case ApiKey.FindCoordinator:
      return v >= 4 ? { key: '', keyType: 0, coordinatorKeys: [`group-v${v}`] } : { key: `group-v${v}`, keyType: 0, coordinatorKeys: [] };
    case ApiKey.ListGroups:
      return { statesFilter: [], typesFilter: [] };
    case ApiKey.SaslHandshake:
      return { mechanism: 'PLAIN' };
    case ApiKey.SaslAuthenticate:
      return { authBytes: Buffer.from('\0u\0p') };
    case ApiKey.DescribeAcls:
      return {
        ...ANY_ACL_FILTER,
        resourceTypeFilter: 1,
        resourceNameFilter: null,
        patternTypeFilter: v >= 1 ? 1 : 3,
        principalFilter: null,
        hostFilter: null,
      };
    case ApiKey.CreateAcls:
      return {
        creations: [
          { resourceType: 2, resourceName: TOPIC, resourcePatternType: 3, principal: 'User:a', host: '*', operation: 3, permissionType: 3 },
        ],
      };
    case ApiKey.DeleteAcls:
      return {
        filters: [
          {
            ...ANY_ACL_FILTER,
            resourceTypeFilter: 2,
            resourceNameFilter: TOPIC,
            patternTypeFilter: 3,
            principalFilter: null,
            hostFilter: null,
          },
        ],
      };
    case ApiKey.DescribeUserScramCredentials:
      return { users: null };
    case ApiKey.AlterUserScramCredentials:
      return {
        deletions: [],
        upsertions: [
          { name: `user-v${v}`, mechanism: 1, iterations: 4096, salt: Buffer.from('salt'), saltedPassword: Buffer.alloc(32, 1) },
        ],
      };
    default:
      return undefined;
  }
}

/** A consumer's JoinGroup of `groupId`; v4+ brokers first hand out a member id (MEMBER_ID_REQUIRED) to rejoin with. */
async function join(conn: RawKafkaConnection, groupId: string, v = 9) {
  const body = (memberId: string) => ({
    ...defaultJoinGroupRequest(),
    groupId,
    memberId,
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [
      { name: 'range', metadata: Buffer.from([0, 1, 0, 0, 0, 1, 0, TOPIC.length, ...Buffer.from(TOPIC), 0xff, 0xff, 0xff, 0xff]) },
    ],
  });
  const first = await conn.request(ApiKey.JoinGroup, v, body(''));
  return first.errorCode === ErrorCode.MEMBER_ID_REQUIRED ? conn.request(ApiKey.JoinGroup, v, body(first.memberId)) : first;
}

/** A group with one member that has joined and synced (Stable). */
async function stableMember(conn: RawKafkaConnection, groupId: string) {
  const { memberId, generationId } = await join(conn, groupId);
  const sync = { groupId, generationId, memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range' };
  await conn.request(ApiKey.SyncGroup, 5, { ...sync, assignments: [{ memberId, assignment: Buffer.alloc(0) }] });
  return { memberId, generationId };
}

/** Commits offset 1 of the topic's partition 0 for `groupId`, an empty group (a simple, memberless commit). */
async function commitOffset(conn: RawKafkaConnection, groupId: string, v = 9): Promise<unknown> {
  return conn.request(ApiKey.OffsetCommit, v, {
    ...defaultOffsetCommitRequest(),
    groupId,
    generationIdOrMemberEpoch: -1,
    retentionTimeMs: -1n,
    topics: [{ name: TOPIC, partitions: [{ ...defaultOffsetCommitRequestPartition(), partitionIndex: 0, committedOffset: 1n }] }],
  });
}

/** Sends what the group APIs need first, then the request of `apiKey` at `v`, and returns its answer. */
async function exerciseGroupApi(conn: RawKafkaConnection, apiKey: number, v: number): Promise<unknown> {
  const groupId = `${API_INFO[apiKey as ApiKey].name}-v${v}`;
  const topics = [{ name: TOPIC, partitionIndexes: [0] }];
  switch (apiKey) {
    case ApiKey.JoinGroup:
      return join(conn, groupId, v);
    case ApiKey.SyncGroup: {
      const { memberId, generationId } = await join(conn, groupId);
      const assignments = [{ memberId, assignment: Buffer.alloc(0) }];
      return conn.request(apiKey, v, {
        groupId,
        generationId,
        memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments,
      });
    }
    case ApiKey.Heartbeat:
      return conn.request(apiKey, v, { groupId, ...(await stableMember(conn, groupId)), groupInstanceId: null });
    case ApiKey.LeaveGroup: {
      const { memberId } = await stableMember(conn, groupId);
      const members = [{ memberId, groupInstanceId: null, reason: null }];
      return conn.request(apiKey, v, v >= 3 ? { groupId, memberId: '', members } : { groupId, memberId, members: [] });
    }
    case ApiKey.DescribeGroups:
      await stableMember(conn, groupId);
      return conn.request(apiKey, v, { groups: [groupId], includeAuthorizedOperations: false });
    case ApiKey.OffsetCommit:
      return commitOffset(conn, groupId, v);
    case ApiKey.OffsetFetch:
      await commitOffset(conn, groupId);
      return conn.request(
        apiKey,
        v,
        v >= 8
          ? { groupId: '', topics: [], groups: [{ groupId, memberId: null, memberEpoch: -1, topics }], requireStable: false }
          : { groupId, topics, groups: [], requireStable: false },
      );
    case ApiKey.DeleteGroups:
      await commitOffset(conn, groupId);
      return conn.request(apiKey, v, { groupsNames: [groupId] });
    case ApiKey.OffsetDelete:
      await commitOffset(conn, groupId);
      return conn.request(apiKey, v, { groupId, topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0 }] }] });
    default:
      return exerciseTransactionApi(conn, apiKey, v);
  }
}

/** A transactional producer ready to use: its id's coordinator found, its producer id and epoch. */
async function transactionalProducer(conn: RawKafkaConnection, transactionalId: string) {
  await conn.request(ApiKey.FindCoordinator, 3, { key: transactionalId, keyType: 1, coordinatorKeys: [] });
  const init = await conn.request(ApiKey.InitProducerId, 4, {
    ...defaultInitProducerIdRequest(),
    transactionalId,
    transactionTimeoutMs: 60_000,
  });
  expect(init.errorCode).toBe(0);
  return { transactionalId, producerId: init.producerId, producerEpoch: init.producerEpoch };
}

async function addPartition(conn: RawKafkaConnection, producer: Awaited<ReturnType<typeof transactionalProducer>>) {
  return conn.request(ApiKey.AddPartitionsToTxn, 3, {
    transactions: [],
    v3AndBelowTransactionalId: producer.transactionalId,
    v3AndBelowProducerId: producer.producerId,
    v3AndBelowProducerEpoch: producer.producerEpoch,
    v3AndBelowTopics: [{ name: TOPIC, partitions: [0] }],
  });
}

/** The transaction APIs, after what they need (a coordinator, a producer id, an open transaction). */
async function exerciseTransactionApi(conn: RawKafkaConnection, apiKey: number, v: number): Promise<unknown> {
  const name = API_INFO[apiKey as ApiKey]?.name ?? `api key ${apiKey}`;
  const transactionalId = `${name}-v${v}`;
  switch (apiKey) {
    case ApiKey.AddPartitionsToTxn: {
      const producer = await transactionalProducer(conn, transactionalId);
      if (v < 4) {
        return conn.request(apiKey, v, {
          transactions: [],
          v3AndBelowTransactionalId: transactionalId,
          v3AndBelowProducerId: producer.producerId,
          v3AndBelowProducerEpoch: producer.producerEpoch,
          v3AndBelowTopics: [{ name: TOPIC, partitions: [0] }],
        });
      }
      return conn.request(apiKey, v, {
        transactions: [{ ...producer, verifyOnly: false, topics: [{ name: TOPIC, partitions: [0] }] }],
        v3AndBelowTransactionalId: '',
        v3AndBelowProducerId: 0n,
        v3AndBelowProducerEpoch: 0,
        v3AndBelowTopics: [],
      });
    }
    case ApiKey.AddOffsetsToTxn: {
      const producer = await transactionalProducer(conn, transactionalId);
      return conn.request(apiKey, v, { ...producer, groupId: transactionalId });
    }
    case ApiKey.EndTxn: {
      const producer = await transactionalProducer(conn, transactionalId);
      await addPartition(conn, producer);
      return conn.request(apiKey, v, { ...producer, committed: v % 2 === 0 });
    }
    case ApiKey.TxnOffsetCommit: {
      const producer = await transactionalProducer(conn, transactionalId);
      await conn.request(ApiKey.AddOffsetsToTxn, 3, { ...producer, groupId: transactionalId });
      return conn.request(apiKey, v, {
        ...producer,
        groupId: transactionalId,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [
          { name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: '' }] },
        ],
      });
    }
    case ApiKey.WriteTxnMarkers: {
      const producer = await transactionalProducer(conn, transactionalId);
      return conn.request(apiKey, v, {
        markers: [{ ...producer, transactionResult: false, coordinatorEpoch: 0, topics: [{ name: TOPIC, partitionIndexes: [0] }] }],
      });
    }
    case ApiKey.DescribeTransactions:
      await transactionalProducer(conn, transactionalId);
      return conn.request(apiKey, v, { transactionalIds: [transactionalId] });
    case ApiKey.ListTransactions:
      return conn.request(apiKey, v, { stateFilters: [], producerIdFilters: [], durationFilter: -1n });
    case ApiKey.DescribeProducers:
      return conn.request(apiKey, v, { topics: [{ name: TOPIC, partitionIndexes: [0] }] });
    default:
      throw new Error(
        `no sample request for ${API_INFO[apiKey as ApiKey]?.name ?? `api key ${apiKey}`}: add one when the broker serves a new API`,
      );
  }
}

const ANY_ACL_FILTER = { operation: 1, permissionType: 1 };

/**
 * The errors a PLAINTEXT broker without an authorizer rightly answers, as Kafka's: the SASL
 * exchange is not expected on this listener, ACL requests need an authorizer.
 */
const EXPECTED_ERRORS: Partial<Record<number, number>> = {
  [ApiKey.SaslHandshake]: ErrorCode.ILLEGAL_SASL_STATE,
  [ApiKey.SaslAuthenticate]: ErrorCode.ILLEGAL_SASL_STATE,
  [ApiKey.DescribeAcls]: ErrorCode.SECURITY_DISABLED,
  [ApiKey.CreateAcls]: ErrorCode.SECURITY_DISABLED,
  [ApiKey.DeleteAcls]: ErrorCode.SECURITY_DISABLED,
};

const json = (value: unknown) => JSON.stringify(value, (_, x) => (typeof x === 'bigint' ? String(x) : x));

describe('every version the broker advertises', () => {
  let broker: StartedBroker;
  let conn: RawKafkaConnection;

  beforeAll(async () => {
    broker = await startBroker();
    conn = await connect(broker);
  });

  afterAll(async () => {
    conn?.close();
    await broker?.stop();
  });

  it('is a version the codecs have, and a request at it gets an answer without error', async () => {
    const { apiKeys } = await conn.request(ApiKey.ApiVersions, 3, request(ApiKey.ApiVersions, 3, '') as never);
    expect(apiKeys.length).toBeGreaterThan(25);
    // Metadata first: it creates the topic the others use.
    const ordered = [...apiKeys].sort((a, b) => Number(b.apiKey === ApiKey.Metadata) - Number(a.apiKey === ApiKey.Metadata));
    for (const { apiKey, minVersion, maxVersion } of ordered) {
      const api = API_INFO[apiKey as ApiKey];
      expect(minVersion, api.name).toBeGreaterThanOrEqual(api.minVersion);
      expect(maxVersion, api.name).toBeLessThanOrEqual(api.maxVersion);
      for (let v = minVersion; v <= maxVersion; v++) {
        const topicId = broker.broker.metadata.topic(TOPIC)?.topicId ?? ZERO_UUID;
        if (apiKey === ApiKey.DeleteTopics) await conn.request(ApiKey.CreateTopics, 7, request(ApiKey.CreateTopics, v, '') as never);
        const body = request(apiKey, v, topicId, broker.broker.logManager.logDirs[0]);
        const response = json(
          body === undefined ? await exerciseGroupApi(conn, apiKey, v) : await conn.request(apiKey as ApiKey, v, body as never),
        );
        const errors = [...response.matchAll(/"errorCode":(-?\d+)/g)].map((m) => Number(m[1]));
        expect(
          errors.filter((code) => code !== 0 && code !== EXPECTED_ERRORS[apiKey]),
          `${api.name} v${v}: ${response}`,
        ).toEqual([]);
        const expected = EXPECTED_ERRORS[apiKey];
        if (expected !== undefined) expect(errors, `${api.name} v${v}: ${response}`).toContain(expected);
        const retentionMs = broker.broker.metadata.topic(TOPIC)?.configs['retention.ms'];
        if (apiKey === ApiKey.AlterConfigs) expect(retentionMs, `${api.name} v${v}`).toBe(String(3_600_000 + v));
        if (apiKey === ApiKey.IncrementalAlterConfigs) expect(retentionMs, `${api.name} v${v}`).toBe(String(7_200_000 + v));
        if (apiKey === ApiKey.DescribeConfigs) expect(response, `${api.name} v${v}`).toContain('"name":"retention.ms"');
        if (apiKey === ApiKey.DescribeLogDirs) expect(response, `${api.name} v${v}`).toContain(`"name":"${TOPIC}"`);
        if (apiKey === ApiKey.OffsetFetch) expect(response, `${api.name} v${v}`).toContain('"committedOffset":"1"');
        if (apiKey === ApiKey.DescribeGroups) expect(response, `${api.name} v${v}`).toContain('"groupState":"Stable"');
      }
    }
  });

  it('pins each API to its handler: FindCoordinator stops at v5 though the codecs reach v6 (share groups)', async () => {
    const { apiKeys } = await conn.request(ApiKey.ApiVersions, 3, request(ApiKey.ApiVersions, 3, '') as never);
    expect(API_INFO[ApiKey.FindCoordinator].maxVersion).toBe(6);
    expect(apiKeys.find((k) => k.apiKey === ApiKey.FindCoordinator)).toEqual({
      apiKey: ApiKey.FindCoordinator,
      minVersion: 0,
      maxVersion: 5,
    });
    const other = await connect(broker);
    await expect(other.request(ApiKey.FindCoordinator, 6, request(ApiKey.FindCoordinator, 6, '') as never)).rejects.toThrow(/closed/);
    other.close();
  });
});
