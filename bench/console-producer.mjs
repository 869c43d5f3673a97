// `kts console-producer` (the native producer) against `kcat -P`, same input, same broker, same run:
// COUNT lines of SIZE bytes from a file. kts runs twice: with its defaults (Kafka's console producer:
// acks=all, idempotent, batch.size 16384, linger 1000 ms) and with librdkafka's settings, which kcat
// uses (batch.size 1000000, linger.ms 5, not idempotent); kcat with its defaults (acks=all, not
// idempotent, batch.size 1000000, linger.ms 5, batch.num.messages 10000; keyless records stick to a
// partition for sticky.partitioning.linger.ms 10) and with Kafka's console-producer settings (batch.size
// 16384, linger.ms 1000, idempotent), so each kts run has a kcat run with the same settings beside it.
// Wall clock around each process, start-up included,
// the client's CPU time (user + system, all threads; with GNU time) and the broker's over the same
// span; every run is checked against the topic's end offsets. The table gives each tool's medians and
// the lowest and highest of kcat's time over the tool's within one round (the tools of a round run
// back to back), which shows how much the machine moved during the run. Load averages are printed at start and end,
// and Node's own start-up (`node -e 0`, as bin/kts starts it), which every kts run pays and kcat does not.
// Brokers: librdkafka's mock cluster (built with gcc + librdkafka-dev); the same mock with TCP_NODELAY set
// on its connections (bench/lib/tcp-nodelay.c), as Kafka's broker sets it on every connection it accepts:
// the stock mock leaves Nagle's algorithm on, so when two responses are due back to back the second waits
// for the client's delayed ACK (up to 40 ms), which a client with several requests in flight at its end
// pays and one with a single request in flight does not; and, when built, the kts broker (`kts
// server-start` in its own process, as a user runs it). On every broker the topics exist before the
// runs (the mock is started with them, the kts broker gets a CreateTopics first), so no run's time
// includes creating 32 partitions (~100 ms on the kts broker, for either tool).
// Env: COUNT (1000000), SIZE (100), REPEAT (3), PARTITIONS (32), SHARED (../shared next to the checkout).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTopics } from './lib/create-topics.mjs';
import { endOffsetSum } from './lib/end-offsets.mjs';
import { startKtsBroker } from './lib/kts-broker.mjs';
import { startMockCluster, stopChild } from './lib/mock-cluster.mjs';
import { median, nodeEnvOfBinKts, timedRun } from './lib/timed-run.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const COUNT = Number(process.env.COUNT ?? 1_000_000);
const SIZE = Number(process.env.SIZE ?? 100);
const REPEAT = Number(process.env.REPEAT ?? 3);
const PARTITIONS = Number(process.env.PARTITIONS ?? 32);

const work = mkdtempSync(join(tmpdir(), 'kts-bench-producer-'));
const input = join(work, 'lines.txt');
writeFileSync(input, `${'x'.repeat(SIZE)}\n`.repeat(COUNT));

/** console-producer with `extra` arguments, as [command, args] for a bootstrap server and topic. */
const ktsProducer =
  (...extra) =>
  (bootstrap, topic) => [
    join(root, 'bin/kts'),
    ['console-producer', '--bootstrap-server', bootstrap, '--topic', topic, '--file', input, ...extra],
  ];
