import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeRequest, encodeRequest, encodeResponse } from '../../../src/protocol/framing.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import type { MessageSpec } from '../../../generator/schema.js';
import { atVersion } from './schema-values.js';
import { messageSpecs } from './schemas.js';

// kafkajs's own per-version encoders are an independent implementation of the same wire format.
const require = createRequire(import.meta.url);
interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<{ buffer: Buffer }>;
}
type KafkajsRequestFactory = (args: Record<string, unknown>) => KafkajsRequest;
const frameRequest = require('kafkajs/src/protocol/request') as (args: {
  correlationId: number;
  clientId: string;
  request: KafkajsRequest;
}) => Promise<{ buffer: Buffer }>;

const messages = messageSpecs('messages');
const spec = (apiKey: number, type: string): MessageSpec => messages.find((m) => m.apiKey === apiKey && m.type === type)!;

async function kafkajsFrame(dir: string, version: number, args: Record<string, unknown>): Promise<Buffer> {
  const factory = require(`kafkajs/src/protocol/requests/${dir}/v${version}/request`) as KafkajsRequestFactory;
  return (await frameRequest({ correlationId: 77, clientId: 'golden', request: factory(args) })).buffer;
}

interface GoldenCase {
  dir: string;
  apiKey: ApiKey;
  versions: number[];
  kafkajs: Record<string, unknown>;
  ours: Record<string, unknown>;
  /** Record batches are built by kafkajs's own record encoder; we take them from its frame. */
  recordsFrom?: (decodedBody: Record<string, unknown>) => Record<string, unknown>;
}

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
const TS = 1_700_000_000_000;

const CASES: GoldenCase[] = [
  { dir: 'apiVersions', apiKey: ApiKey.ApiVersions, versions: range(0, 2), kafkajs: {}, ours: {} },
  {
    dir: 'metadata',
    apiKey: ApiKey.Metadata,
    versions: range(0, 6),
    kafkajs: { topics: ['orders', 'payments'], allowAutoTopicCreation: false },
    ours: { topics: [{ name: 'orders' }, { name: 'payments' }], allowAutoTopicCreation: false },
  },
  {
    dir: 'produce',
    apiKey: ApiKey.Produce,
    versions: range(0, 7),
    kafkajs: {
      acks: -1,
      timeout: 30000,
      compression: 0,
      topicData: [{ topic: 'orders', partitions: [{ partition: 2, messages: [{ key: 'k', value: 'v', timestamp: TS }] }] }],
    },
    ours: { acks: -1, timeoutMs: 30000 },
    recordsFrom: (body) => {
      const records = (body.topicData as { partitionData: { records: Buffer }[] }[])[0]!.partitionData[0]!.records;
      return { topicData: [{ name: 'orders', partitionData: [{ index: 2, records }] }] };
    },
  },
  {
    dir: 'fetch',
    apiKey: ApiKey.Fetch,
    versions: range(0, 11),
    kafkajs: {
      replicaId: -1,
      maxWaitTime: 500,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1,
      rackId: 'rack-a',
      topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: '5', maxBytes: 1048576 }] }],
    },
    ours: {
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 10485760,
      isolationLevel: 1,
      rackId: 'rack-a',
      topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 5n, partitionMaxBytes: 1048576 }] }],
    },
  },
  {
    dir: 'listOffsets',
    apiKey: ApiKey.ListOffsets,
    versions: range(0, 3),
    kafkajs: { replicaId: -1, isolationLevel: 1, topics: [{ topic: 'orders', partitions: [{ partition: 1, timestamp: -2 }] }] },
    ours: { replicaId: -1, isolationLevel: 1, topics: [{ name: 'orders', partitions: [{ partitionIndex: 1, timestamp: -2n }] }] },
  },
  {
    dir: 'createTopics',
    apiKey: ApiKey.CreateTopics,
    versions: range(0, 3),
    kafkajs: {
      timeout: 5000,
      validateOnly: true,
      topics: [
        {
          topic: 'orders',
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    },
    ours: {
      timeoutMs: 5000,
      validateOnly: true,
      topics: [
        {
          name: 'orders',
          numPartitions: 3,
          replicationFactor: 1,
          configs: [{ name: 'cleanup.policy', value: 'compact' }],
        },
      ],
    },
  },
  {
    dir: 'offsetCommit',
    apiKey: ApiKey.OffsetCommit,
    versions: range(0, 5),
    kafkajs: {
      groupId: 'g1',
      groupGenerationId: 4,
      memberId: 'member-1',
      retentionTime: 86400000,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '42', timestamp: TS }] }],
    },
    ours: {
      groupId: 'g1',
      generationIdOrMemberEpoch: 4,
      memberId: 'member-1',
      retentionTimeMs: 86400000n,
      topics: [
        { name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 42n, commitTimestamp: BigInt(TS), committedMetadata: null }] },
      ],
    },
  },
  {
    dir: 'joinGroup',
    apiKey: ApiKey.JoinGroup,
    versions: range(0, 5),
    kafkajs: {
      groupId: 'g1',
      sessionTimeout: 30000,
      rebalanceTimeout: 60000,
      memberId: '',
      protocolType: 'consumer',
      groupProtocols: [{ name: 'range', metadata: Buffer.from([0, 1, 0, 0]) }],
    },
    ours: {
      groupId: 'g1',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from([0, 1, 0, 0]) }],
    },
  },
];

describe('request bytes equal the ones kafkajs encodes', () => {
  for (const c of CASES) {
    for (const v of c.versions) {
      it(`${c.dir} v${v}`, async () => {
        const theirs = await kafkajsFrame(c.dir, v, c.kafkajs);
        const decoded = decodeRequest(theirs.subarray(4));
        const given = c.recordsFrom ? { ...c.ours, ...c.recordsFrom(decoded.body as Record<string, unknown>) } : c.ours;
        const expected = atVersion(spec(c.apiKey, 'request').root, given, v);
        expect(decoded.header).toEqual({ requestApiKey: c.apiKey, requestApiVersion: v, correlationId: 77, clientId: 'golden' });
        expect(decoded.body).toEqual(expected);
        const ours = Buffer.concat(encodeRequest(c.apiKey, v, 77, 'golden', expected as never));
        expect(ours.toString('hex')).toBe(theirs.toString('hex'));
      });
    }
  }
});

describe('responses we encode are read correctly by kafkajs', () => {
  const brokers = [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }];
  const topics = [
    {
      errorCode: 0,
      name: 'orders',
      isInternal: false,
      partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 0, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] }],
    },
  ];
  for (const v of range(0, 6)) {
    it(`metadata v${v}`, async () => {
      const body = atVersion(spec(ApiKey.Metadata, 'response').root, { brokers, topics, controllerId: 1, clusterId: 'c1' }, v);
      const frame = Buffer.concat(encodeResponse(ApiKey.Metadata, v, 5, body as never));
      const response = require(`kafkajs/src/protocol/requests/metadata/v${v}/response`) as {
        decode(raw: Buffer): Promise<Record<string, unknown>>;
      };
      const decoded = await response.decode(frame.subarray(8));
      expect(decoded.brokers).toEqual([expect.objectContaining({ nodeId: 1, host: 'localhost', port: 9092 })]);
      expect(decoded.topicMetadata).toEqual([
        expect.objectContaining({
          topic: 'orders',
          partitionMetadata: [expect.objectContaining({ partitionId: 0, leader: 1, replicas: [1], isr: [1] })],
        }),
      ]);
      if (v >= 1) expect(decoded.controllerId).toBe(1);
      if (v >= 2) expect(decoded.clusterId).toBe('c1');
    });
  }
});
