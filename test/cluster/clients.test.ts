import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runText } from '../helpers/process.js';
import { needs } from '../helpers/requirements.js';
import { waitUntil } from '../helpers/wait.js';
import { consumeAll, expectKept, startProducer, survivesLeaderKill } from './client-runs.js';
import { TestCluster } from './harness.js';

describe('third-party clients across a leader failover', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3 });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('kafka-python produces (acks=all, retries) and consumes across a kill -9 of the leader', {
    ...needs('kafka-python'),
    timeout: 240_000,
  }, async () => {
    // kafka-python has no idempotent producer: a retried batch may be written twice, so only loss is checked.
    await survivesLeaderKill(cluster, 'kafka-python', 'py-failover', 1500, false);
  });

  it('kafkajs produces (idempotent, acks=all) and consumes across a kill -9 of the leader', { timeout: 240_000 }, async () => {
    const topic = 'js-failover';
    await cluster.createTopic(topic, 1, 3, { 'min.insync.replicas': '2' });
    const { leaderId } = await cluster.waitForPartition(topic, 0, 'every replica in sync', (p) => p.isrNodes.length === 3);
    const kafka = new Kafka({
      clientId: 'failover',
      brokers: cluster.bootstrapServers.split(','),
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 100, retries: 30 },
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const acked: string[] = [];
    try {
      for (let batch = 0; batch < 60; batch++) {
        if (batch === 20) await cluster.broker(leaderId).process.kill9();
        const values = Array.from({ length: 10 }, (_, i) => `m-${batch * 10 + i}`);
        await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
        acked.push(...values);
      }
    } finally {
      await producer.disconnect();
    }
    await cluster.broker(leaderId).process.start();
    await cluster.waitForPartition(topic, 0, `broker ${leaderId} back in the ISR`, (p) => p.isrNodes.length === 3, 60_000);

    const consumer = kafka.consumer({ groupId: 'failover-readers', retry: { retries: 30 } });
    const consumed: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void consumed.push(message.value!.toString()) });
      await waitUntil(() => consumed.length >= acked.length, `${acked.length} records read by kafkajs`, 60_000);
    } finally {
      await consumer.disconnect();
    }
    expectKept(acked, consumed, true);
  });

  it('kcat produces before and after a kill -9 of the leader, and a kcat reader started before it reads everything', {
    ...needs('kcat'),
    timeout: 240_000,
  }, async () => {
    const topic = 'kcat-failover';
    await cluster.createTopic(topic, 1, 3, { 'min.insync.replicas': '2' });
    const { leaderId } = await cluster.waitForPartition(topic, 0, 'every replica in sync', (p) => p.isrNodes.length === 3);
    const lines = (from: number) => `${Array.from({ length: 100 }, (_, i) => `m-${from + i}`).join('\n')}\n`;
    const kcatProduce = (input: string) =>
      runText('kcat', ['-P', '-b', cluster.bootstrapServers, '-t', topic, '-X', 'acks=all', '-X', 'enable.idempotence=true'], {
        input,
        timeoutMs: 60_000,
      });
    const reader = runText('kcat', ['-C', '-b', cluster.bootstrapServers, '-t', topic, '-o', 'beginning', '-c', '200', '-q'], {
      timeoutMs: 120_000,
    });
    expect((await kcatProduce(lines(0))).code).toBe(0);
    await cluster.broker(leaderId).process.kill9();
    expect((await kcatProduce(lines(100))).code).toBe(0);
    const read = await reader;
    expect(read.code).toBe(0);
    expect(read.stdout.trim().split('\n')).toEqual(Array.from({ length: 200 }, (_, i) => `m-${i}`));
    await cluster.broker(leaderId).process.start();
    await cluster.waitForBrokers(3);
  });

  it('a rolling restart of all three brokers under an idempotent acks=all producer loses and duplicates nothing', {
    ...needs('confluent-kafka'),
    timeout: 300_000,
  }, async () => {
    const topic = 'rolling';
    await cluster.createTopic(topic, 3, 3, { 'min.insync.replicas': '2' });
    for (const p of [0, 1, 2]) await cluster.waitForPartition(topic, p, 'every replica in sync', (x) => x.isrNodes.length === 3);
    const run = startProducer('confluent-kafka', cluster.bootstrapServers, topic, 6000);
    await waitUntil(() => run.acked.length >= 500, '500 acknowledged records', 60_000);
    for (const broker of cluster.brokers) {
      await broker.process.stop();
      await broker.process.start();
      for (const p of [0, 1, 2]) {
        await cluster.waitForPartition(topic, p, `broker ${broker.id} back in the ISR`, (x) => x.isrNodes.length === 3, 60_000);
      }
    }
    const { acked, output } = await run.done;
    expect(output).toContain('done');
    expect(acked.length).toBe(6000);
    expectKept(acked, await consumeAll('confluent-kafka', cluster.bootstrapServers, topic, 6000), true);
  });
});

describe('a 3-broker cluster on Apache ZooKeeper', needs('apache-zookeeper', 'confluent-kafka'), () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, zookeeper: 'apache' });
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('spreads leaders, keeps every acknowledged message once through a kill -9 of the leader, and takes the broker back', {
    timeout: 240_000,
  }, async () => {
    await cluster.createTopic('spread', 3, 3);
    const leaders = new Set<number>();
    for (const p of [0, 1, 2])
      leaders.add((await cluster.waitForPartition('spread', p, 'in sync', (x) => x.isrNodes.length === 3)).leaderId);
    expect(leaders).toEqual(new Set([1, 2, 3]));
    await survivesLeaderKill(cluster, 'confluent-kafka', 'apache-durable', 3000, true);
  });
});