const TOOLS = {
  kts: ktsProducer(),
  'kts, librdkafka settings': ktsProducer('--batch-size', '1000000', '--timeout', '5', '--producer-property', 'enable.idempotence=false'),
  kcat: (bootstrap, topic) => ['kcat', ['-P', '-b', bootstrap, '-t', topic, '-l', input]],
  'kcat, Kafka settings': (bootstrap, topic) => [
    'kcat',
    ['-P', '-b', bootstrap, '-t', topic, '-l', input, '-X', 'batch.size=16384', '-X', 'linger.ms=1000', '-X', 'enable.idempotence=true'],
  ],
};
/** Each tool's peer with the same producer settings (kts's defaults are Kafka's, kcat's are librdkafka's). */
const SAME_SETTINGS = {
  kts: 'kcat, Kafka settings',
  'kts, librdkafka settings': 'kcat',
  kcat: 'kts, librdkafka settings',
  'kcat, Kafka settings': 'kts',
};
const NAMES = Object.keys(TOOLS);
const topicOf = (prefix, tool, r) => `${prefix}-${NAMES.indexOf(tool)}-${r}`;
const topics = (prefix) => NAMES.flatMap((tool) => Array.from({ length: REPEAT }, (_, r) => topicOf(prefix, tool, r)));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** `kts server-start` in its own process, as a user runs it (with its V8 settings); null when not built. */
async function startKts() {
  if (!existsSync(join(root, 'dist/bundle/commands/server-start.cjs'))) return null;
  const logDir = mkdtempSync(join(tmpdir(), 'kts-bench-producer-logs-'));
  const { child, port, pid } = await startKtsBroker(root, { logDir, overrides: { 'num.partitions': PARTITIONS } });
  return {
    bootstrap: `127.0.0.1:${port}`,
    cpuMs: () => processCpuMs(pid),
    stop: async () => {
      await stopChild(child);
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}

/** CPU milliseconds (user + system) a process has used so far, from /proc (Linux). */
function processCpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime, fields 14 and 15 of stat, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function measure(name, target, prefix) {
  const times = Object.fromEntries(NAMES.map((tool) => [tool, { ms: [], cpuMs: [], brokerCpuMs: [] }]));
  for (let r = 0; r < REPEAT; r++) {
    // Rotate which tool goes first, so none always gets the warmer broker.
    for (const tool of NAMES.map((_, i) => NAMES[(i + r) % NAMES.length])) {
      const topic = topicOf(prefix, tool, r);
      const brokerCpu0 = target.cpuMs();
      const [command, args] = TOOLS[tool](target.bootstrap, topic);
      const { ms, cpuMs } = await timedRun(command, args, { cpu: true });
      const brokerCpuMs = target.cpuMs() - brokerCpu0;
      const landed = await endOffsetSum(target.bootstrap, topic, PARTITIONS);
      if (landed !== COUNT) console.error(`WARNING: ${tool} run ${r + 1} on ${name}: ${landed} of ${COUNT} messages landed`);
      times[tool].ms.push(ms);
      times[tool].cpuMs.push(cpuMs);
      times[tool].brokerCpuMs.push(brokerCpuMs);
      console.log(
        `${name} ${tool} run ${r + 1}: ${ms.toFixed(0)} ms (${Math.round(COUNT / (ms / 1000))} msgs/s), CPU ${cpuMs?.toFixed(0)} ms, broker CPU ${brokerCpuMs.toFixed(0)} ms`,
      );
    }
  }
  const medians = Object.fromEntries(
    NAMES.map((tool) => [tool, Object.fromEntries(Object.entries(times[tool]).map(([k, xs]) => [k, median(xs)]))]),
  );
  // kcat's time over the tool's within each round (the tools of a round run back to back), lowest and highest.
  const rounds = Object.fromEntries(
    NAMES.map((tool) => {
      const ratios = times[tool].ms.map((ms, r) => times.kcat.ms[r] / ms);
      return [tool, `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`];
    }),
  );
  return { name, medians, rounds };
}

console.log(
  `# console-producer vs kcat -P, ${new Date().toISOString()}, ${COUNT} x ${SIZE} B, ${PARTITIONS} partitions, median of ${REPEAT}, ${cpus().length} cores, load average ${load()}`,
);
// Node's own start-up, as bin/kts starts it, is part of every kts run's wall clock and of none of kcat's.
const nodeStarts = [];
const nodeStartsWithCaBundle = [];
for (let r = 0; r < 5; r++) {
  nodeStarts.push((await timedRun(process.execPath, ['-e', '0'], { env: nodeEnvOfBinKts() })).ms);
  if (process.env.NODE_EXTRA_CA_CERTS) nodeStartsWithCaBundle.push((await timedRun(process.execPath, ['-e', '0'])).ms);
}
console.log(
  `node -e 0: ${median(nodeStarts).toFixed(0)} ms (median of 5)` +
    (process.env.NODE_EXTRA_CA_CERTS
      ? `; ${median(nodeStartsWithCaBundle).toFixed(0)} ms with the NODE_EXTRA_CA_CERTS set here, which bin/kts keeps from Node`
      : ''),
);
const results = [];
try {
  for (const [name, noDelay] of [
    ['mock cluster', false],
    ['mock cluster, TCP_NODELAY', true],
  ]) {
    const mockPrefix = `cp-mock-${Date.now()}`;
    const mock = await startMockCluster(topics(mockPrefix), PARTITIONS, { noDelay });
    try {
      results.push(await measure(name, { ...mock, cpuMs: () => processCpuMs(mock.pid) }, mockPrefix));
    } finally {
      await mock.stop();
    }
  }
  const kts = await startKts();
  if (kts) {
    try {
      const ktsPrefix = `cp-kts-${Date.now()}`;
      await createTopics(kts.bootstrap, topics(ktsPrefix), PARTITIONS);
      results.push(await measure('kts broker', kts, ktsPrefix));
    } finally {
      await kts.stop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`\nload average at the end: ${load()}`);
console.log(
  '\n| broker | tool | median | kcat time / tool time | the same, per round | same-settings peer time / tool time | client CPU | broker CPU |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const { name, medians, rounds } of results) {
  const rate = (ms) => `${Math.round(COUNT / (ms / 1000)).toLocaleString('en')} msgs/s (${ms.toFixed(0)} ms)`;
  for (const tool of NAMES) {
    const m = medians[tool];
    const cpu = m.cpuMs === undefined ? '' : `${m.cpuMs.toFixed(0)} ms`;
    const peer = medians[SAME_SETTINGS[tool]].ms / m.ms;
    console.log(
      `| ${name} | ${tool} | ${rate(m.ms)} | ${(medians.kcat.ms / m.ms).toFixed(2)} | ${rounds[tool]} | ${peer.toFixed(2)} | ${cpu} | ${m.brokerCpuMs.toFixed(0)} ms |`,
    );
  }
}
