import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { StartedBroker } from '../../../src/broker/index.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { brokerForTest } from '../../helpers/broker.js';
import { waitUntil } from '../../helpers/wait.js';
import { connect, fetchAll, produce } from './helpers.js';

const CONFIG = {
  'offsets.topic.num.partitions': '1',
  'offsets.topic.segment.bytes': '4096',
  'log.cleaner.backoff.ms': '20',
};
const SEGMENT_BYTES = 4096;

const start = (logDir?: string): Promise<StartedBroker> => brokerForTest({ config: CONFIG, logDir, log: () => {} });

function kafkaFor(broker: StartedBroker): Kafka {
  return new Kafka({ clientId: 'compaction-test', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
}

/** Bytes of the partition's segment files on disk. */
function sizeOnDisk(broker: StartedBroker, partitionDir: string): number {
  const dir = join(broker.logDir, partitionDir);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

describe('compacted topics on the broker', () => {
  it('refuses records without a key on a compacted topic only', async () => {
    const broker = await start();
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'table', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }, { topic: 'stream' }],
    });
    await admin.disconnect();
    const conn = await connect(broker);
    try {
      const keyless = {
        records: [
          { key: Buffer.from('k'), value: Buffer.from('a') },
          { key: null, value: Buffer.from('b') },
        ],
      };
      const refused = await produce(conn, 'table', 0, keyless);
      expect(refused.errorCode).toBe(ErrorCode.INVALID_RECORD);
      expect(refused.recordErrors).toEqual([
        { batchIndex: 1, batchIndexErrorMessage: 'Compacted topic cannot accept message without key in topic partition table-0' },
      ]);
      expect(
        (await produce(conn, 'table', 0, { records: [{ key: Buffer.from('k'), value: Buffer.from('a') }], compression: 'lz4' })).errorCode,
      ).toBe(0);
      expect((await produce(conn, 'table', 0, { ...keyless, compression: 'lz4' })).errorCode).toBe(ErrorCode.INVALID_RECORD);
      expect((await produce(conn, 'stream', 0, keyless)).errorCode).toBe(0);
      expect((await fetchAll(conn, 'table', 0)).map((r) => r.value?.toString())).toEqual(['a']);
    } finally {
      conn.close();
    }
  });

  it('compacts __consumer_offsets as kafkajs commits, and the offsets survive a restart', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'kts-compaction-'));
    onTestFinished(() => rmSync(logDir, { recursive: true, force: true }));
    const broker = await start(logDir);
    const kafka = kafkaFor(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'events', numPartitions: 3 }] });

    const consumer: Consumer = kafka.consumer({ groupId: 'app', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'events' });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.run({ autoCommit: false, eachMessage: async () => {} });
    await waitUntil(
      () => joined,
      () => 'the consumer did not join',
      15_000,
    );

    const offsetsDir = '__consumer_offsets-0';
    let commits = 0;
    const lastCommitted = new Map<number, string>();
    const commitRound = async () => {
      for (let i = 0; i < 150; i++, commits++) {
        const partition = commits % 3;
        lastCommitted.set(partition, String(commits));
        await consumer.commitOffsets([{ topic: 'events', partition, offset: String(commits) }]);
      }
    };
    await commitRound();
    const written = broker.broker.logManager.getLog({ topic: '__consumer_offsets', partition: 0 })!.logEndOffset;
    expect(written).toBeGreaterThanOrEqual(150n);
    // 150 commits of ~130 bytes roll several 4 KiB segments; cleaned, all but the active one shrink to a few records.
    await waitUntil(
      () => sizeOnDisk(broker, offsetsDir) < 2 * SEGMENT_BYTES,
      () => `size ${sizeOnDisk(broker, offsetsDir)}`,
      10_000,
    );
    await commitRound();
    await commitRound();
    await waitUntil(
      () => sizeOnDisk(broker, offsetsDir) < 2 * SEGMENT_BYTES,
      () => `size ${sizeOnDisk(broker, offsetsDir)}`,
      10_000,
    );
    await consumer.disconnect();

    // A second group, committed then deleted: its tombstones must win on replay.
    await admin.setOffsets({ groupId: 'gone', topic: 'events', partitions: [{ partition: 0, offset: '5' }] });
    await admin.deleteGroups(['gone']);
    await admin.disconnect();
    await broker.stop();

    const restarted = await start(logDir);
    const again = kafkaFor(restarted).admin();
    await again.connect();
    try {
      const [app] = await again.fetchOffsets({ groupId: 'app', topics: ['events'] });
      const restored = new Map(app!.partitions.map((p) => [p.partition, p.offset]));
      expect(restored).toEqual(lastCommitted);
      const [gone] = await again.fetchOffsets({ groupId: 'gone', topics: ['events'] });
      expect(gone!.partitions.map((p) => p.offset)).toEqual(['-1', '-1', '-1']);
      expect((await again.listGroups()).groups.map((g) => g.groupId)).toEqual(['app']);
    } finally {
      await again.disconnect();
    }
  });
});
