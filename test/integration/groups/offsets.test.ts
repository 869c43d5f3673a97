import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { StartedBroker } from '../../../src/broker/index.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultFindCoordinatorRequest } from '../../../src/protocol/generated/apis/find-coordinator.js';
import { defaultListGroupsRequest } from '../../../src/protocol/generated/apis/list-groups.js';
import { defaultOffsetCommitRequest } from '../../../src/protocol/generated/apis/offset-commit.js';
import { defaultOffsetFetchRequest } from '../../../src/protocol/generated/apis/offset-fetch.js';
import { brokerForTest } from '../../helpers/broker.js';
import { needs, PYTHON } from '../../helpers/requirements.js';
import { waitUntil } from '../../helpers/wait.js';
import { describeAssignments, MemberProcess } from './members.js';

const CONFIG = { 'offsets.topic.num.partitions': '5' };

function kafkaFor(broker: StartedBroker): Kafka {
  return new Kafka({ clientId: 'offsets-test', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
}

async function createAndFill(broker: StartedBroker, topic: string, partitions: number, values: string[]): Promise<void> {
  const kafka = kafkaFor(broker);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
  await admin.disconnect();
  await produce(broker, topic, values);
}

async function produce(broker: StartedBroker, topic: string, values: string[]): Promise<void> {
  const producer = kafkaFor(broker).producer();
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ key: value, value })) });
  await producer.disconnect();
}

function values(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
}

/** kafka-python's group consumer in its own process: the values it consumed before committing. */
function kafkaPythonConsume(broker: StartedBroker, group: string, topic: string, count: number): Promise<string[]> {
  const script = fileURLToPath(new URL('./clients/kafka_python_group.py', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [script, broker.bootstrapServers, group, topic, String(count)]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve((JSON.parse(out) as { values: string[] }).values);
      else reject(new Error(`kafka-python exited with ${code}: ${err.slice(-500)}`));
    });
  });
}

