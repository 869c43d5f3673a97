import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultCreatePartitionsRequest } from '../../../src/protocol/generated/apis/create-partitions.js';
import {
  defaultCreateTopicsRequest,
  defaultCreateTopicsRequestCreatableTopic,
} from '../../../src/protocol/generated/apis/create-topics.js';
import { defaultDeleteTopicsRequest } from '../../../src/protocol/generated/apis/delete-topics.js';
import { defaultFetchRequest } from '../../../src/protocol/generated/apis/fetch.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { ZERO_UUID } from '../../../src/protocol/primitives/uuid.js';
import { brokerForTest } from '../../helpers/broker.js';
import { connect, fetchAll, fetchTopic, produce } from './helpers.js';

type NewTopic = Partial<ReturnType<typeof defaultCreateTopicsRequestCreatableTopic>> & { name: string };

describe('topic administration, answered as Kafka answers', () => {
  let broker: StartedBroker;
  let conn: RawKafkaConnection;

  const createTopic = async (topic: NewTopic, validateOnly = false) => {
    const response = await conn.request(ApiKey.CreateTopics, 7, {
      ...defaultCreateTopicsRequest(),
      validateOnly,
      topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), numPartitions: -1, replicationFactor: -1, ...topic }],
    });
    return response.topics[0]!;
  };
  const metadata = (names: string[], allowAutoTopicCreation = true) =>
    conn.request(ApiKey.Metadata, 12, {
      ...defaultMetadataRequest(),
      allowAutoTopicCreation,
      topics: names.map((name) => ({ name, topicId: ZERO_UUID })),
    });

  beforeAll(async () => {
    broker = await startBroker({ config: { 'num.partitions': '2' } });
    conn = await connect(broker);
  });

  afterAll(async () => {
    conn?.close();
    await broker?.stop();
  });

  it('creates a topic with the defaults and answers with its id, shape and configs', async () => {
    const created = await createTopic({ name: 'plain', configs: [{ name: 'cleanup.policy', value: 'compact' }] });
    expect(created).toMatchObject({ errorCode: 0, numPartitions: 2, replicationFactor: 1 });
    expect(created.topicId).toBe(broker.broker.metadata.topic('plain')!.topicId);
    expect(created.configs).toContainEqual({
      name: 'cleanup.policy',
      value: 'compact',
      readOnly: false,
      configSource: 1,
      isSensitive: false,
    });
    expect(await createTopic({ name: 'plain' })).toMatchObject({
      errorCode: ErrorCode.TOPIC_ALREADY_EXISTS,
      errorMessage: "Topic 'plain' already exists.",
    });
  });

  it('refuses bad requests with Kafka’s codes and messages', async () => {
    expect(await createTopic({ name: 'rf3', numPartitions: 1, replicationFactor: 3 })).toMatchObject({
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      errorMessage: 'Replication factor: 3 larger than available brokers: 1.',
    });
    expect(await createTopic({ name: 'none', numPartitions: 0 })).toMatchObject({
      errorCode: ErrorCode.INVALID_PARTITIONS,
      errorMessage: 'Number of partitions must be larger than 0.',
    });
    expect(await createTopic({ name: 'bad/name' })).toMatchObject({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION });
    expect(await createTopic({ name: '..' })).toMatchObject({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION });
    expect(await createTopic({ name: 'x'.repeat(250) })).toMatchObject({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION });
    await createTopic({ name: 'metrics_a' });
    expect(await createTopic({ name: 'metrics.a' })).toMatchObject({
      errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION,
      errorMessage: "Topic 'metrics.a' collides with existing topics: metrics_a",
    });
    expect(await createTopic({ name: 'cfg', configs: [{ name: 'retention.ms', value: 'soon' }] })).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'Invalid value soon for configuration retention.ms: Not a number of type LONG',
    });
    expect(await createTopic({ name: 'cfg', configs: [{ name: 'no.such', value: '1' }] })).toMatchObject({
      errorCode: ErrorCode.INVALID_CONFIG,
      errorMessage: 'Unknown topic config name: no.such',
    });
    expect(await createTopic({ name: 'manual', assignments: [{ partitionIndex: 0, brokerIds: [7] }] })).toMatchObject({
      errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
    });
    expect(broker.broker.metadata.topic('cfg')).toBeUndefined();
  });

  it('validates without creating, and creates from a manual assignment', async () => {
    expect(await createTopic({ name: 'dry', numPartitions: 4 }, true)).toMatchObject({ errorCode: 0, numPartitions: 4 });
    expect(broker.broker.metadata.topic('dry')).toBeUndefined();
    const manual = await createTopic({
      name: 'manual',
      assignments: [0, 1, 2].map((partitionIndex) => ({ partitionIndex, brokerIds: [0] })),
    });
    expect(manual).toMatchObject({ errorCode: 0, numPartitions: 3, replicationFactor: 1 });
  });

  it('grows partitions and explains refusals', async () => {
    await createTopic({ name: 'grow', numPartitions: 3 });
    const grow = async (name: string, count: number) =>
      (
        await conn.request(ApiKey.CreatePartitions, 3, {
          ...defaultCreatePartitionsRequest(),
          topics: [{ name, count, assignments: null }],
        })
      ).results[0]!;
    expect(await grow('grow', 2)).toMatchObject({
      errorCode: ErrorCode.INVALID_PARTITIONS,
      errorMessage: 'Topic currently has 3 partitions, which is higher than the requested 2.',
    });
    expect(await grow('grow', 3)).toMatchObject({
      errorCode: ErrorCode.INVALID_PARTITIONS,
      errorMessage: 'Topic already has 3 partitions.',
    });
    expect(await grow('missing', 3)).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
    expect(await grow('grow', 5)).toMatchObject({ errorCode: 0 });
    expect(broker.broker.metadata.topic('grow')!.partitions).toHaveLength(5);
  });

  it('deletes by name and by id', async () => {
    await createTopic({ name: 'by-name' });
    await createTopic({ name: 'by-id' });
    const id = broker.broker.metadata.topic('by-id')!.topicId;
    const response = await conn.request(ApiKey.DeleteTopics, 6, {
      ...defaultDeleteTopicsRequest(),
      topics: [
        { name: 'by-name', topicId: ZERO_UUID },
        { name: null, topicId: id },
        { name: 'never-was', topicId: ZERO_UUID },
        { name: null, topicId: 'AAAAAAAAAAAAAAAAAAAAAw' },
      ],
    });
    expect(response.responses.map((r) => [r.name, r.errorCode])).toEqual([
      ['by-name', 0],
      ['by-id', 0],
      ['never-was', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      [null, ErrorCode.UNKNOWN_TOPIC_ID],
    ]);
    expect(response.responses[1]!.topicId).toBe(id);
    expect(broker.broker.metadata.topic('by-name')).toBeUndefined();
    expect(broker.broker.metadata.topic('by-id')).toBeUndefined();
  });

  it('deletes a topic while clients write to it and wait on it, and serves them on', async () => {
    await createTopic({ name: 'busy', numPartitions: 1 });
    const [writer, reader] = [await connect(broker), await connect(broker)];
    try {
      const waiting = reader.request(ApiKey.Fetch, 12, {
        ...defaultFetchRequest(),
        maxWaitMs: 30_000,
        minBytes: 1 << 20,
        topics: [fetchTopic('busy', [{ partition: 0, fetchOffset: 0n }])],
      });
      const writes = Array.from({ length: 200 }, (_, i) => produce(writer, 'busy', 0, { records: [{ value: Buffer.from(`w${i}`) }] }, 1));
      const deleted = await conn.request(ApiKey.DeleteTopics, 6, {
        ...defaultDeleteTopicsRequest(),
        topics: [{ name: 'busy', topicId: ZERO_UUID }],
      });
      expect(deleted.responses[0]!.errorCode).toBe(0);
      // Every write is answered: appended before the deletion, or refused after it.
      const codes = new Set((await Promise.all(writes)).map((r) => r.errorCode));
      expect([...codes].every((code) => code === 0 || code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)).toBe(true);
      const fetched = (await waiting).responses[0]!.partitions[0]!;
      expect([0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.NOT_LEADER_OR_FOLLOWER]).toContain(fetched.errorCode);
      expect((await produce(writer, 'busy', 0, { records: [{ value: Buffer.from('late') }] }, 1)).errorCode).toBe(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      );
      await createTopic({ name: 'busy', numPartitions: 1 });
      expect(await fetchAll(reader, 'busy', 0)).toEqual([]);
    } finally {
      writer.close();
      reader.close();
    }
  });

  it('auto-creates topics through Metadata only when both broker and request allow it', async () => {
    const refused = await metadata(['not-asked-for'], false);
    expect(refused.topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const created = await metadata(['auto'], true);
    expect(created.topics[0]).toMatchObject({ name: 'auto', errorCode: 0 });
    expect(created.topics[0]!.partitions).toHaveLength(2);
    expect(created.brokers).toEqual([{ nodeId: 0, host: '127.0.0.1', port: broker.port, rack: null }]);
    expect(created.controllerId).toBe(0);
    expect(created.clusterId).toBe(broker.broker.clusterId);
    expect((await metadata(['bad name'])).topics[0]!.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
  });

  it('refuses topic deletion when delete.topic.enable=false', async () => {
    const locked = await brokerForTest({ config: { 'delete.topic.enable': 'false', 'auto.create.topics.enable': 'false' } });
    const c = await connect(locked);
    try {
      const names = await c.request(ApiKey.Metadata, 12, { ...defaultMetadataRequest(), topics: [{ name: 'kept', topicId: ZERO_UUID }] });
      expect(names.topics[0]!.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      await c.request(ApiKey.CreateTopics, 7, {
        ...defaultCreateTopicsRequest(),
        topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name: 'kept', numPartitions: 1, replicationFactor: 1 }],
      });
      const response = await c.request(ApiKey.DeleteTopics, 5, { ...defaultDeleteTopicsRequest(), topicNames: ['kept'] });
      expect(response.responses[0]!.errorCode).toBe(ErrorCode.TOPIC_DELETION_DISABLED);
      expect(locked.broker.metadata.topic('kept')).toBeDefined();
    } finally {
      c.close();
    }
  });

  it('applies max.message.bytes, LogAppendTime and min.insync.replicas to produce', async () => {
    await createTopic({
      name: 'strict',
      numPartitions: 1,
      configs: [
        { name: 'max.message.bytes', value: '200' },
        { name: 'message.timestamp.type', value: 'LogAppendTime' },
        { name: 'min.insync.replicas', value: '2' },
      ],
    });
    const tooLarge = await produce(conn, 'strict', 0, { records: [{ value: Buffer.alloc(300) }] }, 1);
    expect(tooLarge.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    const before = BigInt(Date.now());
    const ok = await produce(conn, 'strict', 0, { records: [{ value: Buffer.from('small'), timestamp: 5n }] }, 1);
    expect(ok).toMatchObject({ errorCode: 0, baseOffset: 0n, logStartOffset: 0n });
    expect(ok.logAppendTimeMs).toBeGreaterThanOrEqual(before);
    // Kafka 3.9's effective min ISR is min(min.insync.replicas, replicas): one replica satisfies it.
    // (The refusal with fewer in-sync replicas than that is tested on a real cluster: test/cluster/.)
    const acksAll = await produce(conn, 'strict', 0, { records: [{ value: Buffer.from('small') }] }, -1);
    expect(acksAll).toMatchObject({ errorCode: 0, baseOffset: 1n });
    expect((await produce(conn, 'nowhere', 0, { records: [{ value: null }] })).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });
});
