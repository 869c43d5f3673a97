// A 3-broker kts cluster on the bundled ZooKeeper, each broker its own process:
//  - throughput: kcat produce acks=all of COUNT x SIZE to an RF 3 topic vs an RF 1 topic, same cluster,
//    alternating rounds (../shared/tools/bench/throughput.sh per topic set); the ratio is the result
//    (issue #13's goal: RF 3 / RF 1 >= 0.5)
//  - failover: KILLS times, kill -9 of a partition's leader while a client writes one record at a time
//    with acks=all, and the time to its first acknowledged write on the new leader
//    (goal: <= zookeeper.session.timeout.ms + 1 s)
//  - idle RSS of each broker holding REPLICAS partition replicas (goal <= 300 MB)
// Env: COUNT (1000000), SIZE (100), ROUNDS (3), KILLS (10), REPLICAS (10000), SESSION_MS (6000),
// STEPS (throughput,failover,rss), SERVER_LOGS=1 (the servers' log lines and each kill's timeline on stdout),
// IDLE_S (30: how long the rss step waits idle before reading RSS), HEAP_SNAPSHOTS=<dir> (rss step: after the RSS is read, a V8 heap snapshot of each broker, written to <dir>).
// Needs kcat.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawKafkaConnection } from '../dist/client/raw-connection.js';
import { ApiKey } from '../dist/protocol/generated/api-info.js';
import { encodeBatch } from '../dist/protocol/records/record-batch.js';
import { median } from './lib/timed-run.mjs';
import { shared, stopChild } from './lib/mock-cluster.mjs';
import { accepts, freePort } from './lib/ports.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const kts = join(root, 'bin/kts');
const COUNT = Number(process.env.COUNT ?? 1_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const KILLS = Number(process.env.KILLS ?? 10);
const REPLICAS = Number(process.env.REPLICAS ?? 10_000);
const SESSION_MS = Number(process.env.SESSION_MS ?? 6000);
const STEPS = (process.env.STEPS ?? 'throughput,failover,rss').split(',');
const HEAP_SNAPSHOTS = process.env.HEAP_SNAPSHOTS;
const IDLE_S = Number(process.env.IDLE_S ?? 30);
const PARTITIONS = 32;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** One kts process (ZooKeeper or a broker), restartable, killable. */
class Server {
  constructor(args, port) {
    this.args = args;
    this.port = port;
  }
  async start() {
    // 10,000 partitions hold more descriptors than a default limit allows: raise it for the broker.
    this.child = spawn('bash', ['-c', 'ulimit -n 200000 2>/dev/null || ulimit -n $(ulimit -Hn); exec "$@"', 'kts', kts, ...this.args], {
      stdio: ['ignore', process.env.SERVER_LOGS ? 'inherit' : 'ignore', 'inherit'],
      ...(HEAP_SNAPSHOTS && {
        cwd: HEAP_SNAPSHOTS,
        env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2` },
      }),
    });
    await waitFor(`port ${this.port}`, () => accepts(this.port), 30_000);
  }
  kill9() {
    this.child.kill('SIGKILL');
    return new Promise((r) => this.child.once('exit', r));
  }
  stop() {
    return stopChild(this.child);
  }
  /** A /proc/<pid>/status field in MB (VmRSS; RssAnon, RssFile: its anonymous and file-backed parts). */
  statusMb(field) {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)[1]) / 1024;
  }
  rssMb() {
    return this.statusMb('VmRSS');
  }
}

async function startCluster(dir) {
  const zkPort = await freePort();
  const zkConfig = join(dir, 'zookeeper.properties');
  writeFileSync(zkConfig, `dataDir=${join(dir, 'zk')}\nclientPort=${zkPort}\nclientPortAddress=127.0.0.1\n`);
  const zookeeper = new Server(['zookeeper-start', zkConfig], zkPort);
  await zookeeper.start();
  const brokers = [];
  for (const id of [1, 2, 3]) {
    const port = await freePort();
    const overrides = {
      'broker.id': id,
      listeners: `PLAINTEXT://127.0.0.1:${port}`,
      'log.dirs': join(dir, `broker-${id}`),
      'zookeeper.connect': `127.0.0.1:${zkPort}`,
      'zookeeper.session.timeout.ms': SESSION_MS,
      'replica.fetch.backoff.ms': 200,
      'num.partitions': PARTITIONS,
    };
    const args = ['server-start', ...Object.entries(overrides).flatMap(([k, v]) => ['--override', `${k}=${v}`])];
    brokers.push(Object.assign(new Server(args, port), { id }));
  }
  await Promise.all(brokers.map((b) => b.start()));
  const cluster = {
    zookeeper,
    brokers,
    bootstrap: () =>
      brokers
        .filter((b) => b.child.exitCode === null)
        .map((b) => `127.0.0.1:${b.port}`)
        .join(','),
  };
  await waitFor('3 live brokers', async () => (await metadata(cluster)).brokers.length === 3);
  return cluster;
}

async function request(port, apiKey, version, body, timeoutMs = 10_000) {
  const conn = await RawKafkaConnection.open('127.0.0.1', port, { timeoutMs: 5000 });
  const timer = setTimeout(() => conn.close(new Error('timed out')), timeoutMs);
  try {
    return await conn.request(apiKey, version, body);
  } finally {
    clearTimeout(timer);
    conn.close();
  }
}

async function metadata(cluster, topics = null) {
  for (const b of cluster.brokers) {
    if (b.child.exitCode !== null) continue;
    try {
      return await request(b.port, ApiKey.Metadata, 9, {
        topics: topics?.map((name) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' })) ?? null,
        allowAutoTopicCreation: false,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      });
    } catch {}
  }
  throw new Error('no broker answered');
}

const REQUEST_TIMED_OUT = 7;

/** Creates `topics`; error codes in `accepted` (besides 0) are not failures. */
async function createTopics(cluster, topics, accepted = []) {
  const response = await request(
    cluster.brokers[0].port,
    ApiKey.CreateTopics,
    7,
    {
      topics: topics.map(({ name, partitions, rf, configs = {} }) => ({
        name,
        numPartitions: partitions,
        replicationFactor: rf,
        assignments: [],
        configs: Object.entries(configs).map(([k, v]) => ({ name: k, value: v })),
      })),
      timeoutMs: 120_000,
      validateOnly: false,
    },
    180_000,
  );
  for (const t of response.topics) {
    if (t.errorCode !== 0 && !accepted.includes(t.errorCode)) throw new Error(`creating ${t.name}: ${t.errorMessage}`);
  }
}

function throughputRun(bootstrap, prefix) {
  const r = spawnSync('bash', [join(shared, 'tools/bench/throughput.sh'), bootstrap], {
    env: { ...process.env, TOPIC_PREFIX: prefix, REPEAT: '1', SKIP_PY: '1', COUNT: String(COUNT) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`throughput.sh failed: ${r.stdout}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT tool=kcat op=produce variant=acks=all'));
  return Number(/msgs_per_s=(\d+)/.exec(line)[1]);
}

async function throughput(cluster) {
  const rates = { 3: [], 1: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const rf of [3, 1]) {
      const prefix = `tp-rf${rf}-${round}`;
      await createTopics(cluster, [
        { name: `${prefix}-kcat-all-1`, partitions: PARTITIONS, rf },
        { name: `${prefix}-kcat-1-1`, partitions: PARTITIONS, rf },
      ]);
      rates[rf].push(throughputRun(cluster.bootstrap(), prefix));
    }
  }
  const [rf3, rf1] = [median(rates[3]), median(rates[1])];
  console.log(`kcat acks=all, ${COUNT} x 100 B, ${PARTITIONS} partitions, ${ROUNDS} alternating rounds (median msgs/s)`);
  console.log(
    `  RF 3: ${Math.round(rf3)}  RF 1: ${Math.round(rf1)}  RF 3 / RF 1 = ${(rf3 / rf1).toFixed(2)}  (runs: RF3 ${rates[3].map(Math.round).join(', ')}; RF1 ${rates[1].map(Math.round).join(', ')})`,
  );
}

async function leaderOf(cluster, topic) {
  const m = await metadata(cluster, [topic]);
  return m.topics[0].partitions[0];
}

/** Writes one record at a time (acks=all) to whoever leads; resolves with the time of the first ack after `since`. */
async function firstAckAfter(cluster, topic, since) {
  for (;;) {
    const p = await leaderOf(cluster, topic).catch(() => undefined);
    const leader = p && cluster.brokers.find((b) => b.id === p.leaderId && b.child.exitCode === null);
    if (leader) {
      try {
        const r = await request(
          leader.port,
          ApiKey.Produce,
          9,
          {
            transactionalId: null,
            acks: -1,
            timeoutMs: 5000,
            topicData: [{ name: topic, partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: Buffer.from('x') }] }) }] }],
          },
          2000,
        );
        if (r.responses[0].partitionResponses[0].errorCode === 0 && Date.now() > since) return Date.now();
      } catch {}
    }
    await sleep(20);
  }
}

async function failover(cluster) {
  await createTopics(cluster, [{ name: 'failover', partitions: 1, rf: 3, configs: { 'min.insync.replicas': '2' } }]);
  const times = [];
  for (let i = 0; i < KILLS; i++) {
    await waitFor('a full ISR', async () => (await leaderOf(cluster, 'failover')).isrNodes.length === 3);
    const { leaderId } = await leaderOf(cluster, 'failover');
    await firstAckAfter(cluster, 'failover', 0);
    const victim = cluster.brokers.find((b) => b.id === leaderId);
    const killedAt = Date.now();
    await victim.kill9();
    if (process.env.SERVER_LOGS) console.log(`KILLED broker ${victim.id} at ${new Date(killedAt).toISOString()}`);
    times.push((await firstAckAfter(cluster, 'failover', killedAt)) - killedAt);
    if (process.env.SERVER_LOGS) console.log(`ACKED at ${new Date().toISOString()}`);
    await victim.start();
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `failover: kill -9 of the leader -> first acks=all write acknowledged by the new leader, ${KILLS} kills, zookeeper.session.timeout.ms=${SESSION_MS}`,
  );
  console.log(`  min ${sorted[0]} ms, median ${median(sorted)} ms, max ${sorted.at(-1)} ms  (all: ${times.join(', ')})`);
}

async function idleRss(cluster) {
  // RF 3 on 3 brokers: every broker holds a replica of every partition.
  const partitions = Math.ceil(REPLICAS / 100) * 100;
  const topics = Array.from({ length: partitions / 100 }, (_, i) => ({ name: `many-${i}`, partitions: 100, rf: 3 }));
  await waitFor('3 live brokers', async () => (await metadata(cluster)).brokers.length === 3);
  const t0 = Date.now();
  // On a busy machine the controller may take longer than the request's timeout to get a topic's
  // leaders going: the topic exists and its creation carries on, as in Kafka.
  for (const t of topics) await createTopics(cluster, [t], [REQUEST_TIMED_OUT]);
  const names = topics.map((t) => t.name);
  await waitFor(
    'every replica in sync',
    async () =>
      (await metadata(cluster, names)).topics.every(
        (t) => t.partitions.length === 100 && t.partitions.every((p) => p.isrNodes.length === 3),
      ),
    30 * 60_000,
  );
  console.log(
    `idle RSS: ${partitions} partitions x RF 3 on 3 brokers = ${partitions} replicas on each broker; created and in sync in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  await sleep(IDLE_S * 1000);
  const { controllerId } = await metadata(cluster);
  const mb = (b, field) => Math.round(b.statusMb(field));
  console.log(
    `  RSS after ${IDLE_S} s idle: ${cluster.brokers
      .map(
        (b) =>
          `broker ${b.id}${b.id === controllerId ? ' (controller)' : ''} ${mb(b, 'VmRSS')} MB (anon ${mb(b, 'RssAnon')}, file ${mb(b, 'RssFile')})`,
      )
      .join(', ')}`,
  );
  if (HEAP_SNAPSHOTS) for (const b of cluster.brokers) await heapSnapshot(b);
}

/** Signals `broker` to write a heap snapshot into HEAP_SNAPSHOTS and waits for it (the file's size stops growing). */
async function heapSnapshot(broker) {
  const before = new Set(readdirSync(HEAP_SNAPSHOTS));
  broker.child.kill('SIGUSR2');
  const file = await waitFor(
    `broker ${broker.id}'s heap snapshot`,
    async () => readdirSync(HEAP_SNAPSHOTS).find((f) => f.endsWith('.heapsnapshot') && !before.has(f)),
    120_000,
  );
  let size = -1;
  await waitFor(
    `broker ${broker.id}'s heap snapshot written`,
    async () => {
      const now = statSync(join(HEAP_SNAPSHOTS, file)).size;
      const done = now > 0 && now === size;
      size = now;
      await sleep(1000);
      return done;
    },
    300_000,
  );
  console.log(`  broker ${broker.id}: ${join(HEAP_SNAPSHOTS, file)}`);
}

const dir = mkdtempSync(join(tmpdir(), 'kts-bench-cluster-'));
const cluster = await startCluster(dir);
try {
  if (STEPS.includes('throughput')) await throughput(cluster);
  if (STEPS.includes('failover')) await failover(cluster);
  if (STEPS.includes('rss')) await idleRss(cluster);
} finally {
  await Promise.all(cluster.brokers.map((b) => b.kill9()));
  await cluster.zookeeper.stop();
  rmSync(dir, { recursive: true, force: true });
}
