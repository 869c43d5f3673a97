import { ConfigResourceTypes, Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { waitUntil } from '../../helpers/wait.js';
import { connect } from './helpers.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

describe('producer.id.expiration.ms', () => {
  let broker: StartedBroker;
  let kafka: Kafka;
  let admin: Admin;
  let conn: RawKafkaConnection;
  const producers: Producer[] = [];

  beforeAll(async () => {
    broker = await startBroker({ config: { 'producer.id.expiration.check.interval.ms': '100' } });
    kafka = new Kafka({ clientId: 'expiration-test', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    conn = await connect(broker);
  });

  afterAll(async () => {
    for (const p of producers) await p.disconnect().catch(() => {});
    conn?.close();
    await admin?.disconnect();
    await broker?.stop();
  });

  async function producer(config: Parameters<Kafka['producer']>[0]): Promise<Producer> {
    const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, ...config });
    await p.connect();
    producers.push(p);
    return p;
  }

  /** The producer ids DescribeProducers lists for idle-0. */
  async function activeProducers(): Promise<bigint[]> {
    const r = await conn.request(ApiKey.DescribeProducers, 0, { topics: [{ name: 'idle', partitionIndexes: [0] }] });
    return r.topics[0]!.partitions[0]!.activeProducers.map((p) => p.producerId).sort();
  }

  it('forgets idle producers once the (dynamic) expiration passes, but never one with an open transaction', async () => {
    await admin.createTopics({ topics: [{ topic: 'idle', numPartitions: 1 }] });
    // The transaction opens first: it is the older write, and would be the first to go if open transactions expired.
    const transactional = await producer({ transactionalId: 'idle-tx' });
    const txn = await transactional.transaction();
    await txn.send({ topic: 'idle', messages: [{ value: 'open' }] });
    const idempotent = await producer({});
    await idempotent.send({ topic: 'idle', messages: [{ value: 'plain' }] });
    const described = await conn.request(ApiKey.DescribeTransactions, 0, { transactionalIds: ['idle-tx'] });
    const txnProducer = described.transactionStates[0]!.producerId;
    expect(await activeProducers()).toHaveLength(2);
    // At Kafka's default (a day) both stay, however many checks run.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await activeProducers()).toHaveLength(2);

    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: '0', configEntries: [{ name: 'producer.id.expiration.ms', value: '1000' }] }],
    });
    expect(
      await waitUntil(async () => ((await activeProducers()).length === 1 ? activeProducers() : undefined), 'the idle producer to expire'),
    ).toEqual([txnProducer]);

    await txn.commit();
    await waitUntil(async () => (await activeProducers()).length === 0, 'the committed producer to expire');
  });
});
