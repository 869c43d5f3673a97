import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import { fetchAll, produce } from '../integration/broker/helpers.js';
import { runKts } from '../helpers/kts.js';
import { waitUntil } from '../helpers/wait.js';
import { TestCluster } from './harness.js';

const values = (records: { value: Buffer | null }[]) => records.map((r) => r.value!.toString());
const batchOf = (...vs: string[]) => ({ records: vs.map((v) => ({ value: Buffer.from(v) })) });

// Its own cluster: it kills and restarts both replicas, which must not leave other tests a cluster in flux.
describe('unclean leader election on a 3-broker cluster', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, config: { 'zookeeper.session.timeout.ms': '4000' } });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('leaves a partition offline when only an out-of-sync replica is left, and elects it once the topic allows unclean election', async () => {
    await cluster.createTopic('unclean', 1, 2);
    const start = await cluster.waitForPartition('unclean', 0, 'both replicas in sync', (p) => p.isrNodes.length === 2);
    const leader = start.leaderId;
    const follower = start.replicaNodes.find((id) => id !== leader)!;
    const conn = await cluster.connect(leader);
    try {
      expect((await produce(conn, 'unclean', 0, batchOf('both-have-it'), -1)).errorCode).toBe(ErrorCode.NONE);
      await cluster.broker(follower).process.kill9();
      await cluster.waitForPartition('unclean', 0, 'the follower out of the ISR', (p) => p.isrNodes.length === 1);
      expect((await produce(conn, 'unclean', 0, batchOf('only-the-leader-has-it'), -1)).errorCode).toBe(ErrorCode.NONE);
    } finally {
      conn.close();
    }
    await cluster.broker(leader).process.kill9();
    await cluster.broker(follower).process.start();
    // The controller tries to elect when it learns of a broker's death or return. Once one broker's
    // metadata has the follower and not the leader, the partition stays leaderless there while unclean
    // election is off (watched for two seconds: an absence cannot be awaited).
    const offline = async () => {
      const m = await cluster.metadata(['unclean']).catch(() => undefined);
      const live = m?.brokers.map((b) => b.nodeId) ?? [];
      return live.includes(follower) && !live.includes(leader) ? m!.topics[0]!.partitions[0] : undefined;
    };
    await waitUntil(offline, `broker ${follower} registered again and broker ${leader} gone`, 30_000);
    for (let i = 0; i < 10; i++) {
      expect(await waitUntil(offline, 'an answer', 10_000)).toMatchObject({ leaderId: -1, isrNodes: [leader] });
      await new Promise((r) => setTimeout(r, 200));
    }
    const allowed = await runKts([
      'configs',
      '--bootstrap-server',
      cluster.bootstrapServers,
      '--alter',
      '--entity-type',
      'topics',
      '--entity-name',
      'unclean',
      '--add-config',
      'unclean.leader.election.enable=true',
    ]);
    expect(allowed.code).toBe(0);
    await cluster.waitForPartition('unclean', 0, `the out-of-sync replica ${follower} leading`, (p) => p.leaderId === follower, 30_000);
    const reader = await cluster.connect(follower);
    try {
      // What only the dead leader had is gone: that is the price of an unclean election.
      expect(values(await fetchAll(reader, 'unclean', 0))).toEqual(['both-have-it']);
      expect((await produce(reader, 'unclean', 0, batchOf('after'), -1)).errorCode).toBe(ErrorCode.NONE);
    } finally {
      reader.close();
    }
    // The old leader returns as a follower and truncates what the new leader never had.
    await cluster.broker(leader).process.start();
    await cluster.waitForPartition('unclean', 0, 'the old leader back in the ISR', (p) => p.isrNodes.length === 2);
    await cluster.broker(follower).process.stop();
    await cluster.waitForPartition('unclean', 0, 'the old leader leading again', (p) => p.leaderId === leader);
    const back = await cluster.connect(leader);
    try {
      expect(values(await fetchAll(back, 'unclean', 0))).toEqual(['both-have-it', 'after']);
    } finally {
      back.close();
    }
  }, 150_000);
});
