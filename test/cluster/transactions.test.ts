import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../src/protocol/generated/api-info.js';
import { Copier, expectExactlyOnce, readCommitted, seed } from '../helpers/eos-runs.js';
import { needs } from '../helpers/requirements.js';
import { TestCluster } from './harness.js';

const COUNT = 600;

describe('transactions on a 3-broker cluster', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 3,
      config: {
        'transaction.state.log.num.partitions': '5',
        'transaction.abort.timed.out.transaction.cleanup.interval.ms': '500',
      },
    });
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  /** The broker coordinating a transactional id, as FindCoordinator answers. */
  async function coordinatorOf(transactionalId: string): Promise<number> {
    const conn = await cluster.connect(cluster.brokers.find((b) => b.process.running)!.id);
    try {
      const r = await conn.request(ApiKey.FindCoordinator, 3, { key: transactionalId, keyType: 1, coordinatorKeys: [] });
      if (r.errorCode !== 0) throw new Error(`FindCoordinator: error ${r.errorCode}`);
      return r.nodeId;
    } finally {
      conn.close();
    }
  }

  it('copies exactly once with markers on every broker, through the coordinator broker killed with SIGKILL and a copier killed mid-run', {
    ...needs('confluent-kafka'),
    timeout: 300_000,
  }, async () => {
    for (const topic of ['eos-in', 'eos-out']) await cluster.createTopic(topic, 3, 3, { 'min.insync.replicas': '2' });
    const out = await cluster.metadata(['eos-out']);
    // The output partitions are led by all three brokers: every commit sends markers to other brokers.
    expect(new Set(out.topics[0]!.partitions.map((p) => p.leaderId))).toEqual(new Set([1, 2, 3]));
    await seed(cluster.bootstrapServers, 'eos-in', COUNT);
    const args = { source: 'eos-in', sink: 'eos-out', group: 'eos-copier', transactionalId: 'eos-cluster-tx', count: COUNT, abortEvery: 5 };
    const bootstrap = cluster.bootstrapServers;
    const first = new Copier(bootstrap, args);
    await first.waitForCommitted(COUNT / 5);
    const coordinator = await coordinatorOf('eos-cluster-tx');
    await cluster.broker(coordinator).process.kill9();
    await first.waitForCommitted(COUNT / 2, 120_000);
    expect(await coordinatorOf('eos-cluster-tx')).not.toBe(coordinator);
    first.kill9();
    await first.exited;
    await cluster.broker(coordinator).process.start();
    await cluster.waitForBrokers(3);
    const second = new Copier(cluster.bootstrapServers, args);
    await second.waitForDone();
    expectExactlyOnce(await readCommitted(cluster.bootstrapServers, 'eos-out', COUNT), COUNT);
  });
});
