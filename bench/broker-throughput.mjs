// The embedded broker against librdkafka's mock cluster, in the same run:
//  - kcat produce (acks=all, acks=1) and consume of COUNT x SIZE messages (../shared/tools/bench/throughput.sh)
//  - produce latency p50/p99: one-record Produce requests, acks=1, one at a time, over kts's raw client
//  - the broker's peak RSS (start-up time: bench/broker-startup.mjs)
// Needs kcat, gcc and librdkafka-dev (for the mock). Env: COUNT, SIZE, REPEAT (passed to throughput.sh),
// LATENCY_REQUESTS (default 5000), SHARED (default ../shared next to the checkout).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawKafkaConnection } from '../dist/client/raw-connection.js';
import { ApiKey } from '../dist/protocol/generated/api-info.js';
import { encodeBatch } from '../dist/protocol/records/record-batch.js';
import { shared, startMockCluster, stopChild } from './lib/mock-cluster.mjs';
import { accepts, freePort } from './lib/ports.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const throughputScript = join(shared, 'tools/bench/throughput.sh');
const PARTITIONS = 32;
const REPEAT = Number(process.env.REPEAT ?? 3);
const LATENCY_REQUESTS = Number(process.env.LATENCY_REQUESTS ?? 5000);

async function waitForPort(port, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await accepts(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on ${port} after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function topicNames(prefix) {
  const names = [];
  for (let r = 1; r <= REPEAT; r++) names.push(`${prefix}-kcat-all-${r}`, `${prefix}-kcat-1-${r}`, `${prefix}-py-all-${r}`);
  return names;
}

async function startKts() {
  const port = await freePort();
  const logDir = mkdtempSync(join(tmpdir(), 'kts-bench-logs-'));
  const child = spawn(
    join(root, 'bin/kts'),
    [
      'server-start',
      '--override',
      `listeners=PLAINTEXT://127.0.0.1:${port}`,
      '--override',
      `log.dirs=${logDir}`,
      '--override',
      `num.partitions=${PARTITIONS}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(port, 10_000);
  return {
    bootstrap: `127.0.0.1:${port}`,
    pid: child.pid,
    stop: async () => {
      await stopChild(child);
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
  } catch {
    return NaN;
  }
}

function throughput(bootstrap, prefix) {
  const r = spawnSync('bash', [throughputScript, bootstrap], {
    env: { ...process.env, TOPIC_PREFIX: prefix, REPEAT: String(REPEAT), SKIP_PY: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  process.stdout.write(r.stdout);
  const results = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^RESULT tool=(\S+) op=(\S+) variant=(\S+) .* msgs_per_s=(\d+) mb_per_s=([\d.]+)/.exec(line);
    if (m) results[`${m[1]} ${m[2]} ${m[3]}`] = { msgs: Number(m[4]), mb: Number(m[5]) };
  }
  return results;
}

async function produceLatency(bootstrap, topic) {
  const [host, port] = bootstrap.split(':');
  const conn = await RawKafkaConnection.open(host, Number(port));
  const value = Buffer.alloc(100, 'x');
  const times = [];
  try {
    for (let i = 0; i < LATENCY_REQUESTS; i++) {
      const records = encodeBatch({ records: [{ value, timestamp: BigInt(Date.now()) }] });
      const t0 = process.hrtime.bigint();
      const res = await conn.request(ApiKey.Produce, 7, {
        transactionalId: null,
        acks: 1,
        timeoutMs: 5000,
        topicData: [{ name: topic, partitionData: [{ index: i % PARTITIONS, records }] }],
      });
      times.push(Number(process.hrtime.bigint() - t0) / 1000);
      const err = res.responses[0].partitionResponses[0].errorCode;
      if (err !== 0) throw new Error(`produce error ${err}`);
    }
  } finally {
    conn.close();
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] };
}

const stamp = Date.now();
console.log(`# broker throughput, ${new Date().toISOString()}, ${REPEAT} runs per step, ${PARTITIONS} partitions`);

const mockPrefix = `mock-${stamp}`;
const mock = await startMockCluster(topicNames(mockPrefix), PARTITIONS);
const mockResults = throughput(mock.bootstrap, mockPrefix);
const mockLatency = await produceLatency(mock.bootstrap, `${mockPrefix}-kcat-1-1`);
const mockRss = peakRssMb(mock.pid);
await mock.stop();

const ktsPrefix = `kts-${stamp}`;
const kts = await startKts();
const ktsResults = throughput(kts.bootstrap, ktsPrefix);
const ktsLatency = await produceLatency(kts.bootstrap, `${ktsPrefix}-kcat-1-1`);
const ktsRss = peakRssMb(kts.pid);
await kts.stop();

console.log('\n| step | mock (msgs/s) | kts (msgs/s) | kts / mock |');
console.log('|---|---:|---:|---:|');
for (const key of Object.keys(mockResults)) {
  const m = mockResults[key];
  const k = ktsResults[key];
  console.log(`| ${key} | ${m.msgs} | ${k ? k.msgs : 'n/a'} | ${k ? (k.msgs / m.msgs).toFixed(2) : 'n/a'} |`);
}
console.log(
  `| produce latency p50 / p99 (µs, acks=1) | ${mockLatency.p50.toFixed(0)} / ${mockLatency.p99.toFixed(0)} | ${ktsLatency.p50.toFixed(0)} / ${ktsLatency.p99.toFixed(0)} | |`,
);
console.log(`| peak RSS (MB) | ${mockRss.toFixed(0)} | ${ktsRss.toFixed(0)} | |`);
