import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/protocol/errors.js';
import { ApiKey } from '../../src/protocol/generated/api-info.js';
import { runKts } from '../helpers/kts.js';
import { needs } from '../helpers/requirements.js';
import { waitUntil } from '../helpers/wait.js';
import { consumeAll, expectKept, startProducer } from './client-runs.js';
import { TestCluster } from './harness.js';

describe('moving replicas between log dirs: kts reassign-partitions with "log_dirs" on a 2-broker cluster, each broker with two log.dirs', () => {
  let cluster: TestCluster;
  /** Each broker's two log dirs. */
  const logDirs = new Map<number, [string, string]>();
  const kts = async (args: string[]) => {
    const r = await runKts([...args.slice(0, 1), '--bootstrap-server', cluster.bootstrapServers, ...args.slice(1)], { timeoutMs: 30_000 });
    return { ...r, stdout: r.stdout.toString() };
  };
  const ok = async (args: string[]) => {
    const r = await kts(args);
    expect(r.code, `kts ${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
    return r.stdout;
  };
  /** The log dir of broker `id` holding the partition's (current) replica, and its other one. */
  const placement = (id: number, partitionDir: string): [string, string] => {
    const [a, b] = logDirs.get(id)!;
    return readdirSync(a).includes(partitionDir) ? [a, b] : [b, a];
  };
  const reassignment = (name: string, partitions: object[]) => {
    const file = join(cluster.dir, name);
    writeFileSync(file, JSON.stringify({ version: 1, partitions }));
    return file;
  };

  let root: string | undefined;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kts-log-dirs-'));
    const brokerConfig: Record<number, Record<string, string>> = {};
    for (const id of [1, 2]) {
      const dirs: [string, string] = [join(root, `broker-${id}-a`), join(root, `broker-${id}-b`)];
      for (const d of dirs) mkdirSync(d, { recursive: true });
      logDirs.set(id, dirs);
      brokerConfig[id] = { 'log.dirs': dirs.join(',') };
    }
    cluster = await TestCluster.start({
      brokers: 2,
      config: {
        'auto.leader.rebalance.enable': 'false',
        // Small steps and a short quota window, so a throttle holds a move back within seconds.
        'replica.fetch.max.bytes': '16384',
        'alter.log.dirs.replication.quota.window.num': '2',
      },
      brokerConfig,
    });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("moves a follower's replica to its broker's other dir while it replicates a confluent-kafka acks=all producer: throttled, verified, nothing lost", {
    ...needs('confluent-kafka'),
    timeout: 180_000,
  }, async () => {
    const topic = 'placed';
    await ok(['topics', '--create', '--topic', topic, '--replica-assignment', '1:2']);
    await cluster.waitForPartition(topic, 0, 'both replicas in sync', (p) => p.isrNodes.length === 2);
    await ok([
      'producer-perf-test',
      '--topic',
      topic,
      '--num-records',
      '10000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${cluster.bootstrapServers}`,
      'acks=all',
    ]);
    const [source, target] = placement(2, `${topic}-0`);
    const run = startProducer('confluent-kafka', cluster.bootstrapServers, topic, 2000);
    await waitUntil(() => run.acked.length >= 100, '100 acknowledged records', 60_000);

    const file = reassignment('log-dirs.json', [{ topic, partition: 0, replicas: [1, 2], log_dirs: ['any', target] }]);
    const executed = await ok([
      'reassign-partitions',
      '--execute',
      '--reassignment-json-file',
      file,
      '--replica-alter-log-dirs-throttle',
      '20000',
    ]);
    expect(executed).toBe(
      [
        'Current partition replica assignment',
        '',
        `{"version":1,"partitions":[{"topic":"${topic}","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}`,
        '',
        'Save this to use as the --reassignment-json-file option during rollback',
        'Warning: You must run --verify periodically, until the reassignment completes, to ensure the throttle is removed.',
        'The replica-alter-dir throttle limit was set to 20000 B/s',
        `Successfully started partition reassignment for ${topic}-0`,
        `Successfully started moving log directory to ${target} for replica ${topic}-0 with broker 2 `,
        '',
      ].join('\n'),
    );
    expect(await ok(['configs', '--describe', '--entity-type', 'brokers', '--entity-name', '2'])).toContain(
      'replica.alter.log.dirs.io.max.bytes.per.second=20000 ',
    );
    // 20 KB/s through about 1 MB: still moving, and --verify keeps the throttle.
    const moving = await kts(['reassign-partitions', '--verify', '--reassignment-json-file', file]);
    expect(moving.stdout).toBe(
      [
        'Status of partition reassignment:',
        `Reassignment of partition ${topic}-0 is completed.`,
        `Reassignment of replica ${topic}-0-2 is still in progress.`,
        '',
      ].join('\n'),
    );
    const described = JSON.parse((await ok(['log-dirs', '--describe', '--broker-list', '2', '--topic-list', topic])).split('\n')[2]!) as {
      brokers: { logDirs: { logDir: string; partitions: { isFuture: boolean }[] }[] }[];
    };
    expect(described.brokers[0]!.logDirs.map((d) => [d.logDir, d.partitions.map((p) => p.isFuture)])).toEqual(
      expect.arrayContaining([
        [source, [false]],
        [target, [true]],
      ]),
    );

    // Kafka's way to change the throttle: the same reassignment again with --additional.
    const raised = await ok([
      'reassign-partitions',
      '--execute',
      '--additional',
      '--reassignment-json-file',
      file,
      '--replica-alter-log-dirs-throttle',
      '1000000000',
    ]);
    expect(raised).toContain('The replica-alter-dir throttle limit was set to 1000000000 B/s');
    const verified = await waitUntil(
      async () => {
        const r = await kts(['reassign-partitions', '--verify', '--reassignment-json-file', file]);
        return r.stdout.includes('completed successfully.') ? r : undefined;
      },
      'the move to complete',
      60_000,
    );
    expect(verified.stdout).toBe(
      [
        'Status of partition reassignment:',
        `Reassignment of partition ${topic}-0 is completed.`,
        `Reassignment of replica ${topic}-0-2 completed successfully.`,
        'Clearing broker-level throttles on brokers 1,2',
        `Clearing topic-level throttles on topic ${topic}`,
        '',
      ].join('\n'),
    );
    expect(await ok(['configs', '--describe', '--entity-type', 'brokers', '--entity-name', '2'])).not.toContain('replica.alter.log.dirs');

    const { acked, output } = await run.done;
    expect(output).toContain('done');
    expect(acked).toHaveLength(2000);
    await cluster.waitForPartition(topic, 0, 'both replicas in sync', (p) => p.isrNodes.length === 2);
    const consumed = await consumeAll('confluent-kafka', cluster.bootstrapServers, topic, 12_000);
    expect(consumed).toHaveLength(12_000);
    expectKept(acked, consumed, false);
    // The moved replica holds what the leader holds: with broker 1 gone, broker 2 leads and serves all of it.
    await cluster.broker(1).process.kill9();
    await cluster.waitForPartition(topic, 0, 'broker 2 leading', (p) => p.leaderId === 2);
    expect(await consumeAll('confluent-kafka', cluster.bootstrapServers, topic, 12_000)).toEqual(consumed);
    await cluster.broker(1).process.start();
    await cluster.waitForPartition(topic, 0, 'both replicas in sync again', (p) => p.isrNodes.length === 2);
    await waitUntil(() => !readdirSync(source).some((d) => d.startsWith(`${topic}-0`)), 'the old dir to be deleted', 10_000);
    expect(readdirSync(target)).toContain(`${topic}-0`);
  });

  it('creates a replica a reassignment adds in the log dir AlterReplicaLogDirs named before (REPLICA_NOT_AVAILABLE then), and refuses an unknown dir', {
    timeout: 60_000,
  }, async () => {
    const topic = 'fresh';
    await ok(['topics', '--create', '--topic', topic, '--replica-assignment', '1']);
    // The dir broker 2 would not place a new replica in by itself: the one with more partitions (the
    // second on a tie, as placement takes the first of the least loaded).
    const partitionsIn = (dir: string) => readdirSync(dir).filter((d) => /-\d+$/.test(d)).length;
    const [first, second] = logDirs.get(2)!;
    const fuller = partitionsIn(first) > partitionsIn(second) ? first : second;
    const conn = await cluster.connect(2);
    try {
      const response = await conn.request(ApiKey.AlterReplicaLogDirs, 2, {
        dirs: [
          {
            path: fuller,
            topics: [
              { name: topic, partitions: [0] },
              { name: 'nowhere', partitions: [0] },
            ],
          },
        ],
      });
      expect(response.results.map((t) => [t.topicName, t.partitions.map((p) => p.errorCode)])).toEqual([
        [topic, [ErrorCode.REPLICA_NOT_AVAILABLE]],
        ['nowhere', [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]],
      ]);
    } finally {
      conn.close();
    }
    const added = reassignment('added.json', [{ topic, partition: 0, replicas: [1, 2] }]);
    await ok(['reassign-partitions', '--execute', '--reassignment-json-file', added]);
    await cluster.waitForPartition(topic, 0, 'broker 2 in sync', (p) => p.isrNodes.includes(2));
    expect(readdirSync(fuller)).toContain(`${topic}-0`);
    expect(readdirSync(logDirs.get(2)!.find((d) => d !== fuller)!).filter((d) => d.startsWith(topic))).toEqual([]);

    // With "log_dirs", the tool sends the same request itself, and --verify reports the replica in place.
    const file = reassignment('fresh.json', [{ topic, partition: 0, replicas: [1, 2], log_dirs: ['any', fuller] }]);
    const executed = await ok(['reassign-partitions', '--execute', '--reassignment-json-file', file]);
    expect(executed).toContain(`Successfully started moving log directory to ${fuller} for replica ${topic}-0 with broker 2 \n`);
    expect((await kts(['reassign-partitions', '--verify', '--reassignment-json-file', file])).stdout).toContain(
      `Reassignment of replica ${topic}-0-2 completed successfully.\n`,
    );

    const bad = reassignment('bad.json', [{ topic, partition: 0, replicas: [1, 2], log_dirs: ['any', '/no/such/dir'] }]);
    const refused = await kts(['reassign-partitions', '--execute', '--additional', '--reassignment-json-file', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `Error: Failed to alter dir for ${topic}-0-2: org.apache.kafka.common.errors.LogDirNotFoundException: The user-specified log directory is not found in the broker config.\n`,
    );
  });
});
