import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultInitProducerIdRequest } from '../../../src/protocol/generated/apis/init-producer-id.js';
import { runKts } from '../../helpers/kts.js';
import { connect, produce } from '../broker/helpers.js';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

describe('kts transactions', () => {
  let broker: StartedBroker;
  let conn: RawKafkaConnection;
  let open: Producer;
  let done: Producer;
  const kts = (...args: string[]) => runKts(['transactions', '--bootstrap-server', broker.bootstrapServers, ...args]);

  beforeAll(async () => {
    broker = await startBroker();
    conn = await connect(broker);
    const kafka = new Kafka({ clientId: 'txn-tool', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'txt', numPartitions: 2 }] });
    await admin.disconnect();
    done = kafka.producer({ transactionalId: 'done-tx', idempotent: true, maxInFlightRequests: 1 });
    await done.connect();
    const committed = await done.transaction();
    await committed.send({ topic: 'txt', messages: [{ value: 'c', partition: 1 }] });
    await committed.commit();
    open = kafka.producer({ transactionalId: 'open-tx', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 120_000 });
    await open.connect();
    const txn = await open.transaction();
    await txn.send({ topic: 'txt', messages: [{ value: 'o', partition: 0 }] });
  });

  afterAll(async () => {
    await open?.disconnect();
    await done?.disconnect();
    conn?.close();
    await broker?.stop();
  });

  it("list: Kafka's tab-terminated table, one row per transactional id with its coordinator", async () => {
    const r = await kts('list');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^TransactionalId\s*\tCoordinator\tProducerId\tTransactionState\s*\t$/);
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(/^done-tx\s*\t0\s+\t\d+\s*\tCompleteCommit\s*\t$/),
      expect.stringMatching(/^open-tx\s*\t0\s+\t\d+\s*\tOngoing\s*\t$/),
    ]);
    const recent = await kts('list', '--duration-filter', '3600000');
    expect(recent.stdout.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('describe: the open transaction with its partitions; an unknown id is one line and exit 1', async () => {
    const r = await kts('describe', '--transactional-id', 'open-tx');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const [header, row] = r.stdout.split('\n');
    expect(header).toBe(
      'CoordinatorId\tTransactionalId\tProducerId\tProducerEpoch\tTransactionState\tTransactionTimeoutMs\tCurrentTransactionStartTimeMs\tTransactionDurationMs\tTopicPartitions\t',
    );
    expect(row).toMatch(/^0\s+\topen-tx\s+\t\d+\s*\t0\s+\tOngoing\s+\t120000\s+\t\d{13}\s+\t\d+\s+\ttxt-0\s+\t$/);
    const json = JSON.parse((await kts('describe', '--transactional-id', 'done-tx', '--output', 'json')).stdout);
    expect(json).toMatchObject({ coordinatorId: 0, state: 'CompleteCommit', topicPartitions: [], transactionalId: 'done-tx' });
    const missing = await kts('describe', '--transactional-id', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'Failed to describe transaction state of transactional-id `nope`: The transactionalId could not be found. Enable debug logging for additional detail.\n',
    );
  });

  it('describe-producers, find-hanging and abort: a transaction no coordinator knows is found and aborted by its start offset', async () => {
    // A producer without a transactional id writes a transactional batch: no coordinator will ever end it.
    const { producerId, producerEpoch } = await conn.request(ApiKey.InitProducerId, 4, {
      ...defaultInitProducerIdRequest(),
      transactionalId: null,
    });
    const written = await produce(conn, 'txt', 0, {
      producerId,
      producerEpoch,
      baseSequence: 0,
      transactional: true,
      records: [{ value: Buffer.from('h') }],
    });
    const startOffset = written.baseOffset;

    const producers = await kts('describe-producers', '--topic', 'txt', '--partition', '0');
    expect(producers.code).toBe(0);
    expect(producers.stdout.split('\n')[0]).toBe(
      'ProducerId\tProducerEpoch\tLatestCoordinatorEpoch\tLastSequence\tLastTimestamp\tCurrentTransactionStartOffset\t',
    );
    expect(producers.stdout).toMatch(new RegExp(`^${producerId}\\s*\\t0\\s+\\t-1\\s+\\t0\\s+\\t\\d{13}\\s*\\t${startOffset}\\s*\\t$`, 'm'));

    await new Promise((resolve) => setTimeout(resolve, 5));
    const hanging = await kts('find-hanging', '--topic', 'txt', '--max-transaction-timeout', '0', '--output', 'json');
    expect(hanging.code).toBe(0);
    // open-tx's transaction is open too, but its coordinator counts txt-0 in it: not hanging.
    expect(JSON.parse(hanging.stdout)).toEqual([
      expect.objectContaining({
        topic: 'txt',
        partition: 0,
        producerId: Number(producerId),
        currentTransactionStartOffset: Number(startOffset),
      }),
    ]);

    const aborted = await kts('abort', '--topic', 'txt', '--partition', '0', '--start-offset', String(startOffset));
    expect(aborted).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const after = await kts('find-hanging', '--topic', 'txt', '--partition', '0', '--max-transaction-timeout', '0');
    expect(after.stdout).toBe(
      'Topic\tPartition\tProducerId\tProducerEpoch\tCoordinatorEpoch\tStartOffset\tLastTimestamp\tDuration(min)\t\n',
    );
    const again = await kts('abort', '--topic', 'txt', '--partition', '0', '--start-offset', String(startOffset));
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`Could not find any open transactions starting at offset ${startOffset} on partition txt-0\n`);
  });

  it.each([
    [['describe'], 'Command line error: argument --transactional-id is required'],
    [['abort', '--topic', 'txt', '--partition', '0'], 'The transaction to abort must be identified either with --start-offset'],
    [['abort', '--topic', 'txt', '--partition', '0', '--producer-id', '5'], 'Missing required argument --producer-epoch'],
    [['find-hanging'], 'The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search'],
    [['find-hanging', '--partition', '0', '--broker-id', '0'], 'The --partition argument requires --topic to be provided'],
    [['list', '--topic', 'txt'], "Command line error: unrecognized arguments: '--topic'"],
    [['commit'], "Command line error: invalid choice: 'commit'"],
    [['describe-producers', '--topic', 'txt', '--partition', 'x'], "argument --partition: could not convert 'x' to Integer"],
  ])('usage errors are one line, no stack: %j', async (args, message) => {
    const r = await kts(...args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
