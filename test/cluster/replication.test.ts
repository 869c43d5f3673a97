import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import { ApiKey } from '../../src/protocol/generated/api-info.js';
import { defaultLeaderAndIsrRequest } from '../../src/protocol/generated/apis/leader-and-isr.js';
import { defaultStopReplicaRequest } from '../../src/protocol/generated/apis/stop-replica.js';
import { defaultUpdateMetadataRequest } from '../../src/protocol/generated/apis/update-metadata.js';
import { fetchAll, produce } from '../integration/broker/helpers.js';
import { runKts } from '../helpers/kts.js';
import { waitUntil } from '../helpers/wait.js';
import { TestCluster } from './harness.js';

const values = (records: { value: Buffer | null }[]) => records.map((r) => r.value!.toString());
const batchOf = (...vs: string[]) => ({ records: vs.map((v) => ({ value: Buffer.from(v) })) });

describe('replication on a 3-broker cluster', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, config: { 'zookeeper.session.timeout.ms': '4000' } });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('refuses acks=all with NOT_ENOUGH_REPLICAS once the ISR is below min.insync.replicas, and takes acks=1', async () => {
    await cluster.createTopic('strict', 1, 2, { 'min.insync.replicas': '2' });
    const { leaderId, replicaNodes } = await cluster.waitForPartition('strict', 0, 'both replicas in sync', (p) => p.isrNodes.length === 2);
    const follower = replicaNodes.find((id) => id !== leaderId)!;
    const conn = await cluster.connect(leaderId);
    try {
      expect((await produce(conn, 'strict', 0, batchOf('in-sync'), -1)).errorCode).toBe(ErrorCode.NONE);
      await cluster.broker(follower).process.kill9();
      await cluster.waitForPartition('strict', 0, 'the follower out of the ISR', (p) => p.isrNodes.length === 1);
      const refused = await produce(conn, 'strict', 0, batchOf('refused'), -1);
      expect(refused).toMatchObject({
        errorCode: ErrorCode.NOT_ENOUGH_REPLICAS,
        errorMessage: 'The size of the current ISR 1 is insufficient to satisfy the min.isr requirement of 2 for partition strict-0',
      });
      expect((await produce(conn, 'strict', 0, batchOf('acks-1'), 1)).errorCode).toBe(ErrorCode.NONE);
    } finally {
      conn.close();
    }
    await cluster.broker(follower).process.start();
    const back = await cluster.waitForPartition('strict', 0, 'the follower back in the ISR', (p) => p.isrNodes.length === 2);
    const reader = await cluster.connect(back.leaderId);
    try {
      // The acks=1 record became visible once the ISR was whole again; the refused one was never written.
      expect(values(await fetchAll(reader, 'strict', 0))).toEqual(['in-sync', 'acks-1']);
    } finally {
      reader.close();
    }
  }, 90_000);

  it('a replica that comes back with a tail the new leader never had truncates it (leader epochs)', async () => {
    await cluster.createTopic('diverge', 1, 2, { 'unclean.leader.election.enable': 'false' });
    const start = await cluster.waitForPartition('diverge', 0, 'both replicas in sync', (p) => p.isrNodes.length === 2);
    const oldLeader = start.leaderId;
    const follower = start.replicaNodes.find((id) => id !== oldLeader)!;
    const conn = await cluster.connect(oldLeader);
    expect((await produce(conn, 'diverge', 0, batchOf('a', 'b'), -1)).errorCode).toBe(ErrorCode.NONE);
    // The follower freezes (still in the ISR for replica.lag.time.max.ms). Its fetch in flight may still
    // carry the next record (`x`) to it; what the leader takes after that (acks=1) only the leader has,
    // and it dies before anyone copied it.
    cluster.broker(follower).process.pause();
    expect((await produce(conn, 'diverge', 0, batchOf('x'), 1)).errorCode).toBe(ErrorCode.NONE);
    expect((await produce(conn, 'diverge', 0, batchOf('lost-1', 'lost-2', 'lost-3'), 1)).errorCode).toBe(ErrorCode.NONE);
    conn.close();
    await cluster.broker(oldLeader).process.kill9();
    cluster.broker(follower).process.resume();
    const moved = await cluster.waitForPartition('diverge', 0, `the follower ${follower} leading`, (p) => p.leaderId === follower, 30_000);
    expect(moved.leaderEpoch).toBeGreaterThan(start.leaderEpoch);
    const newLeader = await cluster.connect(follower);
    let kept: string[];
    try {
      expect((await produce(newLeader, 'diverge', 0, batchOf('c'), 1)).errorCode).toBe(ErrorCode.NONE);
      kept = values(await fetchAll(newLeader, 'diverge', 0));
    } finally {
      newLeader.close();
    }
    expect(kept.filter((v) => v.startsWith('lost'))).toEqual([]);
    // The old leader returns as a follower: its epoch ends, in the new leader's log, before `lost-*`.
    await cluster.broker(oldLeader).process.start();
    await cluster.waitForPartition('diverge', 0, 'the old leader back in the ISR', (p) => p.isrNodes.length === 2);
    // Leadership moves back to it by a controlled shutdown of the new leader; it serves only what the ISR had.
    await cluster.broker(follower).process.stop();
    await cluster.waitForPartition('diverge', 0, 'the old leader leading again', (p) => p.leaderId === oldLeader);
    const reader = await cluster.connect(oldLeader);
    try {
      expect(values(await fetchAll(reader, 'diverge', 0))).toEqual(kept);
    } finally {
      reader.close();
    }
    await cluster.broker(follower).process.start();
    await cluster.waitForBrokers(3);
  }, 120_000);

  it('refuses LeaderAndIsr, UpdateMetadata and StopReplica from anyone but the controller, and applies none of them', async () => {
    await cluster.createTopic('guarded', 1, 3);
    const before = await cluster.waitForPartition('guarded', 0, 'all replicas in sync', (p) => p.isrNodes.length === 3);
    const { controllerId, topics } = await cluster.metadata(['guarded']);
    const topicId = topics[0]!.topicId;
    const target = before.leaderId;
    const conn = await cluster.connect(target);
    try {
      const forgedEpochs = [
        { controllerId: target === 1 ? 2 : 1, controllerEpoch: 99 },
        { controllerId, controllerEpoch: 0 },
      ];
      for (const forged of forgedEpochs) {
        const leaderAndIsr = await conn.request(ApiKey.LeaderAndIsr, 7, {
          ...defaultLeaderAndIsrRequest(),
          ...forged,
          brokerEpoch: -1n,
          topicStates: [
            {
              topicName: 'guarded',
              topicId,
              partitionStates: [
                {
                  topicName: 'guarded',
                  partitionIndex: 0,
                  controllerEpoch: forged.controllerEpoch,
                  leader: -1,
                  leaderEpoch: 1000,
                  isr: [],
                  partitionEpoch: 1000,
                  replicas: [1, 2, 3],
                  addingReplicas: [],
                  removingReplicas: [],
                  isNew: false,
                  leaderRecoveryState: 0,
                },
              ],
            },
          ],
        });
        expect(leaderAndIsr.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
        const stop = await conn.request(ApiKey.StopReplica, 4, {
          ...defaultStopReplicaRequest(),
          ...forged,
          brokerEpoch: -1n,
          topicStates: [{ topicName: 'guarded', partitionStates: [{ partitionIndex: 0, leaderEpoch: -2, deletePartition: true }] }],
        });
        expect(stop.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
        const update = await conn.request(ApiKey.UpdateMetadata, 8, { ...defaultUpdateMetadataRequest(), ...forged, brokerEpoch: -1n });
        expect(update.errorCode).toBe(ErrorCode.STALE_CONTROLLER_EPOCH);
      }
      // Nothing applied: the partition is led and served as before, the cluster still has its brokers.
      expect((await produce(conn, 'guarded', 0, batchOf('still-here'), -1)).errorCode).toBe(ErrorCode.NONE);
      expect(await cluster.partition('guarded', 0)).toMatchObject({ leaderId: target, leaderEpoch: before.leaderEpoch });
      expect((await cluster.metadata()).brokers).toHaveLength(3);
    } finally {
      conn.close();
    }
  }, 60_000);

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
    // The controller tries to elect when it learns of a broker's death or return, before it tells the
    // brokers about it: once the metadata has the follower and not the leader, those elections were refused.
    await waitUntil(
      async () => {
        const live = (await cluster.metadata().catch(() => undefined))?.brokers.map((b) => b.nodeId) ?? [];
        return live.includes(follower) && !live.includes(leader);
      },
      `broker ${follower} registered again and broker ${leader} gone`,
      30_000,
    );
    expect(await cluster.partition('unclean', 0)).toMatchObject({ leaderId: -1, isrNodes: [leader] });
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
    await cluster.broker(follower).process.start();
    await cluster.waitForBrokers(3);
  }, 150_000);

  it('elects a new controller within the session timeout after the controller is killed, and creates topics again', async () => {
    const { controllerId } = await cluster.metadata();
    await cluster.broker(controllerId).process.kill9();
    const elected = await waitUntil(
      async () => {
        const m = await cluster.metadata().catch(() => undefined);
        return m && m.controllerId >= 0 && m.controllerId !== controllerId ? m.controllerId : undefined;
      },
      'a new controller (the session timeout is 4 s)',
      20_000,
    );
    expect(elected).not.toBe(controllerId);
    const created = await runKts([
      'topics',
      '--bootstrap-server',
      cluster.bootstrapServers,
      '--create',
      '--topic',
      'after-failover',
      '--replication-factor',
      '2',
    ]);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic after-failover.\n' });
    await cluster.waitForPartition('after-failover', 0, 'a leader', (p) => p.leaderId >= 0 && p.leaderId !== controllerId);
    await cluster.broker(controllerId).process.start();
    await cluster.waitForBrokers(3);
  }, 90_000);

  it('topics --describe filters report the real states, and partitions added by --alter are replicated', async () => {
    await cluster.createTopic('health', 2, 3, { 'min.insync.replicas': '2' });
    await cluster.createTopic('single', 1, 1);
    for (const p of [0, 1]) await cluster.waitForPartition('health', p, 'in sync', (x) => x.isrNodes.length === 3);
    const alone = await cluster.waitForPartition('single', 0, 'a leader', (x) => x.leaderId >= 0);
    const grown = await runKts([
      'topics',
      '--bootstrap-server',
      cluster.bootstrapServers,
      '--alter',
      '--topic',
      'health',
      '--partitions',
      '3',
    ]);
    expect(grown.code).toBe(0);
    await cluster.waitForPartition(
      'health',
      2,
      'the added partition replicated and in sync',
      (x) => x.replicaNodes.length === 3 && x.isrNodes.length === 3,
    );
    const describe = async (filter: string) => {
      const r = await runKts(['topics', '--bootstrap-server', cluster.bootstrapServers, '--describe', '--topic', 'health|single', filter]);
      expect(r.code).toBe(0);
      return r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => /Topic: (\S+)\tPartition: (\d+)/.exec(l)!.slice(1, 3).join('-'));
    };
    expect(await describe('--under-replicated-partitions')).toEqual([]);
    expect(await describe('--unavailable-partitions')).toEqual([]);
    // Kill the broker holding 'single': its partition is unavailable (its ISR keeps its last member, as Kafka's
    // does, so it is also at its min ISR of 1), every 'health' partition under-replicated and at min ISR.
    await cluster.broker(alone.leaderId).process.kill9();
    for (const p of [0, 1, 2]) await cluster.waitForPartition('health', p, 'two in sync', (x) => x.isrNodes.length === 2, 30_000);
    expect(await describe('--under-replicated-partitions')).toEqual(['health-0', 'health-1', 'health-2']);
    expect(await describe('--at-min-isr-partitions')).toEqual(['health-0', 'health-1', 'health-2', 'single-0']);
    expect(await describe('--unavailable-partitions')).toEqual(['single-0']);
    expect(await describe('--under-min-isr-partitions')).toEqual(['single-0']);
    await cluster.broker(alone.leaderId).process.start();
    await cluster.waitForBrokers(3);
  }, 120_000);
});
