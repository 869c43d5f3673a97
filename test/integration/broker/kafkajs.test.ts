import { CompressionTypes, Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { connect, fetchAll } from './helpers.js';

describe('broker with kafkajs in-process', () => {
  let broker: StartedBroker;
  let admin: Admin;
  let producer: Producer;
  let conn: RawKafkaConnection;

  beforeAll(async () => {
    broker = await startBroker();
    const kafka = new Kafka({ clientId: 'broker-kafkajs', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    conn = await connect(broker);
  });

  afterAll(async () => {
    conn?.close();
    await producer?.disconnect();
    await admin?.disconnect();
    await broker?.stop();
  });

  it('creates topics and describes them with ids, leaders and configs', async () => {
    expect(
      await admin.createTopics({
        topics: [{ topic: 'orders', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
      }),
    ).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] })).toBe(false);
    const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] });
    expect(topics[0]!.partitions.map((p) => [p.partitionId, p.leader, p.replicas, p.isr])).toEqual([
      [0, 0, [0], [0]],
      [1, 0, [0], [0]],
      [2, 0, [0], [0]],
    ]);
    expect(await admin.listTopics()).toContain('orders');
    expect(broker.broker.metadata.topic('orders')!.configs).toEqual({ 'retention.ms': '3600000' });
  });

  it('takes thousands of keyed gzip messages with headers and gives them back byte for byte', async () => {
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 2 }] });
    const sent = Array.from({ length: 3000 }, (_, i) => ({
      partition: i % 2,
      key: Buffer.from(`key-${i}`),
      value: Buffer.from(`value-${i}-`.repeat(1 + (i % 7))),
      headers: { trace: Buffer.from(`t${i}`), binary: Buffer.from([0, 255, i & 0xff]) },
    }));
    for (let i = 0; i < sent.length; i += 500) {
      await producer.send({ topic: 'events', compression: CompressionTypes.GZIP, messages: sent.slice(i, i + 500) });
    }
    for (const partition of [0, 1]) {
      const expected = sent.filter((m) => m.partition === partition);
      const records = await fetchAll(conn, 'events', partition);
      expect(records.map((r) => r.offset)).toEqual(expected.map((_, i) => BigInt(i)));
      expect(records.map((r) => [r.key, r.value, Object.fromEntries(r.headers.map((h) => [h.key, h.value]))])).toEqual(
        expected.map((m) => [m.key, m.value, m.headers]),
      );
    }
    const offsets = await admin.fetchTopicOffsets('events');
    expect(offsets.map((o) => [o.partition, o.low, o.high])).toEqual([
      [0, '0', '1500'],
      [1, '0', '1500'],
    ]);
  });

  it('lists offsets by timestamp', async () => {
    await admin.createTopics({ topics: [{ topic: 'timed', numPartitions: 1 }] });
    const base = Date.now() - 60_000;
    // One compressed batch: the answer is a record inside it, not the batch's first offset.
    await producer.send({
      topic: 'timed',
      compression: CompressionTypes.GZIP,
      messages: [0, 10, 20, 30].map((delta) => ({ value: `at ${delta}`, timestamp: String(base + delta * 1000) })),
    });
    const at = async (ts: number) => (await admin.fetchTopicOffsetsByTimestamp('timed', ts))[0]!.offset;
    expect(await at(base)).toBe('0');
    expect(await at(base + 15_000)).toBe('2');
    expect(await at(base + 30_000)).toBe('3');
    expect(await at(base + 31_000)).toBe('4'); // none at or after: kafkajs reports the high watermark
  });

  it('grows topics and refuses to shrink them', async () => {
    await admin.createTopics({ topics: [{ topic: 'growing', numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 3 }] });
    expect((await admin.fetchTopicMetadata({ topics: ['growing'] })).topics[0]!.partitions).toHaveLength(3);
    await producer.send({ topic: 'growing', messages: [{ partition: 2, value: 'in the new partition' }] });
    expect((await fetchAll(conn, 'growing', 2)).map((r) => r.value!.toString())).toEqual(['in the new partition']);
    // kafkajs shows its own text for INVALID_PARTITIONS; admin.test.ts checks the broker's message.
    await expect(admin.createPartitions({ topicPartitions: [{ topic: 'growing', count: 2 }] })).rejects.toThrow(
      'Number of partitions is invalid',
    );
  });

  it('deletes topics; the name can be used again and starts empty', async () => {
    await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 1 }] });
    await producer.send({ topic: 'doomed', messages: [{ value: 'old' }] });
    const oldId = broker.broker.metadata.topic('doomed')!.topicId;
    await admin.deleteTopics({ topics: ['doomed'] });
    expect(await admin.listTopics()).not.toContain('doomed');
    await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 1 }] });
    expect(broker.broker.metadata.topic('doomed')!.topicId).not.toBe(oldId);
    expect(await fetchAll(conn, 'doomed', 0)).toEqual([]);
  });

  it('runs an idempotent producer', async () => {
    await admin.createTopics({ topics: [{ topic: 'exactly-once', numPartitions: 1 }] });
    const kafka = new Kafka({ clientId: 'idempotent', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    const idempotent = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await idempotent.connect();
    try {
      for (let i = 0; i < 5; i++) {
        await idempotent.send({ topic: 'exactly-once', messages: [{ value: `a${i}` }, { value: `b${i}` }] });
      }
    } finally {
      await idempotent.disconnect();
    }
    const records = await fetchAll(conn, 'exactly-once', 0);
    expect(records.map((r) => r.value!.toString())).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'a4', 'b4']);
  });
});
