import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { VersionedCluster } from '../../../src/client/versioned-cluster.js';

describe('VersionedCluster against a real broker', () => {
  let broker: StartedBroker;
  beforeAll(async () => {
    broker = await startBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('opens a connection again once the one it kept has failed (what consumer-groups --watch needs)', async () => {
    const cluster = await VersionedCluster.open({ bootstrapServer: broker.bootstrapServers });
    try {
      const before = await cluster.metadata([]);
      const kept = await cluster.connection(cluster.bootstrap.address);
      expect(kept).toBe(cluster.bootstrap);
      kept.close();
      const after = await cluster.metadata([]);
      expect(after.brokers).toEqual(before.brokers);
      const reopened = await cluster.connection(cluster.bootstrap.address);
      expect(reopened).not.toBe(kept);
      expect(await cluster.connection(cluster.bootstrap.address)).toBe(reopened);
    } finally {
      cluster.close();
    }
  });
});
