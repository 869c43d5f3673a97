import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';

/** The package entry as a user imports it (`import { startBroker } from 'kts'`), from the built dist/. */
describe("the 'kts' package entry", () => {
  it('starts a broker that kafkajs uses, and removes its temp dir on stop', async () => {
    const { startBroker } = await import('kts');
    const broker = await startBroker();
    try {
      const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'lib', numPartitions: 2 }] });
      expect(await admin.listTopics()).toContain('lib');
      await admin.disconnect();
    } finally {
      await broker.stop();
    }
    const { existsSync } = await import('node:fs');
    expect(existsSync(broker.logDir)).toBe(false);
  });

  it('starts and stops a ZooKeeper server', async () => {
    const { startZooKeeper } = await import('kts');
    const dataDir = mkdtempSync(join(tmpdir(), 'kts-lib-zk-'));
    const zk = await startZooKeeper({ port: 0, dataDir });
    try {
      expect(zk.connectString).toBe(`${zk.host}:${zk.port}`);
    } finally {
      await zk.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
