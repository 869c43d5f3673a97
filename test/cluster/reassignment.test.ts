import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KTS_BIN, runKts } from '../helpers/kts.js';
import { needs } from '../helpers/requirements.js';
import { waitUntil } from '../helpers/wait.js';
import { consumeAll, expectKept, startProducer } from './client-runs.js';
import { TestCluster } from './harness.js';

describe('moving replicas and leaders: kts reassign-partitions and kts leader-election on a 3-broker cluster', () => {
  let cluster: TestCluster;
  const kts = async (args: string[], input?: string) => {
    const r = await runKts([...args.slice(0, 1), '--bootstrap-server', cluster.bootstrapServers, ...args.slice(1)], {
      timeoutMs: 30_000,
      input,
    });
    return { ...r, stdout: r.stdout.toString() };
  };
  const ok = async (args: string[], input?: string) => {
    const r = await kts(args, input);
    expect(r.code, `kts ${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
    return r.stdout;
  };
  const configs = (type: 'topics' | 'brokers', name: string) => ok(['configs', '--describe', '--entity-type', type, '--entity-name', name]);

  beforeAll(async () => {
    cluster = await TestCluster.start({
      brokers: 3,
      config: {
        // Leadership moves only when a test asks for it.
        'auto.leader.rebalance.enable': 'false',
        // Small fetches and a short quota window, so a throttle holds a move back within seconds.
        'replica.fetch.max.bytes': '8192',
        'replication.quota.window.num': '2',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('moves a partition from brokers {1,2} to {2,3} under a confluent-kafka acks=all producer: throttled, then released, nothing acknowledged lost', {
    ...needs('confluent-kafka'),
    timeout: 240_000,
  }, async () => {
    const topic = 'moving';
    await ok(['topics', '--create', '--topic', topic, '--replica-assignment', '1:2']);
    await cluster.waitForPartition(topic, 0, 'both replicas in sync', (p) => p.isrNodes.length === 2);
    // A backlog for the new replica to copy (about 1.5 MB), then a producer that keeps writing.
    await ok([
      'producer-perf-test',
      '--topic',
      topic,
      '--num-records',
      '15000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${cluster.bootstrapServers}`,
      'acks=all',
    ]);
    const count = 2000;
    const run = startProducer('confluent-kafka', cluster.bootstrapServers, topic, count);
    await waitUntil(() => run.acked.length >= 200, '200 acknowledged records', 60_000);

    const file = join(cluster.dir, 'move.json');
    writeFileSync(file, JSON.stringify({ version: 1, partitions: [{ topic, partition: 0, replicas: [2, 3] }] }));
    const executed = await ok(['reassign-partitions', '--execute', '--reassignment-json-file', file, '--throttle', '1']);
    expect(executed).toBe(
      [
        'Current partition replica assignment',
        '',
        `{"version":1,"partitions":[{"topic":"${topic}","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}`,
        '',
        'Save this to use as the --reassignment-json-file option during rollback',
        'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.',
        'The inter-broker throttle limit was set to 1 B/s',
        `Successfully started partition reassignment for ${topic}-0`,
        '',
      ].join('\n'),
    );
    // Kafka's throttle configs: the leader side on the replicas the data comes from, the follower side on the new one.
    const topicConfigs = await configs('topics', topic);
    expect(topicConfigs).toContain('leader.replication.throttled.replicas=0:1,0:2 ');
    expect(topicConfigs).toContain('follower.replication.throttled.replicas=0:3 ');
    for (const id of ['1', '2', '3']) expect(await configs('brokers', id)).toContain('follower.replication.throttled.rate=1 ');

    // At 1 B/s the backlog cannot reach broker 3: the move stays in progress, and --verify keeps the throttle.
    expect(await ok(['reassign-partitions', '--list'])).toBe(
      `Current partition reassignments:\n${topic}-0: replicas: 2,3,1. adding: 3. removing: 1.\n`,
    );
    const inProgress = await kts(['reassign-partitions', '--verify', '--reassignment-json-file', file]);
    // Kafka prints the (empty) replica move statuses as a blank line.
    expect(inProgress.stdout).toBe(`Status of partition reassignment:\nReassignment of partition ${topic}-0 is still in progress.\n\n`);
    expect((await cluster.partition(topic, 0)).isrNodes).not.toContain(3);

    // Kafka's way to change the throttle: the same reassignment again with --additional.
    const raised = await ok([
      'reassign-partitions',
      '--execute',
      '--additional',
      '--reassignment-json-file',
      file,
      '--throttle',
      '100000000',
    ]);
    expect(raised).toContain('The inter-broker throttle limit was set to 100000000 B/s');
    const verified = await waitUntil(
      async () => {
        const r = await kts(['reassign-partitions', '--verify', '--reassignment-json-file', file]);
        return r.stdout.includes('is completed.') ? r : undefined;
      },
      'the reassignment to complete',
      90_000,
    );
    expect(verified.code).toBe(0);
    expect(verified.stdout).toBe(
      [
        'Status of partition reassignment:',
        `Reassignment of partition ${topic}-0 is completed.`,
        '',
        'Clearing broker-level throttles on brokers 1,2,3',
        `Clearing topic-level throttles on topic ${topic}`,
        '',
      ].join('\n'),
    );
    expect(await configs('topics', topic)).not.toContain('throttled');
    for (const id of ['1', '2', '3']) expect(await configs('brokers', id)).not.toContain('throttled');
    expect(await ok(['reassign-partitions', '--list'])).toBe('No partition reassignments found.\n');

    const { acked, output } = await run.done;
    expect(output).toContain('done');
    expect(acked).toHaveLength(count);
    const moved = await cluster.waitForPartition(
      topic,
      0,
      'replicas 2,3 in sync',
      (p) => p.isrNodes.length === 2 && !p.replicaNodes.includes(1),
    );
    expect([...moved.replicaNodes].sort()).toEqual([2, 3]);
    const consumed = await consumeAll('confluent-kafka', cluster.bootstrapServers, topic, 15_000 + count);
    expect(consumed).toHaveLength(15_000 + count);
    // The backlog's values are all alike; the producer's are unique: each exactly once.
    expectKept(
      acked,
      consumed.filter((v) => v.startsWith('m-')),
      true,
    );
    // The replica that left is deleted from broker 1's log dir.
    await waitUntil(() => !existsSync(join(cluster.broker(1).logDir, `${topic}-0`)), `${topic}-0 deleted on broker 1`);
  });

  it('cancels a reassignment in progress and refuses bad input in one line', async () => {
    const topic = 'cancelled';
    await ok(['topics', '--create', '--topic', topic, '--replica-assignment', '1:2']);
    await ok([
      'producer-perf-test',
      '--topic',
      topic,
      '--num-records',
      '5000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${cluster.bootstrapServers}`,
      'acks=all',
    ]);
    const file = join(cluster.dir, 'cancel.json');
    writeFileSync(file, JSON.stringify({ version: 1, partitions: [{ topic, partition: 0, replicas: [1, 3] }] }));
    await ok(['reassign-partitions', '--execute', '--reassignment-json-file', file, '--throttle', '1']);
    const refused = await kts(['reassign-partitions', '--execute', '--reassignment-json-file', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^Cannot execute because there is an existing partition assignment\./);
    const cancelled = await ok(['reassign-partitions', '--cancel', '--reassignment-json-file', file]);
    expect(cancelled).toBe(
      [
        `Successfully cancelled partition reassignment for: ${topic}-0`,
        'None of the specified partition moves are active.',
        'Clearing broker-level throttles on brokers 1,2,3',
        `Clearing topic-level throttles on topic ${topic}`,
        '',
      ].join('\n'),
    );
    const back = await cluster.waitForPartition(topic, 0, 'back on brokers 1,2', (p) => p.replicaNodes.length === 2);
    expect([...back.replicaNodes].sort()).toEqual([1, 2]);
    expect(await ok(['reassign-partitions', '--list'])).toBe('No partition reassignments found.\n');

    const unknownBroker = join(cluster.dir, 'unknown-broker.json');
    writeFileSync(unknownBroker, JSON.stringify({ version: 1, partitions: [{ topic, partition: 0, replicas: [1, 9] }] }));
    const bad = await kts(['reassign-partitions', '--execute', '--reassignment-json-file', unknownBroker]);
    expect([bad.code, bad.stderr.trim()]).toEqual([1, 'Error: Unknown broker id 9']);
    const noAction = await kts(['reassign-partitions', '--reassignment-json-file', file]);
    expect([noAction.code, noAction.stderr.trim()]).toEqual([
      2,
      'Command must include exactly one action: --generate, --execute, --verify, --cancel, --list',
    ]);
    const notJson = await kts(['reassign-partitions', '--verify', '--reassignment-json-file', join(cluster.dir, 'server-1.properties')]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr.trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('--generate proposes an assignment over the given brokers, which --execute carries out', async () => {
    const topic = 'generated';
    await ok(['topics', '--create', '--topic', topic, '--partitions', '3', '--replication-factor', '2']);
    const topicsFile = join(cluster.dir, 'topics.json');
    writeFileSync(topicsFile, JSON.stringify({ version: 1, topics: [{ topic }] }));
    const out = await ok(['reassign-partitions', '--generate', '--topics-to-move-json-file', topicsFile, '--broker-list', '2,3']);
    const match = /^Current partition replica assignment\n(.*)\n\nProposed partition reassignment configuration\n(.*)\n$/.exec(out);
    expect(match, out).not.toBeNull();
    type Assignment = { version: number; partitions: Array<{ topic: string; partition: number; replicas: number[]; log_dirs: string[] }> };
    const current = JSON.parse(match![1]!) as Assignment;
    const proposed = JSON.parse(match![2]!) as Assignment;
    expect(current.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(proposed.version).toBe(1);
    expect(proposed.partitions.map((p) => [p.topic, p.partition, [...p.replicas].sort(), p.log_dirs])).toEqual(
      [0, 1, 2].map((partition) => [topic, partition, [2, 3], ['any', 'any']]),
    );
    // Leaders alternate over the brokers, as for a new topic.
    expect(new Set(proposed.partitions.map((p) => p.replicas[0]))).toEqual(new Set([2, 3]));

    const file = join(cluster.dir, 'generated.json');
    writeFileSync(file, match![2]!);
    await ok(['reassign-partitions', '--execute', '--reassignment-json-file', file]);
    await waitUntil(
      async () =>
        (await kts(['reassign-partitions', '--verify', '--reassignment-json-file', file])).stdout.split('is completed.').length === 4,
      'three partitions moved',
      60_000,
    );
    for (const p of proposed.partitions) expect((await cluster.partition(topic, p.partition)).replicaNodes).toEqual(p.replicas);

    const duplicate = await kts(['reassign-partitions', '--generate', '--topics-to-move-json-file', topicsFile, '--broker-list', '2,2']);
    expect([duplicate.code, duplicate.stderr.trim()]).toEqual([1, 'Error: Broker list contains duplicate entries: 2']);
    const tooFew = await kts(['reassign-partitions', '--generate', '--topics-to-move-json-file', topicsFile, '--broker-list', '3']);
    expect([tooFew.code, tooFew.stderr.trim()]).toEqual([1, 'Error: Replication factor: 2 larger than available brokers: 1.']);
  }, 120_000);

  it('the legacy znodes /admin/reassign_partitions and /admin/preferred_replica_election, written with kts zookeeper-shell, are carried out and removed', async () => {
    const topic = 'zk-moved';
    await ok(['topics', '--create', '--topic', topic, '--replica-assignment', '1:2']);
    await cluster.waitForPartition(topic, 0, 'both in sync', (p) => p.isrNodes.length === 2);
    const shell = (...args: string[]) => runKts(['zookeeper-shell', cluster.connectString, ...args], { timeoutMs: 30_000 });
    const reassign = JSON.stringify({ version: 1, partitions: [{ topic, partition: 0, replicas: [3, 1] }] });
    expect((await shell('create', '/admin/reassign_partitions', reassign)).stderr).toContain('Created /admin/reassign_partitions');
    const moved = await cluster.waitForPartition(
      topic,
      0,
      'on brokers 3,1, both in sync',
      (p) => p.replicaNodes.length === 2 && p.replicaNodes.includes(3) && p.isrNodes.length === 2,
    );
    expect(moved.replicaNodes).toEqual([3, 1]);
    await waitUntil(async () => (await shell('stat', '/admin/reassign_partitions')).code === 1, '/admin/reassign_partitions deleted');

    expect(moved.leaderId).toBe(1);
    const elect = JSON.stringify({ version: 1, partitions: [{ topic, partition: 0 }] });
    await shell('create', '/admin/preferred_replica_election', elect);
    await cluster.waitForPartition(topic, 0, 'led by its preferred replica 3', (p) => p.leaderId === 3);
    await waitUntil(
      async () => (await shell('stat', '/admin/preferred_replica_election')).code === 1,
      '/admin/preferred_replica_election deleted',
    );
  });

  it('kts replica-verification compares the replicas and reports the largest lag', async () => {
    const topic = 'verified';
    await ok(['topics', '--create', '--topic', topic, '--partitions', '1', '--replication-factor', '3']);
    await ok(
      ['console-producer', '--topic', topic, '--producer-property', 'acks=all'],
      Array.from({ length: 100 }, (_, i) => `v${i}\n`).join(''),
    );
    const child = spawn(
      KTS_BIN,
      [
        'replica-verification',
        '--broker-list',
        cluster.bootstrapServers,
        '--topics-include',
        topic,
        '--time',
        '-2',
        '--report-interval-ms',
        '200',
        '--max-wait-ms',
        '100',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitUntil(
        () => / max lag is 0 for partition verified-0 at offset 100 among 1 partitions\n/.test(output),
        () => `no lag of 0 reported:\n${output}`,
        30_000,
      );
      expect(output).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}: verification process is started\n/);
      expect(output).not.toContain("doesn't match");
      expect(output).not.toContain('unmatched checksum');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it("kts log-dirs --describe: the replicas of each broker, as Kafka's one line of JSON", async () => {
    const topic = 'sized';
    await ok(['topics', '--create', '--topic', topic, '--partitions', '1', '--replication-factor', '3']);
    await ok(['console-producer', '--topic', topic, '--producer-property', 'acks=all'], 'one\ntwo\n');
    const out = await ok(['log-dirs', '--describe', '--topic-list', topic]);
    const [querying, received, json, ...rest] = out.split('\n');
    expect([querying, received, rest]).toEqual([
      'Querying brokers for log directories information',
      'Received log directory information from brokers 1,2,3',
      [''],
    ]);
    const described = JSON.parse(json!) as {
      version: number;
      brokers: Array<{ broker: number; logDirs: Array<{ logDir: string; error: null; partitions: unknown[] }> }>;
    };
    expect(described.version).toBe(1);
    expect(described.brokers.map((b) => b.broker)).toEqual([1, 2, 3]);
    for (const b of described.brokers) {
      expect(b.logDirs).toHaveLength(1);
      expect(b.logDirs[0]!.logDir).toBe(cluster.broker(b.broker).logDir);
      expect(b.logDirs[0]!.error).toBeNull();
      expect(b.logDirs[0]!.partitions).toEqual([{ partition: `${topic}-0`, size: expect.any(Number), offsetLag: 0, isFuture: false }]);
    }
    const unknown = await kts(['log-dirs', '--describe', '--broker-list', '1,9']);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([
      1,
      'ERROR: The given brokers do not exist from --broker-list: 9. Current existent brokers: 1,2,3',
    ]);
  });

  it('a preferred election after a restart returns leadership to the first replica; replication goes on', async () => {
    const topic = 'preferred';
    await ok(['topics', '--create', '--topic', topic, '--replica-assignment', '1:2:3', '--config', 'min.insync.replicas=3']);
    await cluster.waitForPartition(topic, 0, 'led by 1, all in sync', (p) => p.leaderId === 1 && p.isrNodes.length === 3);
    await cluster.broker(1).process.stop();
    const moved = await cluster.waitForPartition(topic, 0, 'a new leader', (p) => p.leaderId !== 1 && p.leaderId >= 0);
    await cluster.broker(1).process.start();
    await cluster.waitForPartition(topic, 0, 'broker 1 back in the ISR', (p) => p.isrNodes.length === 3, 60_000);
    expect((await cluster.partition(topic, 0)).leaderId).toBe(moved.leaderId);

    const elected = await ok(['leader-election', '--election-type', 'preferred', '--topic', topic, '--partition', '0']);
    expect(elected).toBe(`Successfully completed leader election (PREFERRED) for partitions ${topic}-0\n`);
    await cluster.waitForPartition(topic, 0, 'led by broker 1 again', (p) => p.leaderId === 1);
    expect(await ok(['leader-election', '--election-type', 'preferred', '--topic', topic, '--partition', '0'])).toBe(
      `Valid replica already elected for partitions ${topic}-0\n`,
    );
    // min.insync.replicas=3 and acks=all: the former leader must follow broker 1 again for these to be written.
    await ok(['console-producer', '--topic', topic, '--producer-property', 'acks=all'], 'a\nb\nc\n');
    expect((await cluster.partition(topic, 0)).isrNodes).toHaveLength(3);

    const json = join(cluster.dir, 'elect.json');
    writeFileSync(json, JSON.stringify({ partitions: [{ topic, partition: 0 }] }));
    expect(await ok(['leader-election', '--election-type', 'unclean', '--path-to-json-file', json])).toBe(
      `Valid replica already elected for partitions ${topic}-0\n`,
    );
    const unknown = await kts(['leader-election', '--election-type', 'preferred', '--topic', 'nowhere', '--partition', '0']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe(
      'Error completing leader election (PREFERRED) for partition: nowhere-0: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: The partition does not exist.\n',
    );
    expect(unknown.stderr.trim()).toBe('1 replica(s) could not be elected');
    const both = await kts([
      'leader-election',
      '--election-type',
      'preferred',
      '--topic',
      topic,
      '--partition',
      '0',
      '--all-topic-partitions',
    ]);
    expect([both.code, both.stderr.trim()]).toEqual([
      2,
      'One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file',
    ]);
  }, 180_000);
});

describe('auto.leader.rebalance.enable: the controller moves leadership back to preferred replicas by itself', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 2, config: { 'leader.imbalance.check.interval.seconds': '1' } });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('a restarted preferred leader leads again without an election being asked for', async () => {
    const topic = 'rebalanced';
    const created = await runKts([
      'topics',
      '--bootstrap-server',
      cluster.bootstrapServers,
      '--create',
      '--topic',
      topic,
      '--replica-assignment',
      '1:2',
    ]);
    expect(created.code, created.stderr).toBe(0);
    await cluster.waitForPartition(topic, 0, 'led by 1, both in sync', (p) => p.leaderId === 1 && p.isrNodes.length === 2);
    await cluster.broker(1).process.stop();
    await cluster.waitForPartition(topic, 0, 'led by 2', (p) => p.leaderId === 2);
    await cluster.broker(1).process.start();
    // Broker 1 leads none of the partitions it is preferred for (100% > leader.imbalance.per.broker.percentage=10).
    await cluster.waitForPartition(topic, 0, 'led by broker 1 again', (p) => p.leaderId === 1 && p.isrNodes.length === 2, 60_000);
  }, 120_000);
});