describe('committed offsets and independent groups with real clients', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  const start = (logDir?: string): Promise<StartedBroker> => brokerForTest({ config: CONFIG, logDir });

  function member(m: MemberProcess): MemberProcess {
    cleanups.push(() => m.close());
    return m;
  }

  it('gives every message to each of two groups on one topic', needs('confluent-kafka'), async () => {
    const broker = await start();
    const sent = values('m', 60);
    await createAndFill(broker, 'events', 6, sent);
    const args = (group: string) => [broker.bootstrapServers, group, 'events'];
    const a = member(MemberProcess.confluent('group-a', [...args('group-a'), 'range']));
    const b = member(MemberProcess.kafkajs('group-b', args('group-b')));
    const got = (m: MemberProcess) => new Set(m.messages().map((e) => e.value));
    await waitUntil(
      () => got(a).size === 60 && got(b).size === 60,
      () => `a=${got(a).size} b=${got(b).size} ${describeAssignments([a, b])}`,
      30_000,
    );
    expect([...got(a)].sort()).toEqual([...sent].sort());
    expect([...got(b)].sort()).toEqual([...sent].sort());
  });

  it('keeps committed offsets across a broker restart (kafka-python group consumer)', needs('kafka-python'), async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'kts-groups-'));
    onTestFinished(() => rmSync(logDir, { recursive: true, force: true }));
    let broker = await start(logDir);
    await createAndFill(broker, 'ledger', 1, values('before', 20));
    expect(await kafkaPythonConsume(broker, 'auditors', 'ledger', 20)).toEqual(values('before', 20));
    await broker.stop();

    broker = await start(logDir);
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const offsets = await admin.fetchOffsets({ groupId: 'auditors', topics: ['ledger'] });
    // kafkajs reports Kafka's empty metadata as null.
    expect(offsets[0]!.partitions).toEqual([{ partition: 0, offset: '20', metadata: null }]);
    // The group resumes where it committed: only what was produced after the restart.
    await produce(broker, 'ledger', values('after', 5));
    expect(await kafkaPythonConsume(broker, 'auditors', 'ledger', 5)).toEqual(values('after', 5));
  });

  it('loses no message across a rebalance when members commit before revoking', needs('confluent-kafka'), async () => {
    const broker = await start();
    await createAndFill(broker, 'payments', 2, values('warmup', 10));
    const args = [broker.bootstrapServers, 'payers', 'payments', 'range'];
    const first = member(MemberProcess.confluent('first', [...args, 'commit-on-revoke']));
    await waitUntil(
      () => first.messages().length === 10,
      () => describeAssignments([first]),
      30_000,
    );

    // The second member starts at the latest offset when nothing is committed: only the first
    // member's commits on revocation keep what it had not consumed yet from being skipped.
    const second = member(MemberProcess.confluent('second', [...args, 'commit-on-revoke,latest']));
    const sent: string[] = [];
    for (let round = 0; round < 10; round++) {
      const batch = values(`r${round}`, 10);
      await produce(broker, 'payments', batch);
      sent.push(...batch);
      if (round === 3)
        await waitUntil(
          () => second.assignment !== undefined && second.assignment.length > 0,
          () => describeAssignments([first, second]),
          30_000,
        );
      if (round === 6) await first.close();
      await new Promise((r) => setTimeout(r, 100));
    }
    const consumed = () => new Set([...first.messages(), ...second.messages()].map((e) => e.value));
    await waitUntil(
      () => sent.every((v) => consumed().has(v)),
      () => `missing ${sent.filter((v) => !consumed().has(v)).join(',')}`,
      30_000,
    );
  });

  it('answers batched FindCoordinator (v4) and multi-group OffsetFetch (v8), and filters ListGroups by state', async () => {
    const broker = await start();
    await createAndFill(broker, 'audit', 2, []);
    const conn = await RawKafkaConnection.open(broker.host, broker.port);
    cleanups.push(() => conn.close());
    const found = await conn.request(ApiKey.FindCoordinator, 4, {
      ...defaultFindCoordinatorRequest(),
      keyType: 0,
      coordinatorKeys: ['x', 'y'],
    });
    expect(found.coordinators).toEqual([
      { key: 'x', nodeId: 0, host: broker.host, port: broker.port, errorCode: 0, errorMessage: null },
      { key: 'y', nodeId: 0, host: broker.host, port: broker.port, errorCode: 0, errorMessage: null },
    ]);
    const txn = await conn.request(ApiKey.FindCoordinator, 3, { ...defaultFindCoordinatorRequest(), key: 't', keyType: 1 });
    // A transactional id's coordinator: the leader of its __transaction_state partition, created on first use.
    expect(txn).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: 0, host: broker.host, port: broker.port });

    for (const [group, offset] of [
      ['x', 5n],
      ['y', 7n],
    ] as const) {
      const committed = await conn.request(ApiKey.OffsetCommit, 8, {
        ...defaultOffsetCommitRequest(),
        groupId: group,
        topics: [
          {
            name: 'audit',
            partitions: [
              { partitionIndex: 1, committedOffset: offset, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: 'md' },
            ],
          },
        ],
      });
      expect(committed.topics[0]!.partitions[0]!.errorCode).toBe(0);
    }
    const fetched = await conn.request(ApiKey.OffsetFetch, 8, {
      ...defaultOffsetFetchRequest(),
      groups: [
        { groupId: 'x', memberId: null, memberEpoch: -1, topics: null },
        { groupId: 'y', memberId: null, memberEpoch: -1, topics: [{ name: 'audit', partitionIndexes: [0, 1] }] },
      ],
    });
    expect(fetched.groups).toEqual([
      {
        groupId: 'x',
        errorCode: 0,
        topics: [
          {
            name: 'audit',
            partitions: [{ partitionIndex: 1, committedOffset: 5n, committedLeaderEpoch: -1, metadata: 'md', errorCode: 0 }],
          },
        ],
      },
      {
        groupId: 'y',
        errorCode: 0,
        topics: [
          {
            name: 'audit',
            partitions: [
              { partitionIndex: 0, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
              { partitionIndex: 1, committedOffset: 7n, committedLeaderEpoch: -1, metadata: 'md', errorCode: 0 },
            ],
          },
        ],
      },
    ]);
    const listed = await conn.request(ApiKey.ListGroups, 5, { ...defaultListGroupsRequest(), statesFilter: ['Empty'] });
    expect(listed.groups.map((g) => g.groupId).sort()).toEqual(['x', 'y']);
    const stable = await conn.request(ApiKey.ListGroups, 5, { ...defaultListGroupsRequest(), statesFilter: ['Stable'] });
    expect(stable.groups).toEqual([]);
  });
});
