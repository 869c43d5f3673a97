import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultApiVersionsRequest } from '../../../src/protocol/generated/apis/api-versions.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { defaultProduceRequest } from '../../../src/protocol/generated/apis/produce.js';
import { defaultCreatePartitionsRequest } from '../../../src/protocol/generated/apis/create-partitions.js';
import {
  defaultCreateTopicsRequest,
  defaultCreateTopicsRequestCreatableTopic,
} from '../../../src/protocol/generated/apis/create-topics.js';
import { defaultOffsetCommitRequest, defaultOffsetCommitRequestPartition } from '../../../src/protocol/generated/apis/offset-commit.js';
import { defaultDescribeQuorumRequest } from '../../../src/protocol/generated/apis/describe-quorum.js';
import { encodeRequest } from '../../../src/protocol/framing.js';
import { ZERO_UUID } from '../../../src/protocol/primitives/uuid.js';
import { connect, produce } from './helpers.js';

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** Writes `bytes` on a fresh connection; resolves true once the broker closes it (false if it stays open 5 s). */
function closesAfter(broker: StartedBroker, bytes: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: broker.host, port: broker.port }, () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 5_000);
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('hostile input', () => {
  let broker: StartedBroker;
  let healthy: RawKafkaConnection;

  beforeAll(async () => {
    broker = await startBroker({ config: { 'socket.request.max.bytes': '1048576' } });
    healthy = await connect(broker);
  });

  afterAll(async () => {
    healthy?.close();
    await broker?.stop();
  });

  const produceFrame = encodeRequest(ApiKey.Produce, 9, 1, 'x', {
    ...defaultProduceRequest(),
    acks: 1,
    topicData: [{ name: 't', partitionData: [{ index: 0, records: Buffer.alloc(100) }] }],
  });
  const produceBytes = Buffer.concat(produceFrame);

  it.each([
    ['random bytes', frame(randomBytes(64))],
    ['a size above socket.request.max.bytes', Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0])],
    ['a negative size', Buffer.from([0xff, 0xff, 0xff, 0xfe, 0, 0])],
    ['an unknown API key', frame(Buffer.from([0x03, 0xe7, 0, 0, 0, 0, 0, 1, 0xff, 0xff]))],
    ['a body cut short', frame(produceBytes.subarray(4, produceBytes.length - 60))],
    ['an array count far beyond the body', frame(Buffer.concat([produceBytes.subarray(4, 20), Buffer.from([0x7f, 0xff, 0xff, 0xff])]))],
    ['an API the broker does not serve', Buffer.concat(encodeRequest(ApiKey.DescribeQuorum, 1, 1, 'x', defaultDescribeQuorumRequest()))],
  ])('closes the connection on %s and keeps serving others', async (_, bytes) => {
    expect(await closesAfter(broker, bytes)).toBe(true);
    const versions = await healthy.request(ApiKey.ApiVersions, 3, {
      ...defaultApiVersionsRequest(),
      clientSoftwareName: 'test',
      clientSoftwareVersion: '1',
    });
    expect(versions.errorCode).toBe(0);
    expect((await healthy.request(ApiKey.Metadata, 12, { ...defaultMetadataRequest(), topics: [] })).brokers).toHaveLength(1);
  });

  it('answers corrupt records in a well-formed request with CORRUPT_MESSAGE, keeping the connection', async () => {
    await healthy.request(ApiKey.Metadata, 12, {
      ...defaultMetadataRequest(),
      topics: [{ name: 'victim', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    });
    const garbage = Buffer.concat([Buffer.alloc(8), Buffer.from([0, 0, 0, 80]), randomBytes(80)]);
    garbage[16] = 2;
    expect((await produce(healthy, 'victim', 0, garbage)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect((await produce(healthy, 'victim', 0, { records: [{ value: Buffer.from('fine') }] })).errorCode).toBe(0);
  });

  it('refuses to create more partitions in one request than Kafka allows, instead of stalling', async () => {
    const create = (name: string, numPartitions: number) =>
      healthy.request(ApiKey.CreateTopics, 7, {
        ...defaultCreateTopicsRequest(),
        topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name, numPartitions, replicationFactor: 1 }],
      });
    expect((await create('huge', 0x7fffffff)).topics[0]!.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    expect((await create('small', 1)).topics[0]!.errorCode).toBe(0);
    const grown = await healthy.request(ApiKey.CreatePartitions, 3, {
      ...defaultCreatePartitionsRequest(),
      topics: [{ name: 'small', count: 0x7fffffff, assignments: null }],
    });
    expect(grown.results[0]!.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    const metadata = await healthy.request(ApiKey.Metadata, 12, {
      ...defaultMetadataRequest(),
      allowAutoTopicCreation: false,
      topics: [
        { name: 'huge', topicId: ZERO_UUID },
        { name: 'small', topicId: ZERO_UUID },
      ],
    });
    expect(metadata.topics.map((t) => [t.name, t.errorCode, t.partitions.length])).toEqual([
      ['huge', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 0],
      ['small', 0, 1],
    ]);
  });

  it('answers a v10 Metadata topic without a name, and a commit with an int64-max timestamp, instead of closing', async () => {
    const metadata = await healthy.request(ApiKey.Metadata, 10, {
      ...defaultMetadataRequest(),
      topics: [{ name: null, topicId: ZERO_UUID }],
    });
    expect(metadata.topics.map((t) => [t.name, t.errorCode])).toEqual([['', ErrorCode.INVALID_REQUEST]]);
    await healthy.request(ApiKey.CreateTopics, 7, {
      ...defaultCreateTopicsRequest(),
      topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name: 'committed', numPartitions: 1, replicationFactor: 1 }],
    });
    const committed = await healthy.request(ApiKey.OffsetCommit, 4, {
      ...defaultOffsetCommitRequest(),
      groupId: 'far-future',
      generationIdOrMemberEpoch: -1,
      retentionTimeMs: 0x7fffffffffffffffn,
      topics: [{ name: 'committed', partitions: [{ ...defaultOffsetCommitRequestPartition(), partitionIndex: 0, committedOffset: 1n }] }],
    });
    expect(committed.topics[0]!.partitions[0]!.errorCode).toBe(0);
  });

  it('does not advertise APIs it does not serve', async () => {
    const versions = await healthy.request(ApiKey.ApiVersions, 3, {
      ...defaultApiVersionsRequest(),
      clientSoftwareName: 'test',
      clientSoftwareVersion: '1',
    });
    const keys = versions.apiKeys.map((k) => k.apiKey);
    expect(keys).toEqual(expect.arrayContaining([ApiKey.Produce, ApiKey.Fetch, ApiKey.ListOffsets, ApiKey.Metadata, ApiKey.ApiVersions]));
    // A KRaft controller API: a ZooKeeper-mode broker never serves it.
    expect(keys).not.toContain(ApiKey.DescribeQuorum);
  });
});

describe('connection log lines', () => {
  it('name the peer of a client that sent garbage and reset at once', async () => {
    const lines: string[] = [];
    const broker = await startBroker({ log: (level, message) => lines.push(`${level} ${message}`) });
    try {
      const socket = tcpConnect({ host: broker.host, port: broker.port });
      socket.on('error', () => {});
      await new Promise((resolve) => socket.once('connect', resolve));
      // One answered request first, so the broker has accepted the connection before the reset.
      socket.write(Buffer.concat(encodeRequest(ApiKey.ApiVersions, 0, 1, 'x', defaultApiVersionsRequest())));
      await new Promise((resolve) => socket.once('data', resolve));
      const peer = `${socket.localAddress}:${socket.localPort}`;
      socket.write(frame(Buffer.from([0x03, 0xe7, 0, 0, 0, 0, 0, 1, 0xff, 0xff])));
      socket.resetAndDestroy();
      await expect.poll(() => lines.find((l) => l.includes('Closed connection'))).toBeDefined();
      expect(lines.find((l) => l.includes('Closed connection'))).toMatch(new RegExp(`^info Closed connection ${peer} \\(PLAINTEXT\\): `));
    } finally {
      await broker.stop();
    }
  });
});
