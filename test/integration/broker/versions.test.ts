import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { APIS } from '../../../src/protocol/generated/apis.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
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
import {
  defaultListOffsetsRequest,
  defaultListOffsetsRequestListOffsetsPartition,
} from '../../../src/protocol/generated/apis/list-offsets.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { defaultProduceRequest } from '../../../src/protocol/generated/apis/produce.js';
import { ZERO_UUID } from '../../../src/protocol/primitives/uuid.js';
import { encodeMessageSet } from '../../../src/protocol/records/legacy-message-set.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { connect, fetchTopic } from './helpers.js';

const TOPIC = 'every-version';
const TOPIC_RESOURCE = { resourceType: 2, resourceName: TOPIC };
const BROKER_RESOURCE = { resourceType: 4, resourceName: '0' };

/** A meaningful request of each served API at version `v` (names, not ids, where a version has both). */
function request(apiKey: number, v: number, topicId: string): unknown {
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
    case ApiKey.DescribeCluster:
      return defaultDescribeClusterRequest();
    default:
      throw new Error(`no sample request for api key ${apiKey}`);
  }
}

/** The broker core's APIs; Metadata first, as it creates the topic the others use. */
const CORE_APIS = [
  ApiKey.Metadata,
  ApiKey.ApiVersions,
  ApiKey.Produce,
  ApiKey.Fetch,
  ApiKey.ListOffsets,
  ApiKey.CreateTopics,
  ApiKey.DeleteTopics,
  ApiKey.CreatePartitions,
  ApiKey.InitProducerId,
  ApiKey.DeleteRecords,
  ApiKey.OffsetForLeaderEpoch,
  ApiKey.DescribeConfigs,
  ApiKey.AlterConfigs,
  ApiKey.IncrementalAlterConfigs,
  ApiKey.DescribeLogDirs,
  ApiKey.DescribeCluster,
];

describe('every version of the broker issue’s APIs', () => {
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

  it('answers each one without error', async () => {
    const { apiKeys } = await conn.request(ApiKey.ApiVersions, 3, request(ApiKey.ApiVersions, 3, '') as never);
    for (const apiKey of CORE_APIS) {
      const api = APIS[apiKey];
      expect(
        apiKeys.find((k) => k.apiKey === apiKey),
        api.name,
      ).toEqual({ apiKey, minVersion: api.minVersion, maxVersion: api.maxVersion });
      for (let v = api.minVersion; v <= api.maxVersion; v++) {
        const topicId = broker.broker.metadata.topic(TOPIC)?.topicId ?? ZERO_UUID;
        if (apiKey === ApiKey.DeleteTopics) await conn.request(ApiKey.CreateTopics, 7, request(ApiKey.CreateTopics, v, '') as never);
        const response = JSON.stringify(await conn.request(apiKey, v, request(apiKey, v, topicId) as never), (_, x) =>
          typeof x === 'bigint' ? String(x) : x,
        );
        const errors = [...response.matchAll(/"errorCode":(-?\d+)/g)].map((m) => Number(m[1]));
        expect(
          errors.filter((code) => code !== 0),
          `${api.name} v${v}: ${response}`,
        ).toEqual([]);
        const retentionMs = broker.broker.metadata.topic(TOPIC)?.configs['retention.ms'];
        if (apiKey === ApiKey.AlterConfigs) expect(retentionMs, `${api.name} v${v}`).toBe(String(3_600_000 + v));
        if (apiKey === ApiKey.IncrementalAlterConfigs) expect(retentionMs, `${api.name} v${v}`).toBe(String(7_200_000 + v));
        if (apiKey === ApiKey.DescribeConfigs) expect(response, `${api.name} v${v}`).toContain('"name":"retention.ms"');
        if (apiKey === ApiKey.DescribeLogDirs) expect(response, `${api.name} v${v}`).toContain(`"name":"${TOPIC}"`);
      }
    }
  });
});
