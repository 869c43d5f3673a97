import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { connect, fetchAll } from './helpers.js';

describe('DeleteRecords, OffsetForLeaderEpoch, DescribeLogDirs, DescribeCluster', () => {
  let broker: StartedBroker;
  let admin: Admin;
  let conn: RawKafkaConnection;

  const deleteRecords = async (topic: string, partitionIndex: number, offset: bigint) => {
    const response = await conn.request(ApiKey.DeleteRecords, 2, {
      timeoutMs: 5000,
      topics: [{ name: topic, partitions: [{ partitionIndex, offset }] }],
    });
    return response.topics[0]!.partitions[0]!;
  };
  const endOffset = async (topic: string, leaderEpoch: number, currentLeaderEpoch = -1) => {
    const response = await conn.request(ApiKey.OffsetForLeaderEpoch, 4, {
      replicaId: -1,
      topics: [{ topic, partitions: [{ partition: 0, currentLeaderEpoch, leaderEpoch }] }],
    });
    return response.topics[0]!.partitions[0]!;
  };

  beforeAll(async () => {
    broker = await startBroker();
    const kafka = new Kafka({ clientId: 'records-apis', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'trimmed', numPartitions: 2 },
        { topic: 'compacted', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      ],
    });
    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    await producer.send({ topic: 'trimmed', messages: messages.map((m) => ({ ...m, partition: 0 })) });
    await producer.send({ topic: 'trimmed', messages: messages.slice(0, 4).map((m) => ({ ...m, partition: 1 })) });
    await producer.send({ topic: 'compacted', messages });
    await producer.disconnect();
    conn = await connect(broker);
  });

  afterAll(async () => {
    conn?.close();
    await admin?.disconnect();
    await broker?.stop();
  });

  it('moves the log start offset for kafkajs deleteTopicRecords, and -1 means the high watermark', async () => {
    // kafkajs finds partition leaders only for topics it has metadata of.
    await admin.fetchTopicMetadata({ topics: ['trimmed'] });
    await admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '4' }] });
    const offsets = await admin.fetchTopicOffsets('trimmed');
    expect(offsets.find((o) => o.partition === 0)).toMatchObject({ low: '4', high: '10' });
    expect((await fetchAll(conn, 'trimmed', 0, 4n)).map((r) => r.value?.toString())).toEqual(['v4', 'v5', 'v6', 'v7', 'v8', 'v9']);
    expect(await deleteRecords('trimmed', 1, -1n)).toEqual({ partitionIndex: 1, lowWatermark: 4n, errorCode: 0 });
    // Deleting below the log start changes nothing.
    expect(await deleteRecords('trimmed', 0, 2n)).toEqual({ partitionIndex: 0, lowWatermark: 4n, errorCode: 0 });
  });

  it('refuses offsets past the high watermark, compacted topics, internal topics and unknown partitions', async () => {
    expect(await deleteRecords('trimmed', 0, 11n)).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1n });
    expect(await deleteRecords('trimmed', 0, -7n)).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE });
    expect(await deleteRecords('compacted', 0, 1n)).toMatchObject({ errorCode: ErrorCode.POLICY_VIOLATION });
    expect(await deleteRecords('__consumer_offsets', 0, 0n)).toMatchObject({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION });
    expect(await deleteRecords('trimmed', 9, 0n)).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
  });

  it('answers the end offset of the current leader epoch, and nothing for an unknown one', async () => {
    expect(await endOffset('trimmed', 0)).toEqual({ errorCode: 0, partition: 0, leaderEpoch: 0, endOffset: 10n });
    expect(await endOffset('trimmed', 3)).toEqual({ errorCode: 0, partition: 0, leaderEpoch: -1, endOffset: -1n });
    expect((await endOffset('trimmed', 0, 2)).errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH);
    expect((await endOffset('missing', 0)).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('describes the log dir with partition sizes and disk space', async () => {
    const response = await conn.request(ApiKey.DescribeLogDirs, 4, { topics: [{ topic: 'trimmed', partitions: [0, 1] }] });
    const [dir] = response.results;
    expect(dir).toMatchObject({ errorCode: 0, logDir: broker.logDir });
    expect(dir!.totalBytes).toBeGreaterThan(0n);
    expect(dir!.topics.map((t) => [t.name, t.partitions.map((p) => p.partitionIndex).sort()])).toEqual([['trimmed', [0, 1]]]);
    const size = broker.broker.logManager.getLog({ topic: 'trimmed', partition: 0 })!.size;
    expect(dir!.topics[0]!.partitions.find((p) => p.partitionIndex === 0)).toEqual({
      partitionIndex: 0,
      partitionSize: BigInt(size),
      offsetLag: 0n,
      isFutureKey: false,
    });
    const all = await conn.request(ApiKey.DescribeLogDirs, 0, { topics: null });
    expect(all.results[0]!.topics.map((t) => t.name).sort()).toEqual(['compacted', 'trimmed']);
  });

  it('describes the cluster: its id, this broker and the controller', async () => {
    const response = await conn.request(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 1 });
    expect(response).toMatchObject({
      errorCode: 0,
      clusterId: broker.broker.clusterId,
      controllerId: 0,
      brokers: [{ brokerId: 0, host: broker.host, port: broker.port, rack: null }],
      clusterAuthorizedOperations: -2147483648,
    });
    const controller = await conn.request(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 });
    expect(controller.errorCode).toBe(ErrorCode.MISMATCHED_ENDPOINT_TYPE);
  });
});
