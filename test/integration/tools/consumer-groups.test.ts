import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { KTS_BIN, runKts } from '../../helpers/kts.js';
import { waitUntil } from '../../helpers/wait.js';

const HOUR = 3_600_000;

describe('kts consumer-groups against the embedded broker', () => {
  let broker: StartedBroker;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer | undefined;
  let dir: string;
  const kts = (...args: string[]) =>
    runKts(['consumer-groups', '--bootstrap-server', broker.bootstrapServers, ...args], { timeoutMs: 30_000 });
  const committed = async (group = 'billing') =>
    (await admin.fetchOffsets({ groupId: group, topics: ['orders'] }))[0]!.partitions
      .sort((a, b) => a.partition - b.partition)
      .map((p) => Number(p.offset));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kts-groups-'));
    broker = await startBroker({ config: { 'offsets.topic.num.partitions': '3' } });
    kafka = new Kafka({ clientId: 'groups-tool-test', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer();
    await producer.connect();
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });
    // 30 records from two hours ago, all consumed; then 6 from an hour ago that the group lags behind.
    const old = String(Date.now() - 2 * HOUR);
    await producer.send({
      topic: 'orders',
      messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, timestamp: old })),
    });

    consumer = kafka.consumer({ groupId: 'billing', sessionTimeout: 10_000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: ['orders'], fromBeginning: true });
    let seen = 0;
    await consumer.run({ autoCommitInterval: 100, eachMessage: async () => void seen++ });
    let offsets: number[] = [];
    await waitUntil(
      async () => (offsets = await committed()).reduce((a, b) => a + b, 0) === 30,
      () => `30 committed offsets: ${offsets}`,
      20_000,
    );
    consumer.pause([{ topic: 'orders' }]);
    const lagging = String(Date.now() - HOUR);
    await producer.send({
      topic: 'orders',
      messages: Array.from({ length: 6 }, (_, i) => ({ key: `late${i}`, value: 'late', timestamp: lagging })),
    });
    expect(seen).toBe(30);
  }, 60_000);

  afterAll(async () => {
    await consumer?.disconnect().catch(() => {});
    await producer?.disconnect();
    await admin?.disconnect();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists groups, with Kafka's STATE column and filter", async () => {
    expect(await kts('--list')).toMatchObject({ code: 0, stdout: 'billing\n' });
    const withState = await kts('--list', '--state');
    expect(withState.stdout).toBe(`${'GROUP'.padEnd(25)} ${'STATE'.padEnd(20)}\n${'billing'.padEnd(25)} ${'Stable'.padEnd(20)}\n`);
    expect((await kts('--list', '--state', 'empty')).stdout).toBe(`${'GROUP'.padEnd(25)} ${'STATE'.padEnd(20)}\n`);
  });

  it("describes offsets, members and state of an active group in Kafka's layouts", async () => {
    const offsets = await kts('--describe', '--group', 'billing');
    expect(offsets.code).toBe(0);
    const lines = offsets.stdout.split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1]).toMatch(
      /^GROUP {11}TOPIC {11}PARTITION {2}CURRENT-OFFSET {2}LOG-END-OFFSET {2}LAG {13}CONSUMER-ID +HOST {12}CLIENT-ID$/,
    );
    const rows = lines.slice(2, -1).map((l) => l.split(/ +/));
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['billing', 'orders', '0'],
      ['billing', 'orders', '1'],
      ['billing', 'orders', '2'],
    ]);
    expect(rows.every((r) => r[6]!.startsWith('groups-tool-test-') && r[7] === '/127.0.0.1' && r[8] === 'groups-tool-test')).toBe(true);
    expect(rows.reduce((sum, r) => sum + Number(r[5]), 0)).toBe(6);
    expect(lines.at(-1)).toBe('');

    const members = await kts('--describe', '--group', 'billing', '--members', '--verbose');
    expect(members.stdout).toMatch(
      /^\nGROUP {11}CONSUMER-ID +HOST {12}CLIENT-ID {8}#PARTITIONS {5}ASSIGNMENT\nbilling {9}groups-tool-test-\S+ \/127\.0\.0\.1 {6}groups-tool-test 3 {15}\(0,1,2\)\n$/,
    );

    const state = await kts('--describe', '--group', 'billing', '--state');
    const coordinator = `${broker.bootstrapServers}  (`;
    expect(state.stdout).toContain(coordinator);
    expect(state.stdout.split('\n')[2]).toMatch(/^billing +\S+ {2}\(\d+\) +RoundRobinAssigner {3}Stable {10}1$/);
  });

  it('shows lag as time behind the next unconsumed record', async () => {
    const json = await kts('--describe', '--group', 'billing', '--output', 'json');
    const [group] = JSON.parse(json.stdout) as Array<{ state: string; partitions: Array<{ lag: number; timeLagMs: number | null }> }>;
    expect(group!.state).toBe('Stable');
    for (const p of group!.partitions) {
      if (p.lag > 0) expect(p.timeLagMs).toBeGreaterThanOrEqual(HOUR);
      else expect(p.timeLagMs).toBe(0);
    }
    const text = await kts('--describe', '--group', 'billing', '--time-lag');
    expect(text.stdout.split('\n')[1]).toMatch(/CLIENT-ID {8}TIME-LAG$/);
    expect(text.stdout).toMatch(/ 1h0\dm\n/);
  });

  it('refuses to reset or delete a group with active members', async () => {
    const before = await committed();
    const reset = await kts('--reset-offsets', '--group', 'billing', '--all-topics', '--to-earliest', '--execute');
    expect(reset.code).toBe(1);
    expect(reset.stderr).toBe(
      "Error: Assignments can only be reset if the group 'billing' is inactive, but the current state is Stable.\n",
    );
    expect(reset.stdout).toBe('');
    expect(await committed()).toEqual(before);

    const del = await kts('--delete', '--group', 'billing');
    expect(del.code).toBe(1);
    expect(del.stderr).toBe(
      "Error: Deletion of some consumer groups failed:\n* Group 'billing' could not be deleted due to: The group is not empty.\n",
    );
  });

  it('resets an inactive group: dry run, export, shift, file and datetime', async () => {
    await consumer!.disconnect();
    consumer = undefined;
    await waitUntil(async () => (await admin.describeGroups(['billing'])).groups[0]!.state === 'Empty', 'an empty group', 20_000);
    const before = await committed();

    const described = await kts('--describe', '--group', 'billing');
    expect(described.stderr).toBe("\nConsumer group 'billing' has no active members.\n");
    expect(described.stdout.split('\n')[2]).toMatch(/^billing +orders +0 +\d+ +\d+ +\d+ +- +- +-$/);

    const exported = await kts('--reset-offsets', '--group', 'billing', '--all-topics', '--to-earliest', '--export', '--dry-run');
    expect(exported).toMatchObject({ code: 0, stdout: 'orders,0,0\norders,1,0\norders,2,0\n\n', stderr: '' });
    const implicit = await kts('--reset-offsets', '--group', 'billing', '--all-topics', '--to-earliest');
    expect(implicit.stderr).toMatch(/^WARN: No action will be performed as the --execute option is missing\./);
    expect(await committed()).toEqual(before);

    const shifted = await kts('--reset-offsets', '--group', 'billing', '--topic', 'orders:1', '--shift-by', '-2', '--execute');
    expect(shifted.stdout).toBe(
      `\n${'GROUP'.padEnd(30)} ${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(10)} ${'NEW-OFFSET'.padEnd(15)}` +
        `\n${'billing'.padEnd(30)} ${'orders'.padEnd(30)} ${'1'.padEnd(10)} ${String(before[1]! - 2).padEnd(15)}\n`,
    );
    expect(await committed()).toEqual([before[0], before[1]! - 2, before[2]]);

    const plan = join(dir, 'plan.csv');
    writeFileSync(plan, 'orders,0,1\norders,2,100000\n');
    const fromFile = await kts('--reset-offsets', '--group', 'billing', '--from-file', plan, '--execute');
    expect(fromFile.code).toBe(0);
    const end2 = Number(fromFile.stdout.trim().split('\n').at(-1)!.split(/ +/)[3]);
    expect(fromFile.stderr).toBe(
      `WARN: New offset (100000) is higher than latest offset for topic partition orders-2. Value will be set to ${end2}\n`,
    );
    expect(await committed()).toEqual([1, before[1]! - 2, end2]);

    const past = await kts(
      '--reset-offsets',
      '--group',
      'billing',
      '--all-topics',
      '--to-datetime',
      '2001-01-01T00:00:00.000',
      '--export',
      '--dry-run',
    );
    expect(past.stdout).toBe('orders,0,0\norders,1,0\norders,2,0\n\n');
    const future = await kts(
      '--reset-offsets',
      '--group',
      'billing',
      '--topic',
      'orders:0',
      '--to-datetime',
      '2999-01-01T00:00:00.000+01:00',
      '--dry-run',
    );
    expect(future.stderr).toBe('Warn: Partition 0 from topic orders is empty. Falling back to latest known offset.\n');
    // The lagging records are an hour old: 90 minutes back finds them, not the two-hour-old ones.
    const byDuration = await kts(
      '--reset-offsets',
      '--group',
      'billing',
      '--all-topics',
      '--by-duration',
      'PT90M',
      '--export',
      '--dry-run',
    );
    const latest = await kts('--reset-offsets', '--group', 'billing', '--all-topics', '--to-latest', '--export', '--dry-run');
    const sum = (csv: string) =>
      csv
        .trim()
        .split('\n')
        .reduce((s, l) => s + Number(l.split(',')[2]), 0);
    expect(sum(latest.stdout) - sum(byDuration.stdout)).toBe(6);
  });

  it('deletes offsets and groups', async () => {
    const result = await kts('--delete-offsets', '--group', 'billing', '--topic', 'orders', '--topic', 'ghost');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: Encounter some partition level error, see the follow-up details:\n');
    expect(result.stdout.split('\n')).toEqual([
      '',
      `${'TOPIC'.padEnd(30)} ${'PARTITION'.padEnd(15)} ${'STATUS'.padEnd(15)}`,
      `${'ghost'.padEnd(30)} ${'Not Provided'.padEnd(15)} Error: :This server does not host this topic-partition.`,
      ...[0, 1, 2].map((p) => `${'orders'.padEnd(30)} ${String(p).padEnd(15)} ${'Successful'.padEnd(15)}`),
      '',
    ]);
    expect(await committed()).toEqual([-1, -1, -1]);

    expect(await kts('--delete', '--group', 'billing')).toMatchObject({
      code: 0,
      stdout: "Deletion of requested consumer groups ('billing') was successful.\n",
    });
    expect(await kts('--describe', '--group', 'billing')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: "Error: Consumer group 'billing' does not exist.\n",
    });
  });

  it('refreshes the table with --watch until interrupted', async () => {
    const child = spawn(
      KTS_BIN,
      ['consumer-groups', '--bootstrap-server', broker.bootstrapServers, '--describe', '--all-groups', '--watch', '0.2'],
      {
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const deadline = Date.now() + 20_000;
      while ((out.match(/^Every 0\.2s, /gm) ?? []).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((out.match(/^Every 0\.2s, /gm) ?? []).length).toBeGreaterThanOrEqual(2);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it("reports usage errors with Kafka's messages and exit code 2", async () => {
    expect(await kts('--describe')).toMatchObject({
      code: 2,
      stderr: 'Option [describe] takes one of these options: [all-groups], [group]\n',
    });
  });
});

describe('kts consumer-groups without a cluster', () => {
  it('an unreachable cluster is one line on stderr and exit 1', async () => {
    const r = await runKts(['consumer-groups', '--list', '--bootstrap-server', '127.0.0.1:1'], { timeoutMs: 15_000 });
    expect(r).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'Error: could not connect to any broker at 127.0.0.1:1 (connection refused)\n',
    });
  });

  it('bad option values are usage errors before connecting', async () => {
    const duration = await runKts([
      'consumer-groups',
      '--reset-offsets',
      '--group',
      'g',
      '--all-topics',
      '--by-duration',
      'P1Y',
      '--bootstrap-server',
      '127.0.0.1:1',
    ]);
    expect(duration).toMatchObject({
      code: 2,
      stderr: "Error: Text cannot be parsed to a Duration: 'P1Y' (expected PnDTnHnMnS, e.g. PT1H30M)\n",
    });
    const offset = await runKts([
      'consumer-groups',
      '--reset-offsets',
      '--group',
      'g',
      '--all-topics',
      '--to-offset',
      'x',
      '--bootstrap-server',
      '127.0.0.1:1',
    ]);
    expect(offset.code).toBe(2);
  });
});
