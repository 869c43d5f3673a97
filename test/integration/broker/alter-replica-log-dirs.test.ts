import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultFetchRequest } from '../../../src/protocol/generated/apis/fetch.js';
import { consumeAll, expectKept, startProducer } from '../../cluster/client-runs.js';
import { startBrokerProcess } from '../../helpers/broker-process.js';
import { runKts } from '../../helpers/kts.js';
import { needs } from '../../helpers/requirements.js';
import { waitUntil } from '../../helpers/wait.js';
import { fetchAll, fetchTopic, produce } from './helpers.js';

/** One replica's place as DescribeLogDirs reports it. */
interface Placement {
  dir: string;
  isFuture: boolean;
  offsetLag: bigint;
  size: bigint;
}

async function placements(conn: RawKafkaConnection, topic: string, partition: number): Promise<Placement[]> {
  const response = await conn.request(ApiKey.DescribeLogDirs, 4, { topics: [{ topic, partitions: [partition] }] });
  return response.results.flatMap((r) =>
    r.topics
      .filter((t) => t.name === topic)
      .flatMap((t) => t.partitions.filter((p) => p.partitionIndex === partition))
      .map((p) => ({ dir: r.logDir, isFuture: p.isFutureKey, offsetLag: p.offsetLag, size: p.partitionSize })),
  );
}

/** AlterReplicaLogDirs at `version`: each partition's error code, as `topic-partition`. */
async function alterLogDirs(
  conn: RawKafkaConnection,
  path: string,
  partitions: { topic: string; partition: number }[],
  version = 2,
): Promise<Record<string, number>> {
  const topics = [...new Set(partitions.map((p) => p.topic))].map((name) => ({
    name,
    partitions: partitions.filter((p) => p.topic === name).map((p) => p.partition),
  }));
  const response = await conn.request(ApiKey.AlterReplicaLogDirs, version, { dirs: [{ path, topics }] });
  return Object.fromEntries(response.results.flatMap((t) => t.partitions.map((p) => [`${t.topicName}-${p.partitionIndex}`, p.errorCode])));
}

/** About `batches` × 100 KB of `b-<n>` records, produced before a move so it has something to copy. */
async function backlog(conn: RawKafkaConnection, topic: string, batches: number): Promise<string[]> {
  const values: string[] = [];
  for (let b = 0; b < batches; b++) {
    const records = Array.from({ length: 100 }, (_, i) => {
      const value = `b-${b * 100 + i}`;
      values.push(value);
      return { value: Buffer.from(value.padEnd(1000, '.')) };
    });
    expect((await produce(conn, topic, 0, { records })).errorCode).toBe(ErrorCode.NONE);
  }
  return values;
}

const trim = (value: string) => value.replace(/\.+$/, '');

