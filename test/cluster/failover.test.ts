import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKts } from '../helpers/kts.js';
import { needs } from '../helpers/requirements.js';
import { survivesLeaderKill } from './client-runs.js';
import { TestCluster } from './harness.js';

describe('a 3-broker cluster on the bundled ZooKeeper', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, zookeeper: 'bundled' });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('creates an RF 3 topic with leaders spread over the brokers and every replica in sync', async () => {
    const created = await runKts([
      'topics',
      '--bootstrap-server',
      cluster.bootstrapServers,
      '--create',
      '--topic',
      'spread',
      '--partitions',
      '6',
      '--replication-factor',
      '3',
    ]);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic spread.\n' });
    const partitions = (await cluster.waitForTopic('spread', 6)).topics[0]!.partitions;
    expect(new Set(partitions.map((p) => p.leaderId))).toEqual(new Set([1, 2, 3]));
    for (const p of partitions) {
      expect(p.replicaNodes.sort()).toEqual([1, 2, 3]);
      expect(p.isrNodes.sort()).toEqual([1, 2, 3]);
    }
    const tooMany = await runKts([
      'topics',
      '--bootstrap-server',
      cluster.bootstrapServers,
      '--create',
      '--topic',
      'wide',
      '--replication-factor',
      '4',
    ]);
    expect(tooMany.code).not.toBe(0);
    expect(tooMany.stderr).toContain('Replication factor: 4 larger than available brokers: 3.');
  }, 60_000);

  it('keeps every acknowledged message, once, when the leader is killed with kill -9 under an idempotent acks=all producer', {
    ...needs('confluent-kafka'),
    timeout: 240_000,
  }, async () => {
    await survivesLeaderKill(cluster, 'confluent-kafka', 'durable', 3000, true);
  });
});
