import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultFetchRequest } from '../../../src/protocol/generated/apis/fetch.js';
import { defaultInitProducerIdRequest } from '../../../src/protocol/generated/apis/init-producer-id.js';
import { defaultListOffsetsRequestListOffsetsPartition } from '../../../src/protocol/generated/apis/list-offsets.js';
import { defaultProduceRequest } from '../../../src/protocol/generated/apis/produce.js';
import { endTxnMarkerBatch } from '../../../src/protocol/records/control-record.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { runKts } from '../../helpers/kts.js';
import { waitUntil } from '../../helpers/wait.js';
import { connect, fetchTopic, produce } from './helpers.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

describe('transactions on a single broker, with kafkajs', () => {
  let broker: StartedBroker;
  let kafka: Kafka;
  let admin: Admin;
  let conn: RawKafkaConnection;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    broker = await startBroker({ config: { 'transaction.abort.timed.out.transaction.cleanup.interval.ms': '100' } });
    kafka = new Kafka({ clientId: 'txn-test', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
    admin = kafka.admin();
    await admin.connect();
    conn = await connect(broker);
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    conn?.close();
    await admin?.disconnect();
    await broker?.stop();
  });

  async function transactionalProducer(transactionalId: string, transactionTimeout = 60_000): Promise<Producer> {
    const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout });
    await producer.connect();
    closers.push(() => producer.disconnect());
    return producer;
  }

  async function consume(topic: string, readUncommitted: boolean, count: number): Promise<string[]> {
    const consumer: Consumer = kafka.consumer({ groupId: `reader-${topic}-${readUncommitted}`, readUncommitted, maxWaitTimeInMs: 100 });
    await consumer.connect();
    closers.push(() => consumer.disconnect());
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        seen.push(`${partition}:${message.value}`);
      },
    });
    await waitUntil(
      () => seen.length >= count,
      () => `${count} records of ${topic}, got ${seen.join(' ')}`,
    );
    await consumer.disconnect();
    return seen.sort();
  }

  async function listOffset(topic: string, partition: number, isolationLevel: 0 | 1): Promise<bigint> {
    const response = await conn.request(ApiKey.ListOffsets, 7, {
      replicaId: -1,
      isolationLevel,
      topics: [
        { name: topic, partitions: [{ ...defaultListOffsetsRequestListOffsetsPartition(), partitionIndex: partition, timestamp: -1n }] },
      ],
    });
    return response.topics[0]!.partitions[0]!.offset;
  }

  it('read_committed consumers see committed transactions only, read_uncommitted ones everything', async () => {
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] });
    const producer = await transactionalProducer('orders-tx');
    let txn = await producer.transaction();
    await txn.send({
      topic: 'orders',
      messages: [
        { value: 'c1', partition: 0 },
        { value: 'c2', partition: 1 },
      ],
    });
    await txn.commit();
    txn = await producer.transaction();
    await txn.send({
      topic: 'orders',
      messages: [
        { value: 'a1', partition: 0 },
        { value: 'a2', partition: 1 },
      ],
    });
    await txn.abort();
    txn = await producer.transaction();
    await txn.send({ topic: 'orders', messages: [{ value: 'c3', partition: 0 }] });
    await txn.commit();

    expect(await consume('orders', true, 5)).toEqual(['0:a1', '0:c1', '0:c3', '1:a2', '1:c2']);
    expect(await consume('orders', false, 3)).toEqual(['0:c1', '0:c3', '1:c2']);

    // kts's own consumer: console-consumer with either isolation level.
    const consoleConsumer = (isolation: string, max: number) =>
      runKts([
        'console-consumer',
        '--bootstrap-server',
        broker.bootstrapServers,
        '--topic',
        'orders',
        '--from-beginning',
        '--isolation-level',
        isolation,
        '--max-messages',
        String(max),
        '--timeout-ms',
        '10000',
      ]);
    expect((await consoleConsumer('read_committed', 3)).stdout.split('\n').filter(Boolean).sort()).toEqual(['c1', 'c2', 'c3']);
    expect((await consoleConsumer('read_uncommitted', 5)).stdout.split('\n').filter(Boolean).sort()).toEqual([
      'a1',
      'a2',
      'c1',
      'c2',
      'c3',
    ]);

    // A read_committed Fetch names the aborted transaction (offsets 2-3 of partition 0: data, ABORT marker).
    const fetched = await conn.request(ApiKey.Fetch, 12, {
      ...defaultFetchRequest(),
      isolationLevel: 1,
      maxBytes: 1 << 20,
      topics: [fetchTopic('orders', [{ partition: 0, fetchOffset: 0n }])],
    });
    const data = fetched.responses[0]!.partitions[0]!;
    expect(data.lastStableOffset).toBe(6n);
    expect(data.abortedTransactions).toEqual([{ producerId: expect.any(BigInt), firstOffset: 2n }]);

    // dump-log reads the partition's .txnindex and its control batches in Kafka's formats.
    const dir = join(broker.logDir, 'orders-0');
    const txnIndex = readdirSync(dir).find((n) => n.endsWith('.txnindex'))!;
    const dumped = await runKts(['dump-log', '--files', join(dir, txnIndex)]);
    expect(dumped.stdout).toMatch(/version: 0 producerId: \d+ firstOffset: 2 lastOffset: 3 lastStableOffset: 4/);
    const segment = await runKts(['dump-log', '--deep-iteration', '--files', join(dir, '00000000000000000000.log')]);
    expect(segment.stdout).toMatch(/isTransactional: true isControl: true /);
    expect(segment.stdout).toMatch(/endTxnMarker: ABORT coordinatorEpoch: 0/);
    expect(segment.stdout).toMatch(/endTxnMarker: COMMIT coordinatorEpoch: 0/);
  });

  it('an open transaction holds the last stable offset; read_committed ListOffsets stops there', async () => {
    await admin.createTopics({ topics: [{ topic: 'pending', numPartitions: 1 }] });
    const plain = kafka.producer();
    await plain.connect();
    closers.push(() => plain.disconnect());
    await plain.send({ topic: 'pending', messages: [{ value: 'before' }] });
    const producer = await transactionalProducer('pending-tx');
    const txn = await producer.transaction();
    await txn.send({ topic: 'pending', messages: [{ value: 'open' }] });
    await plain.send({ topic: 'pending', messages: [{ value: 'after' }] });
    expect(await listOffset('pending', 0, 0)).toBe(3n);
    expect(await listOffset('pending', 0, 1)).toBe(1n);
    await txn.commit();
    expect(await listOffset('pending', 0, 1)).toBe(4n);
  });

  it('commits consumed offsets with the transaction (sendOffsets), and drops them on abort', async () => {
    await admin.createTopics({ topics: [{ topic: 'source', numPartitions: 1 }] });
    const producer = await transactionalProducer('offsets-tx');
    let txn = await producer.transaction();
    await txn.sendOffsets({ consumerGroupId: 'copier', topics: [{ topic: 'source', partitions: [{ partition: 0, offset: '7' }] }] });
    await txn.abort();
    const offsetOf = async () => (await admin.fetchOffsets({ groupId: 'copier', topics: ['source'] }))[0]!.partitions[0]!.offset;
    expect(await offsetOf()).toBe('-1');
    txn = await producer.transaction();
    await txn.sendOffsets({ consumerGroupId: 'copier', topics: [{ topic: 'source', partitions: [{ partition: 0, offset: '9' }] }] });
    expect(await offsetOf()).toBe('-1');
    await txn.commit();
    expect(await offsetOf()).toBe('9');
  });

  it('fences the older producer of a transactional id; its open transaction is aborted', async () => {
    await admin.createTopics({ topics: [{ topic: 'fenced', numPartitions: 1 }] });
    const zombie = await transactionalProducer('fence-tx');
    const txn = await zombie.transaction();
    await txn.send({ topic: 'fenced', messages: [{ value: 'zombie' }] });
    const successor = await transactionalProducer('fence-tx');
    const next = await successor.transaction();
    await next.send({ topic: 'fenced', messages: [{ value: 'successor' }] });
    await next.commit();
    await expect(txn.commit()).rejects.toThrow(/fenced|epoch/i);
    expect(await consume('fenced', false, 1)).toEqual(['0:successor']);
  });

  it('aborts a transaction open longer than its timeout and fences its producer', async () => {
    await admin.createTopics({ topics: [{ topic: 'slow', numPartitions: 1 }] });
    const producer = await transactionalProducer('slow-tx', 500);
    const txn = await producer.transaction();
    await txn.send({ topic: 'slow', messages: [{ value: 'never' }] });
    await waitUntil(async () => {
      const described = await conn.request(ApiKey.DescribeTransactions, 0, { transactionalIds: ['slow-tx'] });
      return described.transactionStates[0]!.transactionState === 'CompleteAbort';
    }, 'the coordinator to abort the timed-out transaction');
    expect(await listOffset('slow', 0, 1)).toBe(2n);
    await expect(txn.commit()).rejects.toThrow(/fenced|epoch/i);
  });

  it('answers hostile and mistaken transactional requests with Kafka errors, never a crash', async () => {
    await admin.createTopics({ topics: [{ topic: 'hostile', numPartitions: 2 }] });
    await conn.request(ApiKey.FindCoordinator, 3, { key: 'h-tx', keyType: 1, coordinatorKeys: [] });
    const init = (transactionalId: string, transactionTimeoutMs: number) =>
      conn.request(ApiKey.InitProducerId, 4, { ...defaultInitProducerIdRequest(), transactionalId, transactionTimeoutMs });
    expect((await init('', 1000)).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await init('h-tx', 0)).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect((await init('h-tx', 900_001)).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const { producerId, producerEpoch } = await init('h-tx', 10_000);
    const endTxn = (id: string, pid: bigint, epoch: number, committed = true) =>
      conn.request(ApiKey.EndTxn, 3, { transactionalId: id, producerId: pid, producerEpoch: epoch, committed });
    expect((await endTxn('unknown-tx', producerId, producerEpoch)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect((await endTxn('h-tx', producerId + 1n, producerEpoch)).errorCode).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect((await endTxn('h-tx', producerId, producerEpoch + 1)).errorCode).toBe(ErrorCode.PRODUCER_FENCED);
    expect((await endTxn('h-tx', producerId, producerEpoch)).errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
    const add = (topic: string, partition: number, epoch = producerEpoch) =>
      conn.request(ApiKey.AddPartitionsToTxn, 3, {
        transactions: [],
        v3AndBelowTransactionalId: 'h-tx',
        v3AndBelowProducerId: producerId,
        v3AndBelowProducerEpoch: epoch,
        v3AndBelowTopics: [{ name: topic, partitions: [partition] }],
      });
    const addError = async (topic: string, partition: number, epoch?: number) =>
      (await add(topic, partition, epoch)).resultsByTopicV3AndBelow[0]!.resultsByPartition[0]!.partitionErrorCode;
    expect(await addError('nowhere', 0)).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await addError('hostile', 5)).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await addError('hostile', 0, producerEpoch - 1)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(await addError('hostile', 0)).toBe(ErrorCode.NONE);
    const batch = (transactional: boolean, baseSequence: number) =>
      encodeBatch({ producerId, producerEpoch, baseSequence, transactional, records: [{ value: Buffer.from('x') }] });
    // KIP-890: a transactional batch for a partition not in the transaction is refused (the
    // coordinator says so), before anything is written; Produce v10 and older get INVALID_TXN_STATE.
    const unverified = async (version: number) => {
      const r = await conn.request(ApiKey.Produce, version, {
        ...defaultProduceRequest(),
        transactionalId: 'h-tx',
        acks: -1,
        timeoutMs: 5000,
        topicData: [{ name: 'hostile', partitionData: [{ index: 1, records: batch(true, 0) }] }],
      });
      return r.responses[0]!.partitionResponses[0]!.errorCode;
    };
    expect(await unverified(11)).toBe(ErrorCode.TRANSACTION_ABORTABLE);
    expect(await unverified(10)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(await listOffset('hostile', 1, 0)).toBe(0n);
    // A transactional batch, then a plain batch of the same producer inside its transaction.
    expect((await produce(conn, 'hostile', 0, batch(true, 0))).errorCode).toBe(ErrorCode.NONE);
    expect((await produce(conn, 'hostile', 0, batch(false, 1))).errorCode).toBe(ErrorCode.INVALID_TXN_STATE);
    // Clients may not write markers themselves.
    const forged = encodeBatch(endTxnMarkerBatch({ producerId, producerEpoch, commit: true, coordinatorEpoch: 0, timestamp: 0n }));
    expect((await produce(conn, 'hostile', 0, forged)).errorCode).toBe(ErrorCode.INVALID_RECORD);
    // A marker from an older coordinator epoch than the last one is refused.
    const marker = (coordinatorEpoch: number) =>
      conn.request(ApiKey.WriteTxnMarkers, 1, {
        markers: [
          {
            producerId,
            producerEpoch,
            transactionResult: false,
            coordinatorEpoch,
            topics: [{ name: 'hostile', partitionIndexes: [0, 9] }],
          },
        ],
      });
    const markerErrors = async (epoch: number) => (await marker(epoch)).markers[0]!.topics[0]!.partitions.map((p) => p.errorCode);
    expect(await markerErrors(5)).toEqual([ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(await markerErrors(4)).toEqual([ErrorCode.TRANSACTION_COORDINATOR_FENCED, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    // TxnOffsetCommit for a group with a different generation than the group's.
    const member = kafka.consumer({ groupId: 'h-group' });
    await member.connect();
    closers.push(() => member.disconnect());
    await member.subscribe({ topic: 'hostile' });
    await member.run({ eachMessage: async () => {} });
    await waitUntil(async () => (await admin.describeGroups(['h-group'])).groups[0]!.state === 'Stable', 'h-group to be stable');
    const txnCommit = await conn.request(ApiKey.TxnOffsetCommit, 3, {
      transactionalId: 'h-tx',
      groupId: 'h-group',
      producerId,
      producerEpoch,
      generationId: 99,
      memberId: '',
      groupInstanceId: null,
      topics: [
        { name: 'hostile', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: '' }] },
      ],
    });
    expect(txnCommit.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect((await endTxn('h-tx', producerId, producerEpoch, false)).errorCode).toBe(ErrorCode.NONE);
    // The broker still serves.
    expect(await listOffset('hostile', 0, 1)).toBeGreaterThan(0n);
  });
});

describe('transactions across a broker restart', () => {
  it('keep open transactions, the last stable offset and aborted-transaction indexes; the coordinator then aborts the timed-out one', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'kts-txn-restart-'));
    onTestFinished(() => rmSync(logDir, { recursive: true, force: true }));
    const config = { 'transaction.abort.timed.out.transaction.cleanup.interval.ms': '100' };
    const first = await startBroker({ logDir, config });
    const kafka = new Kafka({ clientId: 'txn-restart', brokers: [first.bootstrapServers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({ transactionalId: 'durable-tx', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 3000 });
    await producer.connect();
    let txn = await producer.transaction();
    await txn.send({ topic: 'durable', messages: [{ value: 'aborted' }] });
    await txn.abort();
    txn = await producer.transaction();
    await txn.send({ topic: 'durable', messages: [{ value: 'open' }] });
    await producer.disconnect();
    await first.stop();
    expect(readdirSync(join(logDir, 'durable-0')).filter((n) => /\.(snapshot|txnindex)$/.test(n))).toEqual([
      '00000000000000000000.txnindex',
      '00000000000000000003.snapshot',
    ]);
    const snapshot = await runKts(['dump-log', '--files', join(logDir, 'durable-0', '00000000000000000003.snapshot')]);
    expect(snapshot.stdout).toMatch(
      /producerEpoch: 0 coordinatorEpoch: 0 currentTxnFirstOffset: OptionalLong\[2\] .*lastSequence: 1 lastOffset: 2 /,
    );

    const second = await startBroker({ logDir, config });
    onTestFinished(() => second.stop());
    const partition = second.broker.replicaManager.partition('durable', 0)!;
    expect(partition.lastStableOffset).toBe(2n);
    expect(partition.log.collectAbortedTxns(0n, 3n)).toEqual([expect.objectContaining({ firstOffset: 0n, lastOffset: 1n })]);
    await waitUntil(
      () => partition.lastStableOffset === 4n,
      () => `the open transaction to be aborted (LSO ${partition.lastStableOffset})`,
    );
    expect(partition.log.collectAbortedTxns(0n, 4n).map((t) => [t.firstOffset, t.lastOffset])).toEqual([
      [0n, 1n],
      [2n, 3n],
    ]);
  });
});
