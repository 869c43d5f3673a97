import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { waitUntil } from '../../helpers/wait.js';

const CONFIG = { 'offsets.topic.num.partitions': '5' };

describe('consumer groups with kafkajs in-process', () => {
  let broker: StartedBroker;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    broker = await startBroker({ config: CONFIG });
    kafka = new Kafka({ clientId: 'groups-test', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    for (const c of consumers) await c.disconnect().catch(() => {});
    await producer?.disconnect();
    await admin?.disconnect();
    await broker?.stop();
  });

  it('consumes every message, commits, describes, lists and deletes the group', async () => {
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });
    const sent = Array.from({ length: 30 }, (_, i) => `order-${i}`);
    await producer.send({ topic: 'orders', messages: sent.map((value, i) => ({ key: String(i), value })) });

    const consumer = kafka.consumer({ groupId: 'billing', sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
    const received: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message.value!.toString()) });
    await waitUntil(
      () => received.length >= 30,
      () => `received ${received.length} of 30`,
      20_000,
    );
    expect(received.sort()).toEqual(sent.sort());

    const described = await admin.describeGroups(['billing']);
    expect(described.groups[0]).toMatchObject({
      groupId: 'billing',
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'RoundRobinAssigner',
    });
    expect(described.groups[0]!.members).toHaveLength(1);
    expect(described.groups[0]!.members[0]!.clientHost).toBe('/127.0.0.1');
    expect((await admin.listGroups()).groups).toContainEqual({ groupId: 'billing', protocolType: 'consumer' });

    await consumer.disconnect();
    const offsets = await admin.fetchOffsets({ groupId: 'billing', topics: ['orders'] });
    const committed = offsets[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(committed).toBe(30);
    expect((await admin.describeGroups(['billing'])).groups[0]!.state).toBe('Empty');

    await admin.deleteGroups(['billing']);
    const after = await admin.fetchOffsets({ groupId: 'billing', topics: ['orders'] });
    expect(after[0]!.partitions.map((p) => p.offset)).toEqual(['-1', '-1', '-1']);
  });
});
