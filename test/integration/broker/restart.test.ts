import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../src/broker/index.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultInitProducerIdRequest } from '../../../src/protocol/generated/apis/init-producer-id.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { brokerForTest } from '../../helpers/broker.js';
import { connect, fetchAll, produce } from './helpers.js';

describe('a broker restarted on the same log dir', () => {
  let logDir: string;
  let running: StartedBroker;

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'kts-restart-'));
  });

  afterAll(async () => {
    await rm(logDir, { recursive: true, force: true });
  });

  it('keeps topics, ids, configs, records and idempotent producer state', async () => {
    running = await brokerForTest({ logDir });
    const kafka = new Kafka({ brokers: [running.bootstrapServers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer();
    await admin.connect();
    await producer.connect();
    await admin.createTopics({
      topics: [{ topic: 'durable', numPartitions: 2, configEntries: [{ name: 'segment.bytes', value: '4096' }] }],
    });
    await admin.createTopics({ topics: [{ topic: 'gone', numPartitions: 1 }] });
    const sent = Array.from({ length: 400 }, (_, i) => ({ partition: i % 2, key: `k${i}`, value: `value ${i}` }));
    await producer.send({ topic: 'durable', compression: CompressionTypes.GZIP, messages: sent.slice(0, 200) });
    await producer.send({ topic: 'durable', messages: sent.slice(200) });
    await admin.deleteTopics({ topics: ['gone'] });
    await producer.disconnect();
    await admin.disconnect();

    let conn = await connect(running);
    const { producerId } = await conn.request(ApiKey.InitProducerId, 4, { ...defaultInitProducerIdRequest(), transactionalId: null });
    const idempotent = encodeBatch({ producerId, producerEpoch: 0, baseSequence: 0, records: [{ value: Buffer.from('once') }] });
    const first = await produce(conn, 'durable', 0, idempotent);
    conn.close();
    const before = running.broker.metadata.topic('durable')!;
    await running.stop();

    running = await brokerForTest({ logDir });
    conn = await connect(running);
    try {
      expect(running.broker.metadata.topic('durable')).toEqual(before);
      expect(running.broker.metadata.topic('gone')).toBeUndefined();
      expect(running.broker.replicaManager.partition('durable', 0)!.log.config['segment.bytes']).toBe(4096);
      for (const partition of [0, 1]) {
        const records = await fetchAll(conn, 'durable', partition);
        const expected = sent.filter((m) => m.partition === partition).map((m) => [m.key, m.value]);
        if (partition === 0) expected.push([null as never, 'once']);
        expect(records.map((r) => [r.key?.toString() ?? null, r.value!.toString()])).toEqual(expected);
      }
      // The producer's state was rebuilt from the log: its retry is still recognised.
      expect(await produce(conn, 'durable', 0, idempotent)).toMatchObject({ errorCode: 0, baseOffset: first.baseOffset });
      const next = await conn.request(ApiKey.InitProducerId, 4, { ...defaultInitProducerIdRequest(), transactionalId: null });
      expect(next.producerId).toBeGreaterThan(producerId);
    } finally {
      conn.close();
    }
  });
});
