import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultCreateTopicsRequestCreatableTopic } from '../../../src/protocol/generated/apis/create-topics.js';
import type {
  DescribeTopicPartitionsRequestCursor,
  DescribeTopicPartitionsResponse,
} from '../../../src/protocol/generated/apis/describe-topic-partitions.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { ZERO_UUID } from '../../../src/protocol/primitives/uuid.js';
import { connect } from './helpers.js';

/** Topic READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS: all of them, with no authorizer. */
const ALL_TOPIC_OPERATIONS = 0b1101_1111_1000;

describe('DescribeTopicPartitions (KIP-966)', () => {
  let broker: StartedBroker;
  let conn: RawKafkaConnection;

  const ask = (names: string[], responsePartitionLimit: number, cursor: DescribeTopicPartitionsRequestCursor | null = null) =>
    conn.request(ApiKey.DescribeTopicPartitions, 0, { topics: names.map((name) => ({ name })), responsePartitionLimit, cursor });
  /** Each topic's name and partition indexes, and the next cursor. */
  const shape = (r: DescribeTopicPartitionsResponse) => ({
    topics: r.topics.map((t) => [t.name, t.errorCode, t.partitions.map((p) => p.partitionIndex)]),
    next: r.nextCursor,
  });

  beforeAll(async () => {
    broker = await startBroker();
    conn = await connect(broker);
    const created = await conn.request(ApiKey.CreateTopics, 7, {
      topics: [
        { ...defaultCreateTopicsRequestCreatableTopic(), name: 'dtp-b', numPartitions: 2, replicationFactor: 1 },
        { ...defaultCreateTopicsRequestCreatableTopic(), name: 'dtp-a', numPartitions: 3, replicationFactor: 1 },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(created.topics.map((t) => t.errorCode)).toEqual([0, 0]);
  });

  afterAll(async () => {
    conn?.close();
    await broker?.stop();
  });

  it('answers each partition as Metadata does, with empty ELR lists and every operation allowed', async () => {
    const [metadata, described] = await Promise.all([
      conn.request(ApiKey.Metadata, 12, {
        ...defaultMetadataRequest(),
        topics: [{ name: 'dtp-a', topicId: ZERO_UUID }],
        allowAutoTopicCreation: false,
      }),
      ask(['dtp-a'], 2000),
    ]);
    const [topic] = described.topics;
    expect(topic).toMatchObject({
      errorCode: 0,
      name: 'dtp-a',
      topicId: metadata.topics[0]!.topicId,
      isInternal: false,
      topicAuthorizedOperations: ALL_TOPIC_OPERATIONS,
    });
    expect(topic!.topicId).not.toBe(ZERO_UUID);
    expect(topic!.partitions).toEqual(metadata.topics[0]!.partitions.map((p) => ({ ...p, eligibleLeaderReplicas: [], lastKnownElr: [] })));
    expect(topic!.partitions[0]).toMatchObject({
      errorCode: 0,
      leaderId: 0,
      leaderEpoch: 0,
      replicaNodes: [0],
      isrNodes: [0],
      offlineReplicas: [],
    });
    expect(described.nextCursor).toBeNull();
  });

  it('pages through two topics, sorted by name, with the cursor where the partition limit cuts', async () => {
    const names = ['dtp-b', 'dtp-a'];
    const first = await ask(names, 2);
    expect(shape(first)).toEqual({ topics: [['dtp-a', 0, [0, 1]]], next: { topicName: 'dtp-a', partitionIndex: 2 } });
    const second = await ask(names, 2, first.nextCursor);
    expect(shape(second)).toEqual({
      topics: [
        ['dtp-a', 0, [2]],
        ['dtp-b', 0, [0]],
      ],
      next: { topicName: 'dtp-b', partitionIndex: 1 },
    });
    const third = await ask(names, 2, second.nextCursor);
    expect(shape(third)).toEqual({ topics: [['dtp-b', 0, [1]]], next: null });

    // A limit used up at the end of a topic points at the next topic's partition 0 without listing it.
    expect(shape(await ask(names, 3))).toEqual({ topics: [['dtp-a', 0, [0, 1, 2]]], next: { topicName: 'dtp-b', partitionIndex: 0 } });
    // A limit below 1 is 1, as in Kafka.
    expect(shape(await ask(names, 0))).toEqual({ topics: [['dtp-a', 0, [0]]], next: { topicName: 'dtp-a', partitionIndex: 1 } });
  });

  it('answers a topic that does not exist with an error entry, and an invalid name with INVALID_TOPIC_EXCEPTION', async () => {
    const response = await ask(['nope', 'dtp-b', 'bad name'], 2000);
    expect(shape(response)).toEqual({
      topics: [
        ['bad name', ErrorCode.INVALID_TOPIC_EXCEPTION, []],
        ['dtp-b', 0, [0, 1]],
        ['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, []],
      ],
      next: null,
    });
    expect(response.topics[2]!.topicId).toBe(ZERO_UUID);
  });

  it('describes every topic, by name, when none is named, from the cursor on', async () => {
    const every = [...broker.broker.metadata.names()].sort();
    expect(every).toEqual(expect.arrayContaining(['dtp-a', 'dtp-b']));
    const all = await ask([], 2000);
    expect(all.topics.map((t) => t.name)).toEqual(every);
    expect(all.nextCursor).toBeNull();

    const fromB = await ask([], 2000, { topicName: 'dtp-b', partitionIndex: 1 });
    expect(fromB.topics.map((t) => t.name)).toEqual(every.filter((name) => name >= 'dtp-b'));
    expect(fromB.topics[0]!.partitions.map((p) => p.partitionIndex)).toEqual([1]);
    // A cursor past every name leaves nothing to list.
    expect(shape(await ask([], 2000, { topicName: '~', partitionIndex: 0 }))).toEqual({ topics: [], next: null });
  });

  it('refuses a cursor outside the named topics or with a negative partition (INVALID_REQUEST)', async () => {
    expect(shape(await ask(['dtp-a', 'dtp-b'], 10, { topicName: 'other', partitionIndex: 0 }))).toEqual({
      topics: [
        ['dtp-a', ErrorCode.INVALID_REQUEST, []],
        ['dtp-b', ErrorCode.INVALID_REQUEST, []],
      ],
      next: null,
    });
    expect(shape(await ask(['dtp-a'], 10, { topicName: 'dtp-a', partitionIndex: -1 })).topics).toEqual([
      ['dtp-a', ErrorCode.INVALID_REQUEST, []],
    ]);
  });
});
