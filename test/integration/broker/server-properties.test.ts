import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import {
  defaultCreateTopicsRequest,
  defaultCreateTopicsRequestCreatableTopic,
} from '../../../src/protocol/generated/apis/create-topics.js';
import { defaultDescribeConfigsRequest } from '../../../src/protocol/generated/apis/describe-configs.js';
import { defaultFindCoordinatorRequest } from '../../../src/protocol/generated/apis/find-coordinator.js';
import { defaultMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { waitUntil } from '../../helpers/wait.js';
import { brokerForTest } from '../../helpers/broker.js';
import { connect, fetchAll, produce } from './helpers.js';

const HOUR = 3_600_000;

/** Each server.properties key of the broker issue, set on a real broker, with its effect seen from outside. */
describe('server.properties keys in effect', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'kts-server-properties-'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function brokerWith(config: Record<string, string>): Promise<{ broker: StartedBroker; conn: RawKafkaConnection }> {
    const broker = await brokerForTest({ config, log: () => {} });
    const conn = await connect(broker);
    onTestFinished(() => conn.close());
    return { broker, conn };
  }

  async function createTopic(conn: RawKafkaConnection, name: string, numPartitions = 1, replicationFactor = 1) {
    const response = await conn.request(ApiKey.CreateTopics, 7, {
      ...defaultCreateTopicsRequest(),
      topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name, numPartitions, replicationFactor }],
    });
    return response.topics[0]!;
  }

  async function describeBroker(conn: RawKafkaConnection, brokerId: number, keys: string[]) {
    const response = await conn.request(ApiKey.DescribeConfigs, 4, {
      ...defaultDescribeConfigsRequest(),
      resources: [{ resourceType: 4, resourceName: String(brokerId), configurationKeys: keys }],
    });
    return Object.fromEntries(response.results[0]!.configs.map((c) => [c.name, c.value]));
  }

  /** One batch of one record with a value of `size` bytes, at `timestamp`. */
  const batch = (size: number, timestamp = BigInt(Date.now())) => encodeBatch({ records: [{ value: Buffer.alloc(size, 7), timestamp }] });

  it('broker.id names the broker in Metadata and meta.properties', async () => {
    const { broker, conn } = await brokerWith({ 'broker.id': '3' });
    const metadata = await conn.request(ApiKey.Metadata, 12, { ...defaultMetadataRequest(), topics: [] });
    expect(metadata.brokers.map((b) => b.nodeId)).toEqual([3]);
    expect(metadata.controllerId).toBe(3);
    expect(await readFile(join(broker.logDir, 'meta.properties'), 'utf8')).toMatch(/^broker\.id=3$/m);
  });

  it('log.dirs spreads partitions over several directories', async () => {
    const dirs = ['a', 'b'].map((d) => join(root, d));
    const { conn } = await brokerWith({ 'log.dirs': dirs.join(',') });
    expect((await createTopic(conn, 'spread', 4)).errorCode).toBe(0);
    const held = await Promise.all(dirs.map(async (d) => (await readdir(d)).filter((name) => name.startsWith('spread-')).sort()));
    expect(held.map((names) => names.length)).toEqual([2, 2]);
    expect(held.flat().sort()).toEqual(['spread-0', 'spread-1', 'spread-2', 'spread-3']);
  });

  it('default.replication.factor applies to topics created without one', async () => {
    const { conn } = await brokerWith({ 'default.replication.factor': '2' });
    expect(await createTopic(conn, 'defaulted', 1, -1)).toMatchObject({
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      errorMessage: 'Replication factor: 2 larger than available brokers: 1.',
    });
    expect((await createTopic(conn, 'explicit', 1, 1)).errorCode).toBe(0);
  });

  it('log.segment.bytes and log.index.interval.bytes shape the segments of topics without overrides', async () => {
    const { broker, conn } = await brokerWith({ 'log.segment.bytes': '1500', 'log.index.interval.bytes': '1' });
    await createTopic(conn, 'segmented');
    for (let i = 0; i < 6; i++) expect((await produce(conn, 'segmented', 0, batch(600), 1)).errorCode).toBe(0);
    const log = broker.broker.logManager.getLog({ topic: 'segmented', partition: 0 })!;
    // A third 670-byte batch would pass 1500 bytes: two per segment.
    expect(log.segmentBaseOffsets).toEqual([0n, 2n, 4n]);
    // Every batch after a segment's first gets an index entry when the interval is one byte.
    expect(log.segments.map((s) => s.offsetIndex.entries)).toEqual([1, 1, 1]);
    expect((await fetchAll(conn, 'segmented', 0)).map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
  });

  it('log.roll.hours, and log.roll.ms over it, roll by record time', async () => {
    const now = Date.now();
    for (const [config, gap] of [
      [{ 'log.roll.hours': '1' }, 2 * HOUR],
      [{ 'log.roll.hours': '1000', 'log.roll.ms': '5000' }, 10_000],
    ] as const) {
      const { broker, conn } = await brokerWith(config);
      await createTopic(conn, 'rolled');
      await produce(conn, 'rolled', 0, batch(10, BigInt(now - gap)), 1);
      await produce(conn, 'rolled', 0, batch(10, BigInt(now - gap + 1000)), 1);
      await produce(conn, 'rolled', 0, batch(10, BigInt(now)), 1);
      expect(broker.broker.logManager.getLog({ topic: 'rolled', partition: 0 })!.segmentBaseOffsets, JSON.stringify(config)).toEqual([
        0n,
        2n,
      ]);
    }
  });

  it('log.retention.hours, .minutes and .ms (most specific wins) delete segments past their age', async () => {
    const now = Date.now();
    for (const [config, age] of [
      [{ 'log.retention.hours': '1' }, 2 * HOUR],
      [{ 'log.retention.hours': '1000', 'log.retention.minutes': '30' }, 45 * 60_000],
      [{ 'log.retention.minutes': '1000', 'log.retention.ms': '5000' }, 60_000],
    ] as const) {
      const { broker, conn } = await brokerWith({ ...config, 'log.segment.bytes': '100' });
      await createTopic(conn, 'aged');
      await produce(conn, 'aged', 0, batch(10, BigInt(now - age)), 1);
      await produce(conn, 'aged', 0, batch(10, BigInt(now)), 1);
      const log = broker.broker.logManager.getLog({ topic: 'aged', partition: 0 })!;
      broker.broker.logManager.cleanupLogs();
      expect(log.logStartOffset, JSON.stringify(config)).toBe(1n);
    }
  });

  it('log.retention.bytes deletes the oldest segments, and log.retention.check.interval.ms runs retention on its own', async () => {
    const { broker, conn } = await brokerWith({
      'log.segment.bytes': '1000',
      'log.retention.bytes': '1500',
      'log.retention.check.interval.ms': '50',
    });
    await createTopic(conn, 'bounded');
    for (let i = 0; i < 5; i++) await produce(conn, 'bounded', 0, batch(600), 1);
    const log = broker.broker.logManager.getLog({ topic: 'bounded', partition: 0 })!;
    // No manual cleanupLogs(): the retention timer does it.
    // Five 670-byte segments: deleting the oldest two leaves 2010 bytes, a third would leave less than 1500.
    await waitUntil(
      () => log.logStartOffset === 2n,
      () => `log start offset 2, at ${log.logStartOffset}`,
      5_000,
    );
    expect(log.size).toBeLessThanOrEqual(1500 + 1000);
  });

  it('log.flush.interval.messages fsyncs after that many messages; log.flush.interval.ms on the flush scheduler', async () => {
    const counted = await brokerWith({ 'log.flush.interval.messages': '2' });
    await createTopic(counted.conn, 'flushed');
    const log = counted.broker.broker.logManager.getLog({ topic: 'flushed', partition: 0 })!;
    await produce(counted.conn, 'flushed', 0, batch(10), 1);
    expect(log.recoveryPoint).toBe(0n);
    await produce(counted.conn, 'flushed', 0, batch(10), 1);
    expect(log.recoveryPoint).toBe(2n);

    const timed = await brokerWith({ 'log.flush.interval.ms': '10', 'log.flush.scheduler.interval.ms': '20' });
    await createTopic(timed.conn, 'flushed');
    const timedLog = timed.broker.broker.logManager.getLog({ topic: 'flushed', partition: 0 })!;
    await produce(timed.conn, 'flushed', 0, batch(10), 1);
    await waitUntil(
      () => timedLog.recoveryPoint === 1n,
      () => `recovery point 1, at ${timedLog.recoveryPoint}`,
      5_000,
    );
  });

  it('message.max.bytes, min.insync.replicas and log.message.timestamp.type apply to produce', async () => {
    const { broker, conn } = await brokerWith({
      'message.max.bytes': '500',
      'min.insync.replicas': '2',
      'log.message.timestamp.type': 'LogAppendTime',
    });
    await createTopic(conn, 'strict');
    expect((await produce(conn, 'strict', 0, batch(600), 1)).errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    // One replica meets Kafka 3.9's effective min ISR, min(min.insync.replicas, replicas).
    expect(broker.broker.logManager.getLog({ topic: 'strict', partition: 0 })!.config['min.insync.replicas']).toBe(2);
    expect((await produce(conn, 'strict', 0, batch(10), -1)).errorCode).toBe(0);
    const before = Date.now();
    const stamped = await produce(conn, 'strict', 0, batch(10, 5n), 1);
    expect(stamped.errorCode).toBe(0);
    expect(Number(stamped.logAppendTimeMs)).toBeGreaterThanOrEqual(before);
    expect((await fetchAll(conn, 'strict', 0))[1]!.timestamp).toBe(stamped.logAppendTimeMs);
  });

  it('log.cleanup.policy=compact keeps the latest record of each key', async () => {
    const { broker, conn } = await brokerWith({
      'log.cleanup.policy': 'compact',
      'log.segment.bytes': '200',
      'log.cleaner.min.cleanable.ratio': '0.01',
    });
    await createTopic(conn, 'compacted');
    for (let i = 0; i < 6; i++) {
      await produce(conn, 'compacted', 0, encodeBatch({ records: [{ key: Buffer.from(`k${i % 2}`), value: Buffer.alloc(100, i) }] }), 1);
    }
    expect(broker.broker.logManager.cleaner!.cleanFilthiestLog()?.name).toBe('compacted-0');
    // The active segment (offset 5) is never cleaned; below it only each key's latest stays.
    const records = await fetchAll(conn, 'compacted', 0);
    expect(records.map((r) => r.offset)).toEqual([3n, 4n, 5n]);
  });

  it('offsets.topic.* create __consumer_offsets; transaction.state.log.* are kept for later', async () => {
    const { broker, conn } = await brokerWith({
      'offsets.topic.num.partitions': '3',
      'offsets.topic.segment.bytes': '65536',
      'transaction.state.log.num.partitions': '7',
      'transaction.state.log.segment.bytes': '65536',
    });
    const found = await conn.request(ApiKey.FindCoordinator, 4, { ...defaultFindCoordinatorRequest(), keyType: 0, coordinatorKeys: ['g'] });
    expect(found.coordinators[0]!.errorCode).toBe(0);
    const offsets = broker.broker.metadata.topic('__consumer_offsets')!;
    expect(offsets.partitions).toHaveLength(3);
    expect(offsets.configs['segment.bytes']).toBe('65536');
    expect(await describeBroker(conn, 0, ['transaction.state.log.num.partitions', 'transaction.state.log.segment.bytes'])).toEqual({
      'transaction.state.log.num.partitions': '7',
      'transaction.state.log.segment.bytes': '65536',
    });
  });

  it('offsets.topic.replication.factor above the live brokers leaves the coordinator unavailable, as in Kafka', async () => {
    const { conn } = await brokerWith({ 'offsets.topic.replication.factor': '3' });
    const found = await conn.request(ApiKey.FindCoordinator, 4, { ...defaultFindCoordinatorRequest(), keyType: 0, coordinatorKeys: ['g'] });
    expect(found.coordinators[0]!.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});
