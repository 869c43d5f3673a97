import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinatorPartition } from '../../src/broker/group/coordinator-partition.js';
import { ErrorCode, errorName } from '../../src/protocol/errors.js';
import { ApiKey } from '../../src/protocol/generated/api-info.js';
import { defaultAddPartitionsToTxnRequest } from '../../src/protocol/generated/apis/add-partitions-to-txn.js';
import { defaultOffsetCommitRequest } from '../../src/protocol/generated/apis/offset-commit.js';
import { defaultOffsetFetchRequest } from '../../src/protocol/generated/apis/offset-fetch.js';
import { runKts } from '../helpers/kts.js';
import { waitUntil } from '../helpers/wait.js';
import { TestCluster } from './harness.js';

const TXN_PARTITIONS = 3;
const OFFSETS_PARTITIONS = 3;

/** Whether the promise is still unsettled once the queued callbacks have run. */
async function isPending(promise: Promise<unknown>): Promise<boolean> {
  return Promise.race([
    promise.then(
      () => false,
      () => false,
    ),
    nextTurn().then(() => true),
  ]);
}

describe('coordinators through a leader-epoch bump that keeps the leader, on a 3-broker cluster', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 3,
      config: {
        // Only the controller takes a replica out of an ISR here (with a leader-epoch bump): a paused
        // follower neither falls out by lag nor loses its ZooKeeper session while the test runs.
        'replica.lag.time.max.ms': '120000',
        'zookeeper.session.timeout.ms': '30000',
        // The offset commit waits for the paused follower longer than Kafka's 5 s default.
        'offsets.commit.timeout.ms': '30000',
        'transaction.state.log.num.partitions': String(TXN_PARTITIONS),
        'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS),
        'auto.leader.rebalance.enable': 'false',
      },
    });
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('an EndTxn and an OffsetCommit waiting for a paused follower complete when a reassignment that keeps their leader removes it; the kafkajs transaction reads back once, read_committed', {
    timeout: 120_000,
  }, async () => {
    const transactionalId = 'epoch-bump-tx';
    const coordinator = await cluster.coordinatorOf(transactionalId, 1); // creates __transaction_state
    const txnPartition = coordinatorPartition(transactionalId, TXN_PARTITIONS);
    const txnState = await cluster.waitForPartition('__transaction_state', txnPartition, '3 in sync', (p) => p.isrNodes.length === 3);
    // The follower to pause is not the controller, which must go on working.
    const controller = (await cluster.metadata([])).controllerId;
    const paused = txnState.replicaNodes.find((r) => r !== coordinator && r !== controller)!;
    const other = txnState.replicaNodes.find((r) => r !== coordinator && r !== paused)!;
    // A group the same broker coordinates, its partition's ISR holding the paused broker too.
    let group = '';
    for (let n = 0; group === ''; n++)
      if ((await cluster.coordinatorOf(`epoch-bump-group-${n}`, 0)) === coordinator) group = `epoch-bump-group-${n}`;
    const offsetsPartition = coordinatorPartition(group, OFFSETS_PARTITIONS);
    await cluster.waitForPartition('__consumer_offsets', offsetsPartition, '3 in sync', (p) => p.isrNodes.length === 3);
    // The transaction's data is away from the paused broker: only the coordinators' writes wait for it.
    const topic = 'epoch-bump';
    // Clients bootstrap from the brokers that stay running.
    const running = [coordinator, other].map((id) => `127.0.0.1:${cluster.broker(id).port}`).join(',');
    const kts = (args: string[]) => runKts([...args.slice(0, 1), '--bootstrap-server', running, ...args.slice(1)], { timeoutMs: 30_000 });
    const created = await kts(['topics', '--create', '--topic', topic, '--replica-assignment', `${other}:${coordinator}`]);
    expect(created.code, created.stderr).toBe(0);

    // kafkajs opens the transaction and writes to it. The commit is a raw EndTxn with its producer id
    // and epoch: kafkajs looks the coordinator up at a random known broker, the paused one included.
    const kafka = new Kafka({ clientId: 'epoch-bump', brokers: running.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const txn = await producer.transaction();
      await txn.send({ topic, acks: -1, messages: [{ value: 'one' }, { value: 'two' }] });
    } finally {
      await producer.disconnect();
    }
    const [conn, endTxnConn, offsetsConn] = await Promise.all([1, 2, 3].map(() => cluster.connect(coordinator)));
    const fetchOffset = async () => {
      const r = await conn.request(ApiKey.OffsetFetch, 7, {
        ...defaultOffsetFetchRequest(),
        groupId: group,
        topics: [{ name: topic, partitionIndexes: [0] }],
      });
      return r.topics[0]?.partitions[0]?.committedOffset;
    };
    try {
      const [open] = (await conn.request(ApiKey.DescribeTransactions, 0, { transactionalIds: [transactionalId] })).transactionStates;
      expect([open!.transactionState, open!.topics.map((t) => t.topic)]).toEqual(['Ongoing', [topic]]);
      const identity = { transactionalId, producerId: open!.producerId, producerEpoch: open!.producerEpoch };
      const epochBefore = txnState.leaderEpoch;

      cluster.broker(paused).process.pause();
      const endTxn = endTxnConn.request(ApiKey.EndTxn, 3, { ...identity, committed: true }, 60_000);
      // In flight: PrepareCommit is appended and waits for the paused follower; the id is busy meanwhile
      // (AddPartitionsToTxn of a partition already in the transaction writes nothing: NONE while idle).
      let lastAnswer = -1;
      await waitUntil(
        async () => {
          const r = await conn.request(ApiKey.AddPartitionsToTxn, 3, {
            ...defaultAddPartitionsToTxnRequest(),
            v3AndBelowTransactionalId: transactionalId,
            v3AndBelowProducerId: identity.producerId,
            v3AndBelowProducerEpoch: identity.producerEpoch,
            v3AndBelowTopics: [{ name: topic, partitions: [0] }],
          });
          lastAnswer = r.resultsByTopicV3AndBelow[0]!.resultsByPartition[0]!.partitionErrorCode;
          return lastAnswer === ErrorCode.CONCURRENT_TRANSACTIONS;
        },
        () => `the EndTxn to wait for the paused follower (AddPartitionsToTxn answers ${lastAnswer})`,
      );
      const offsetCommit = offsetsConn.request(
        ApiKey.OffsetCommit,
        8,
        {
          ...defaultOffsetCommitRequest(),
          groupId: group,
          generationIdOrMemberEpoch: -1,
          topics: [
            {
              name: topic,
              partitions: [
                { partitionIndex: 0, committedOffset: 7n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: '' },
              ],
            },
          ],
        },
        60_000,
      );
      // The group coordinator applies a commit once appended and answers it once the ISR has it.
      await waitUntil(async () => (await fetchOffset()) === 7n, 'the OffsetCommit to be appended');
      expect([await isPending(endTxn), await isPending(offsetCommit)]).toEqual([true, true]);
      const now = await cluster.partition('__transaction_state', txnPartition);
      expect([now.leaderId, now.leaderEpoch]).toEqual([coordinator, epochBefore]);

      // The controller keeps the leader and bumps the leader epoch (the new replica set, then the ISR without the paused broker).
      const plan = join(cluster.dir, 'epoch-bump.json');
      writeFileSync(
        plan,
        JSON.stringify({
          version: 1,
          partitions: [
            { topic: '__transaction_state', partition: txnPartition, replicas: [coordinator, other] },
            { topic: '__consumer_offsets', partition: offsetsPartition, replicas: [coordinator, other] },
          ],
        }),
      );
      const reassigned = await kts(['reassign-partitions', '--execute', '--reassignment-json-file', plan]);
      expect(reassigned.code, reassigned.stderr).toBe(0);

      const [ended, offsetsCommitted] = await Promise.all([endTxn, offsetCommit]);
      expect([errorName(ended.errorCode), errorName(offsetsCommitted.topics[0]!.partitions[0]!.errorCode)]).toEqual(['NONE', 'NONE']);
      const after = await cluster.waitForPartition(
        '__transaction_state',
        txnPartition,
        'the reassignment done',
        (p) => p.replicaNodes.length === 2,
      );
      expect(after.leaderId).toBe(coordinator);
      expect(after.leaderEpoch).toBeGreaterThan(epochBefore);
      expect(after.isrNodes.sort()).toEqual([coordinator, other].sort());

      await waitUntil(async () => {
        const r = await conn.request(ApiKey.DescribeTransactions, 0, { transactionalIds: [transactionalId] });
        return r.transactionStates[0]!.transactionState === 'CompleteCommit';
      }, 'the commit markers written and the transaction completed');
      const read = await kts([
        'console-consumer',
        '--topic',
        topic,
        '--from-beginning',
        '--isolation-level',
        'read_committed',
        '--timeout-ms',
        '3000',
      ]);
      expect(read.code, read.stderr).toBe(0);
      expect(read.stdout.toString()).toBe('one\ntwo\n');
      expect(await fetchOffset()).toBe(7n);
    } finally {
      if (cluster.broker(paused).process.paused) cluster.broker(paused).process.resume();
      for (const c of [conn, endTxnConn, offsetsConn]) c.close();
    }
  });
});
