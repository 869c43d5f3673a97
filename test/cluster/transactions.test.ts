import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinatorPartition } from '../../src/broker/group/coordinator-partition.js';
import { ErrorCode } from '../../src/protocol/errors.js';
import { ApiKey } from '../../src/protocol/generated/api-info.js';
import { defaultListOffsetsRequestListOffsetsPartition } from '../../src/protocol/generated/apis/list-offsets.js';
import { defaultOffsetFetchRequest } from '../../src/protocol/generated/apis/offset-fetch.js';
import { waitUntil } from '../helpers/wait.js';
import { Copier, expectExactlyOnce, readCommitted, seed } from '../helpers/eos-runs.js';
import { runKts } from '../helpers/kts.js';
import { needs } from '../helpers/requirements.js';
import { TestCluster } from './harness.js';

const COUNT = 400;

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

  /** The broker coordinating a transactional id (or, key type 0, a group), as FindCoordinator answers. */
  const coordinatorOf = (key: string, keyType: 0 | 1 = 1) => cluster.coordinatorOf(key, keyType);

  /** The first transactional id `eos-cluster-tx-<n>` that `broker` coordinates. */
  async function sameCoordinator(broker: number): Promise<string> {
    for (let n = 0; n < 100; n++) if ((await coordinatorOf(`eos-cluster-tx-${n}`)) === broker) return `eos-cluster-tx-${n}`;
    throw new Error(`broker ${broker} leads no partition of __transaction_state`);
  }

  it('copies exactly once with markers on every broker, through the SIGKILL of the broker coordinating both its transactions and its group, and a copier killed mid-run', {
    ...needs('confluent-kafka'),
    timeout: 180_000,
  }, async () => {
    for (const topic of ['eos-in', 'eos-out']) await cluster.createTopic(topic, 3, 3, { 'min.insync.replicas': '2' });
    const out = await cluster.metadata(['eos-out']);
    // The output partitions are led by all three brokers: every commit sends markers to other brokers.
    expect(new Set(out.topics[0]!.partitions.map((p) => p.leaderId))).toEqual(new Set([1, 2, 3]));
    await seed(cluster.bootstrapServers, 'eos-in', COUNT);
    // A transactional id coordinated by the broker that coordinates the group: the SIGKILL below
    // moves both coordinators while the group's last offsets may still await their marker.
    const group = 'eos-copier';
    const coordinator = await coordinatorOf(group, 0);
    const transactionalId = await sameCoordinator(coordinator);
    const args = { source: 'eos-in', sink: 'eos-out', group, transactionalId, count: COUNT, abortEvery: 5 };
    const bootstrap = cluster.bootstrapServers;
    const first = new Copier(bootstrap, args);
    await first.waitForCommitted(COUNT / 5);
    expect([await coordinatorOf(transactionalId), await coordinatorOf(group, 0)]).toEqual([coordinator, coordinator]);
    await cluster.broker(coordinator).process.kill9();
    try {
      // The copier rides out the failover (or dies of it: its successor then takes over).
      await first.waitForCommittedOrExit(COUNT / 2);
      expect(await coordinatorOf(transactionalId)).not.toBe(coordinator);
      expect(await coordinatorOf(group, 0)).not.toBe(coordinator);
    } finally {
      first.kill9();
      await first.exited;
      await cluster.broker(coordinator).process.start();
      await cluster.waitForBrokers(3);
    }
    const second = new Copier(cluster.bootstrapServers, args);
    await second.waitForDone();
    expectExactlyOnce(await readCommitted(cluster.bootstrapServers, 'eos-out', COUNT), COUNT, [first, second]);
  });

  it("the group coordinator's successor serves the group's transactional offsets: committed ones, pending ones as UNSTABLE_OFFSET_COMMIT until their marker, and a restarted broker that leads again has what was committed meanwhile", {
    timeout: 180_000,
  }, async () => {
    await cluster.createTopic('offsets-moved', 1, 3);
    const group = 'offsets-moved-group';
    await coordinatorOf(group, 0); // creates __consumer_offsets
    const offsetsPartition = coordinatorPartition(group, (await cluster.metadata(['__consumer_offsets'])).topics[0]!.partitions.length);
    // Led by its first replica (earlier tests may have moved it), so that a preferred election can give it back later.
    const electPreferred = async () => {
      const r = await runKts([
        'leader-election',
        '--bootstrap-server',
        cluster.bootstrapServers,
        '--election-type',
        'preferred',
        '--topic',
        '__consumer_offsets',
        '--partition',
        String(offsetsPartition),
      ]);
      expect(r.code, r.stderr).toBe(0);
      const replicas = (await cluster.partition('__consumer_offsets', offsetsPartition)).replicaNodes;
      return (
        await cluster.waitForPartition(
          '__consumer_offsets',
          offsetsPartition,
          `led by broker ${replicas[0]}`,
          (p) => p.leaderId === replicas[0],
        )
      ).leaderId;
    };
    const coordinator = await electPreferred();
    // A transactional id coordinated elsewhere: its commits go on while the group's coordinator is down.
    let transactionalId = '';
    for (let i = 0; transactionalId === ''; i++)
      if ((await coordinatorOf(`offsets-moved-tx-${i}`)) !== coordinator) transactionalId = `offsets-moved-tx-${i}`;
    const kafka = new Kafka({ clientId: 'offsets-moved', brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const txnCoordinator = await coordinatorOf(transactionalId);
    const sendOffsets = async (offset: number) => {
      // The previous transaction must be completed (its markers written), else CONCURRENT_TRANSACTIONS.
      await waitUntil(async () => {
        const conn = await cluster.connect(txnCoordinator);
        try {
          const r = await conn.request(ApiKey.DescribeTransactions, 0, { transactionalIds: [transactionalId] });
          return !r.transactionStates[0]!.transactionState.startsWith('Prepare');
        } finally {
          conn.close();
        }
      }, `${transactionalId} to complete its transaction`);
      const txn = await producer.transaction();
      await txn.sendOffsets({
        consumerGroupId: group,
        topics: [{ topic: 'offsets-moved', partitions: [{ partition: 0, offset: String(offset) }] }],
      });
      return txn;
    };
    /** OffsetFetch v7 to the group's coordinator: [error, offset] of offsets-moved-0, or undefined while there is none. */
    const fetchOffset = async (requireStable: boolean): Promise<[number, bigint] | undefined> => {
      const leader = (await cluster.partition('__consumer_offsets', offsetsPartition)).leaderId;
      if (leader < 0 || !cluster.broker(leader).process.running) return undefined;
      const conn = await cluster.connect(leader);
      try {
        const r = await conn.request(ApiKey.OffsetFetch, 7, {
          ...defaultOffsetFetchRequest(),
          groupId: group,
          topics: [{ name: 'offsets-moved', partitionIndexes: [0] }],
          requireStable,
        });
        if (r.errorCode !== 0) return undefined;
        const p = r.topics[0]!.partitions[0]!;
        return [p.errorCode, p.committedOffset];
      } finally {
        conn.close();
      }
    };
    const settled = (offset: bigint) => async () => {
      const answer = await fetchOffset(true);
      return answer?.[0] === 0 && answer[1] === offset ? answer : undefined;
    };
    try {
      await (await sendOffsets(5)).commit();
      await waitUntil(settled(5n), 'offset 5 committed');
      const pending = await sendOffsets(9);
      await cluster.waitForPartition('__consumer_offsets', offsetsPartition, 'all in sync', (p) => p.isrNodes.length === 3);

      await cluster.broker(coordinator).process.kill9();
      await cluster.waitForPartition(
        '__consumer_offsets',
        offsetsPartition,
        'a new leader',
        (p) => p.leaderId >= 0 && p.leaderId !== coordinator,
      );
      expect(await waitUntil(() => fetchOffset(true), 'the new coordinator to answer')).toEqual([ErrorCode.UNSTABLE_OFFSET_COMMIT, -1n]);
      expect(await fetchOffset(false)).toEqual([ErrorCode.NONE, 5n]);
      // Its coordinator stays where it was: the controller taking the killed broker out of the ISR of the
      // transaction's partition (a leader-epoch bump, perhaps while this EndTxn waits for the ISR) changes nothing.
      await pending.commit();
      await waitUntil(settled(9n), 'offset 9 settled by its marker on the new coordinator');

      await cluster.broker(coordinator).process.start();
      await cluster.waitForPartition(
        '__consumer_offsets',
        offsetsPartition,
        'the restarted broker in sync',
        (p) => p.isrNodes.length === 3,
        60_000,
      );
      await (await sendOffsets(12)).commit();
      await waitUntil(settled(12n), 'offset 12 committed');
      expect(await electPreferred()).toBe(coordinator);
      await waitUntil(settled(12n), 'offset 12 on the restarted broker, leading again');
    } finally {
      await producer.disconnect();
      if (!cluster.broker(coordinator).process.running) await cluster.broker(coordinator).process.start();
      await cluster.waitForBrokers(3);
    }
  });

  it('a follower that becomes leader knows the open transaction: the last stable offset holds, and the commit reaches it', {
    timeout: 120_000,
  }, async () => {
    await cluster.createTopic('open-txn', 1, 3, { 'min.insync.replicas': '2' });
    const before = await cluster.waitForPartition(
      'open-txn',
      0,
      'a leader and 3 in sync',
      (m) => m.leaderId >= 0 && m.isrNodes.length === 3,
    );
    const kafka = new Kafka({ clientId: 'open-txn', brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ transactionalId: 'open-txn-tx', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const plain = await producer.transaction();
      await plain.send({ topic: 'open-txn', acks: -1, messages: [{ value: 'committed' }] });
      await plain.commit();
      const txn = await producer.transaction();
      await txn.send({ topic: 'open-txn', acks: -1, messages: [{ value: 'open-1' }, { value: 'open-2' }] });
      const lso = async (): Promise<bigint | undefined> => {
        const leader = (await cluster.partition('open-txn', 0)).leaderId;
        if (leader < 0 || !cluster.broker(leader).process.running) return undefined;
        const conn = await cluster.connect(leader);
        try {
          const r = await conn.request(ApiKey.ListOffsets, 7, {
            replicaId: -1,
            isolationLevel: 1,
            topics: [
              { name: 'open-txn', partitions: [{ ...defaultListOffsetsRequestListOffsetsPartition(), partitionIndex: 0, timestamp: -1n }] },
            ],
          });
          const p = r.topics[0]!.partitions[0]!;
          return p.errorCode === 0 ? p.offset : undefined;
        } finally {
          conn.close();
        }
      };
      // committed (0), its COMMIT marker (1): the open transaction starts at 2.
      expect(await lso()).toBe(2n);
      await cluster.broker(before.leaderId).process.kill9();
      const after = await cluster.waitForPartition('open-txn', 0, 'a new leader', (m) => m.leaderId >= 0 && m.leaderId !== before.leaderId);
      expect(after.leaderId).not.toBe(before.leaderId);
      expect(await waitUntil(lso, 'the new leader to answer ListOffsets')).toBe(2n);
      // kafkajs does not retry EndTxn answered NOT_COORDINATOR (Java's producer does): the commit waits
      // until the broker FindCoordinator names answers for the id (the killed broker may have been its
      // coordinator). A leader-epoch bump that keeps the coordinator (the killed broker leaving the
      // ISR of the transaction's partition) does not matter.
      await waitUntil(async () => {
        const coordinator = await coordinatorOf('open-txn-tx');
        if (!cluster.broker(coordinator).process.running) return false;
        const conn = await cluster.connect(coordinator);
        try {
          const r = await conn.request(ApiKey.DescribeTransactions, 0, { transactionalIds: ['open-txn-tx'] });
          return r.transactionStates[0]!.transactionState === 'Ongoing';
        } finally {
          conn.close();
        }
      }, 'the transaction coordinator to answer after the kill');
      await txn.commit();
      expect(await waitUntil(async () => ((await lso()) === 5n ? 5n : undefined), 'the commit marker on the new leader')).toBe(5n);
    } finally {
      await producer.disconnect();
      await cluster.broker(before.leaderId).process.start();
      await cluster.waitForBrokers(3);
    }
  });
});