describe('AlterReplicaLogDirs: a broker with two log.dirs moves a replica between them (KIP-113)', () => {
  const dirs: string[] = [];
  let broker: StartedBroker | undefined;
  let conn: RawKafkaConnection | undefined;

  afterEach(async () => {
    conn?.close();
    conn = undefined;
    await broker?.stop();
    broker = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const tempDir = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `kts-${name}-`));
    dirs.push(dir);
    return dir;
  };

  async function start(logDirs: string[], config: Record<string, string> = {}): Promise<RawKafkaConnection> {
    broker = await startBroker({
      logDir: logDirs[0],
      config: {
        'log.dirs': logDirs.join(','),
        'replica.fetch.backoff.ms': '50',
        'alter.log.dirs.replication.quota.window.num': '2',
        ...config,
      },
    });
    conn = await RawKafkaConnection.open(broker.host, broker.port);
    return conn;
  }

  async function createTopic(name: string, partitions = 1): Promise<void> {
    const r = await runKts([
      'topics',
      '--bootstrap-server',
      broker!.bootstrapServers,
      '--create',
      '--topic',
      name,
      '--partitions',
      String(partitions),
    ]);
    expect(r.stderr).toBe('');
  }

  /** The dir the partition is in now, and the other one. */
  async function from(c: RawKafkaConnection, a: string, b: string, topic: string): Promise<[string, string]> {
    const [current] = await placements(c, topic, 0);
    return current!.dir === a ? [a, b] : [b, a];
  }

  it('moves a partition while a confluent-kafka acks=all producer writes: nothing acknowledged is lost, the old dir goes', {
    ...needs('confluent-kafka'),
    timeout: 120_000,
  }, async () => {
    const a = tempDir('disk-a');
    const b = tempDir('disk-b');
    // The copy takes seconds, so the producer's writes land during it.
    const c = await start([a, b], { 'replica.alter.log.dirs.io.max.bytes.per.second': '400000', 'replica.fetch.max.bytes': '65536' });
    await createTopic('moving');
    const old = await backlog(c, 'moving', 20);
    const [source, target] = await from(c, a, b, 'moving');
    const run = startProducer('confluent-kafka', broker!.bootstrapServers, 'moving', 2000);
    await waitUntil(() => run.acked.length >= 100, '100 acknowledged records', 60_000);

    expect(await alterLogDirs(c, target, [{ topic: 'moving', partition: 0 }])).toEqual({ 'moving-0': ErrorCode.NONE });
    const during = await placements(c, 'moving', 0);
    expect(during.map((p) => [p.dir, p.isFuture])).toEqual([
      [source, false],
      [target, true],
    ]);
    const futureDir = readdirSync(target).find((d) => d.startsWith('moving-0.'));
    expect(futureDir).toMatch(/^moving-0\.[0-9a-f]{32}-future$/);

    const ackedWhileMoving = run.acked.length;
    await waitUntil(
      async () => {
        const now = await placements(c, 'moving', 0);
        return now.length === 1 && now[0]!.dir === target && !now[0]!.isFuture;
      },
      'the move to complete',
      60_000,
    );
    const { acked, output } = await run.done;
    expect(output).toContain('done');
    expect(acked).toHaveLength(2000);
    // Writes went on while the log was copied.
    expect(acked.length).toBeGreaterThan(ackedWhileMoving);

    const consumed = await consumeAll('confluent-kafka', broker!.bootstrapServers, 'moving', old.length + acked.length);
    expectKept([...old, ...acked], consumed.map(trim), true);
    expect(readdirSync(target)).toContain('moving-0');
    expect(readdirSync(join(target, 'moving-0'))).toEqual(
      expect.arrayContaining(['00000000000000000000.log', 'leader-epoch-checkpoint', 'partition.metadata']),
    );
    await waitUntil(() => !readdirSync(source).some((d) => d.startsWith('moving-0')), 'the old dir to be deleted', 10_000);
  });

  it('shows the future replica with its lag during a throttled copy, in DescribeLogDirs and kts log-dirs; a raised throttle lets it finish', async () => {
    const a = tempDir('disk-a');
    const b = tempDir('disk-b');
    const c = await start([a, b], { 'replica.alter.log.dirs.io.max.bytes.per.second': '50000', 'replica.fetch.max.bytes': '16384' });
    await createTopic('slow');
    const old = await backlog(c, 'slow', 10);
    const before = await fetchAll(c, 'slow', 0);
    const [source, target] = await from(c, a, b, 'slow');
    expect(await alterLogDirs(c, target, [{ topic: 'slow', partition: 0 }], 0)).toEqual({ 'slow-0': ErrorCode.NONE });
    // Asked again while it moves: nothing changes.
    expect(await alterLogDirs(c, target, [{ topic: 'slow', partition: 0 }], 1)).toEqual({ 'slow-0': ErrorCode.NONE });

    await waitUntil(
      async () => (await placements(c, 'slow', 0)).some((p) => p.isFuture && p.size > 0n),
      'the future log to hold something',
      10_000,
    );
    const described = await runKts(['log-dirs', '--bootstrap-server', broker!.bootstrapServers, '--describe', '--topic-list', 'slow']);
    expect(described.code).toBe(0);
    const lines = described.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'Querying brokers for log directories information',
      'Received log directory information from brokers 0',
    ]);
    const json = JSON.parse(lines[2]!) as {
      brokers: {
        broker: number;
        logDirs: { logDir: string; error: null; partitions: { partition: string; size: number; offsetLag: number; isFuture: boolean }[] }[];
      }[];
    };
    const byDir = new Map(json.brokers[0]!.logDirs.map((d) => [d.logDir, d.partitions]));
    expect(byDir.get(source)).toEqual([{ partition: 'slow-0', size: expect.any(Number), offsetLag: 0, isFuture: false }]);
    const [future] = byDir.get(target)!;
    expect(future).toMatchObject({ partition: 'slow-0', isFuture: true });
    // 50 KB/s through 1 MB: far from done, and the lag says how far.
    expect(future!.offsetLag).toBeGreaterThan(0);
    expect(future!.size).toBeLessThan(byDir.get(source)![0]!.size);

    const raised = await runKts([
      'configs',
      '--bootstrap-server',
      broker!.bootstrapServers,
      '--alter',
      '--entity-type',
      'brokers',
      '--entity-name',
      '0',
      '--add-config',
      'replica.alter.log.dirs.io.max.bytes.per.second=1000000000',
    ]);
    expect(raised.code).toBe(0);
    await waitUntil(
      async () => (await placements(c, 'slow', 0)).every((p) => p.dir === target && !p.isFuture),
      'the move to complete',
      30_000,
    );
    const after = await fetchAll(c, 'slow', 0);
    expect(after.map((r) => [r.offset, r.value?.toString()])).toEqual(before.map((r) => [r.offset, r.value?.toString()]));
    expect(after.map((r) => trim(r.value!.toString()))).toEqual(old);
  });

  it('answers LOG_DIR_NOT_FOUND, UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION for a name too long, NONE in place, and cancels a move by moving back', async () => {
    const a = tempDir('disk-a');
    const b = tempDir('disk-b');
    // One batch a step, then the quota holds the rest back.
    const c = await start([a, b], { 'replica.alter.log.dirs.io.max.bytes.per.second': '1000', 'replica.fetch.max.bytes': '1024' });
    await createTopic('errors', 2);
    await backlog(c, 'errors', 2);
    const [source, target] = await from(c, a, b, 'errors');
    expect(await alterLogDirs(c, join(a, 'nope'), [{ topic: 'errors', partition: 0 }])).toEqual({
      'errors-0': ErrorCode.LOG_DIR_NOT_FOUND,
    });
    expect(await alterLogDirs(c, `${a}/`, [{ topic: 'errors', partition: 0 }])).toEqual({ 'errors-0': ErrorCode.LOG_DIR_NOT_FOUND });
    expect(
      await alterLogDirs(c, target, [
        { topic: 'errors', partition: 7 },
        { topic: 'unknown', partition: 0 },
      ]),
    ).toEqual({
      'errors-7': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      'unknown-0': ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    });
    // Kafka refuses a topic whose future dir name would pass 255 bytes (KAFKA-4893).
    const long = 'l'.repeat(249);
    await createTopic(long);
    expect(await alterLogDirs(c, target, [{ topic: long, partition: 0 }])).toEqual({ [`${long}-0`]: ErrorCode.INVALID_TOPIC_EXCEPTION });
    // Where it already is: nothing to do.
    expect(await alterLogDirs(c, source, [{ topic: 'errors', partition: 0 }])).toEqual({ 'errors-0': ErrorCode.NONE });
    expect((await placements(c, 'errors', 0)).map((p) => p.dir)).toEqual([source]);

    // At 1 KB/s the move cannot finish; moving back to where it is cancels it and drops the future log.
    expect(await alterLogDirs(c, target, [{ topic: 'errors', partition: 0 }])).toEqual({ 'errors-0': ErrorCode.NONE });
    expect((await placements(c, 'errors', 0)).map((p) => p.isFuture)).toEqual([false, true]);
    expect(await alterLogDirs(c, source, [{ topic: 'errors', partition: 0 }])).toEqual({ 'errors-0': ErrorCode.NONE });
    expect((await placements(c, 'errors', 0)).map((p) => [p.dir, p.isFuture])).toEqual([[source, false]]);
    await waitUntil(() => !readdirSync(target).some((d) => d.startsWith('errors-0')), 'the future dir to be deleted', 10_000);
    // The partition still takes writes and reads.
    expect((await produce(c, 'errors', 0, { records: [{ value: Buffer.from('after') }] })).errorCode).toBe(ErrorCode.NONE);
    expect((await fetchAll(c, 'errors', 0)).at(-1)?.value?.toString()).toBe('after');
  });

  it('kts reassign-partitions with "log_dirs" moves the replica on a single broker, its own controller, and --verify follows it', async () => {
    const a = tempDir('disk-a');
    const b = tempDir('disk-b');
    const c = await start([a, b]);
    await createTopic('tooled');
    const old = await backlog(c, 'tooled', 3);
    const [, target] = await from(c, a, b, 'tooled');
    const kts = (args: string[]) => runKts(['reassign-partitions', '--bootstrap-server', broker!.bootstrapServers, ...args]);
    const file = join(a, 'move.json');
    writeFileSync(file, JSON.stringify({ version: 1, partitions: [{ topic: 'tooled', partition: 0, replicas: [0], log_dirs: [target] }] }));
    const executed = await kts(['--execute', '--reassignment-json-file', file]);
    expect(executed.stderr).toBe('');
    expect(executed.stdout.split('\n').slice(-3)).toEqual([
      'Successfully started partition reassignment for tooled-0',
      `Successfully started moving log directory to ${target} for replica tooled-0 with broker 0 `,
      '',
    ]);
    const verified = await waitUntil(
      async () => {
        const r = await kts(['--verify', '--reassignment-json-file', file]);
        return r.stdout.includes('completed successfully.') ? r : undefined;
      },
      'the move to complete',
      10_000,
    );
    expect(verified.stdout).toBe(
      [
        'Status of partition reassignment:',
        'Reassignment of partition tooled-0 is completed.',
        'Reassignment of replica tooled-0-0 completed successfully.',
        'Clearing broker-level throttles on broker 0',
        'Clearing topic-level throttles on topic tooled',
        '',
      ].join('\n'),
    );
    expect((await fetchAll(c, 'tooled', 0)).map((r) => trim(r.value!.toString()))).toEqual(old);
    expect(await kts(['--list'])).toMatchObject({ code: 0, stdout: 'No partition reassignments found.\n' });

    // The tool refuses another broker itself; the broker's own controller answers as Kafka's does.
    writeFileSync(file, JSON.stringify({ version: 1, partitions: [{ topic: 'tooled', partition: 0, replicas: [5] }] }));
    expect(await kts(['--execute', '--reassignment-json-file', file])).toMatchObject({ code: 1, stderr: 'Error: Unknown broker id 5\n' });
    const answered = await c.request(ApiKey.AlterPartitionReassignments, 0, {
      timeoutMs: 1000,
      topics: [
        {
          name: 'tooled',
          partitions: [
            { partitionIndex: 0, replicas: null },
            { partitionIndex: 1, replicas: [0] },
          ],
        },
      ],
    });
    expect(answered.responses.flatMap((t) => t.partitions.map((p) => [p.partitionIndex, p.errorCode, p.errorMessage]))).toEqual([
      [0, ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, null],
      [1, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The partition does not exist.'],
    ]);
    const refused = await c.request(ApiKey.AlterPartitionReassignments, 0, {
      timeoutMs: 1000,
      topics: [{ name: 'tooled', partitions: [{ partitionIndex: 0, replicas: [0, 5] }] }],
    });
    expect(refused.responses[0]!.partitions[0]).toMatchObject({
      errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      errorMessage: 'Replica assignment has brokers that are not alive. Replica list: [5], live broker list: [0]',
    });
  });

  it('moves a partition holding committed, aborted and open transactions: read_committed reads the same, and the open one still holds the LSO', async () => {
    const a = tempDir('disk-a');
    const b = tempDir('disk-b');
    const c = await start([a, b]);
    await createTopic('txns');
    const kafka = new Kafka({ clientId: 'move-txn', brokers: [broker!.bootstrapServers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ transactionalId: 'mover', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const send = async (values: string[], end: 'commit' | 'abort' | 'open') => {
        const txn = await producer.transaction();
        await txn.send({ topic: 'txns', messages: values.map((value) => ({ value, partition: 0 })) });
        if (end === 'commit') await txn.commit();
        if (end === 'abort') await txn.abort();
        return txn;
      };
      await send(['c1', 'c2'], 'commit');
      await send(['a1'], 'abort');
      await send(['c3'], 'commit');
      const open = await send(['o1'], 'open');
      const readCommitted = async () => {
        const response = await c.request(ApiKey.Fetch, 12, {
          ...defaultFetchRequest(),
          isolationLevel: 1,
          maxBytes: 1 << 20,
          topics: [fetchTopic('txns', [{ partition: 0, fetchOffset: 0n }])],
        });
        const data = response.responses[0]!.partitions[0]!;
        return { lso: data.lastStableOffset, aborted: data.abortedTransactions, hw: data.highWatermark, bytes: data.records?.length };
      };
      const before = await readCommitted();
      expect(before.aborted).toHaveLength(1);
      const [, target] = await from(c, a, b, 'txns');
      expect(await alterLogDirs(c, target, [{ topic: 'txns', partition: 0 }])).toEqual({ 'txns-0': ErrorCode.NONE });
      await waitUntil(
        async () => (await placements(c, 'txns', 0)).every((p) => p.dir === target && !p.isFuture),
        'the move to complete',
        10_000,
      );
      expect(await readCommitted()).toEqual(before);
      expect(readdirSync(join(target, 'txns-0')).some((f) => f.endsWith('.txnindex'))).toBe(true);
      // The producer state moved too: the open transaction ends with its marker, and the LSO passes it.
      await open.commit();
      const after = await readCommitted();
      expect(after.lso).toBe(after.hw);
      expect(after.lso).toBeGreaterThan(before.lso);
    } finally {
      await producer.disconnect();
    }
  });

  it('answers KAFKA_STORAGE_ERROR for an offline dir, and creates no future log while a dir is offline', async () => {
    const a = tempDir('disk-a');
    const b = tempDir('disk-b');
    const failing = tempDir('disk-failing');
    let c = await start([a, b, failing]);
    await createTopic('split', 3);
    await broker!.stop();
    conn!.close();
    // An I/O error on the next start: a segment cannot be opened, so the dir stays offline.
    const inFailing = readdirSync(failing).find((d) => d.startsWith('split-'))!;
    const segment = join(failing, inFailing, '00000000000000000000.log');
    rmSync(segment);
    mkdirSync(segment);
    broker = await startBroker({ logDir: a, config: { 'log.dirs': [a, b, failing].join(',') }, log: () => {} });
    c = conn = await RawKafkaConnection.open(broker.host, broker.port);
    // Placement puts one partition in each dir.
    const partitionInA = Number(
      readdirSync(a)
        .find((d) => d.startsWith('split-'))!
        .slice('split-'.length),
    );
    expect(await alterLogDirs(c, failing, [{ topic: 'split', partition: partitionInA }])).toEqual({
      [`split-${partitionInA}`]: ErrorCode.KAFKA_STORAGE_ERROR,
    });
    // The replica in the offline dir cannot move, and a healthy one gets no future log while a dir is offline.
    const offlinePartition = Number(inFailing.slice('split-'.length));
    expect(await alterLogDirs(c, a, [{ topic: 'split', partition: offlinePartition }])).toEqual({
      [`split-${offlinePartition}`]: ErrorCode.KAFKA_STORAGE_ERROR,
    });
    expect(await alterLogDirs(c, b, [{ topic: 'split', partition: partitionInA }])).toEqual({
      [`split-${partitionInA}`]: ErrorCode.KAFKA_STORAGE_ERROR,
    });
    expect(readdirSync(b).filter((d) => d.endsWith('-future'))).toEqual([]);
  });

  it('resumes a move after the broker is killed in the middle of it (Kafka finds the future dir at start-up)', {
    timeout: 90_000,
  }, async () => {
    const a = tempDir('disk-a');
    const b = tempDir('disk-b');
    const overrides = {
      'replica.fetch.backoff.ms': '50',
      'alter.log.dirs.replication.quota.window.num': '2',
      'replica.fetch.max.bytes': '16384',
    };
    let process = await startBrokerProcess(`${a},${b}`, {
      overrides: { ...overrides, 'replica.alter.log.dirs.io.max.bytes.per.second': '30000' },
    });
    const c1 = await RawKafkaConnection.open('127.0.0.1', process.port);
    let before: Awaited<ReturnType<typeof fetchAll>>;
    let target: string;
    try {
      const created = await runKts(['topics', '--bootstrap-server', `127.0.0.1:${process.port}`, '--create', '--topic', 'resumed']);
      expect(created.stderr).toBe('');
      await backlog(c1, 'resumed', 10);
      before = await fetchAll(c1, 'resumed', 0);
      [, target] = await from(c1, a, b, 'resumed');
      expect(await alterLogDirs(c1, target, [{ topic: 'resumed', partition: 0 }])).toEqual({ 'resumed-0': ErrorCode.NONE });
      await waitUntil(async () => (await placements(c1, 'resumed', 0)).some((p) => p.isFuture && p.size > 0n), 'the copy to begin', 10_000);
    } finally {
      c1.close();
    }
    await process.kill('SIGKILL');
    expect(readdirSync(target).filter((d) => d.endsWith('-future'))).toHaveLength(1);

    process = await startBrokerProcess(`${a},${b}`, { overrides });
    const c2 = await RawKafkaConnection.open('127.0.0.1', process.port);
    try {
      await waitUntil(
        async () => (await placements(c2, 'resumed', 0)).every((p) => p.dir === target && !p.isFuture),
        'the move to complete',
        30_000,
      );
      const after = await fetchAll(c2, 'resumed', 0);
      expect(after.map((r) => [r.offset, r.value?.toString()])).toEqual(before.map((r) => [r.offset, r.value?.toString()]));
      expect(readdirSync(target).filter((d) => d.endsWith('-future'))).toEqual([]);
    } finally {
      c2.close();
      await process.kill('SIGTERM');
    }
    expect(existsSync(join(target, 'resumed-0'))).toBe(true);
  });
});
