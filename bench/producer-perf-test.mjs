// `kts producer-perf-test` against `kcat -P` doing the same work, same broker, same run: COUNT records
// of SIZE random uppercase letters to a topic of PARTITIONS partitions, acks=all. producer-perf-test
// runs twice: with Kafka's producer defaults (batch.size 16384, linger.ms 0, idempotent, as
// kafka-producer-perf-test uses them) and with librdkafka's settings, which kcat uses (batch.size 1000000,
// linger.ms 5, not idempotent); kcat runs with its defaults and with Kafka's producer defaults, so each
// perf-test run has a kcat run with the same settings beside it.
// Reported: the tool's own records/sec (its total line), its wall clock, and kcat's wall clock
// (`-l file`, start-up included) as records/sec. Every run is checked against the end offsets.
// Brokers: librdkafka's mock cluster (gcc + librdkafka-dev) and the embedded kts broker (in this process).
// On the kts broker, `kts consumer-perf-test` then reads what kcat produced, beside `kcat -C -c COUNT`
// (librdkafka's mock is left out there: it misplaces ListOffsets v4+ answers, see bench/README.md).
// Env: COUNT (1000000), SIZE (100), REPEAT (3), PARTITIONS (32), SHARED (../shared next to the checkout).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endOffsetSum } from './lib/end-offsets.mjs';
import { startMockCluster } from './lib/mock-cluster.mjs';
import { median } from './lib/timed-run.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const COUNT = Number(process.env.COUNT ?? 1_000_000);
const SIZE = Number(process.env.SIZE ?? 100);
const REPEAT = Number(process.env.REPEAT ?? 3);
const PARTITIONS = Number(process.env.PARTITIONS ?? 32);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const work = mkdtempSync(join(tmpdir(), 'kts-bench-perf-'));
const input = join(work, 'lines.txt');
const letters = Buffer.alloc(COUNT * (SIZE + 1));
for (let i = 0; i < letters.length; i++) letters[i] = (i + 1) % (SIZE + 1) === 0 ? 10 : 65 + ((i * 7919) % 26);
writeFileSync(input, letters);

const VARIANTS = {
  'perf-test, Kafka defaults': [],
  'perf-test, librdkafka settings': ['--producer-props', 'batch.size=1000000', 'linger.ms=5', 'enable.idempotence=false'],
};
/** kcat with its defaults, and with Kafka's producer defaults (what perf-test's first row uses). */
const KCAT = {
  'kcat -P': [],
  'kcat -P, Kafka defaults': ['-X', 'batch.size=16384', '-X', 'linger.ms=0', '-X', 'enable.idempotence=true'],
};
/** Each tool's peer with the same producer settings. */
const SAME_SETTINGS = {
  'perf-test, Kafka defaults': 'kcat -P, Kafka defaults',
  'perf-test, librdkafka settings': 'kcat -P',
  'kcat -P': 'perf-test, librdkafka settings',
  'kcat -P, Kafka defaults': 'perf-test, Kafka defaults',
};
const TOOLS = [...Object.keys(VARIANTS), ...Object.keys(KCAT)];
const topicOf = (prefix, tool, r) => `${prefix}-${TOOLS.indexOf(tool)}-${r}`;
const topics = (prefix) => TOOLS.flatMap((tool) => Array.from({ length: REPEAT }, (_, r) => topicOf(prefix, tool, r)));

/** Runs a client to completion; resolves to its wall clock and stdout. */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      else resolve({ ms: performance.now() - t0, stdout });
    });
  });
}

async function measure(name, target, prefix) {
  const results = Object.fromEntries(TOOLS.map((t) => [t, { reported: [], wall: [] }]));
  for (let r = 0; r < REPEAT; r++) {
    // Rotate which tool goes first, so none always gets the warmer broker.
    const order = TOOLS.map((_, i) => TOOLS[(i + r) % TOOLS.length]);
    for (const tool of order) {
      const topic = topicOf(prefix, tool, r);
      const { ms, stdout } =
        tool in KCAT
          ? await run('kcat', ['-P', '-b', target.bootstrap, '-t', topic, '-X', 'acks=all', ...KCAT[tool], '-l', input])
          : await run(join(root, 'bin/kts'), [
              'producer-perf-test',
              '--bootstrap-server',
              target.bootstrap,
              '--topic',
              topic,
              '--num-records',
              String(COUNT),
              '--record-size',
              String(SIZE),
              '--throughput',
              '-1',
              ...VARIANTS[tool],
            ]);
      const landed = await endOffsetSum(target.bootstrap, topic, PARTITIONS);
      if (landed !== COUNT) console.error(`WARNING: ${tool} run ${r + 1} on ${name}: ${landed} of ${COUNT} records landed`);
      const reported =
        tool in KCAT ? COUNT / (ms / 1000) : Number(/ records sent, ([\d.]+) records\/sec/.exec(stdout.trim().split('\n').at(-1))[1]);
      results[tool].reported.push(reported);
      results[tool].wall.push(COUNT / (ms / 1000));
      console.log(`${name} ${tool} run ${r + 1}: ${Math.round(reported)} records/s reported, ${ms.toFixed(0)} ms wall clock`);
    }
  }
  return { name, results };
}

/** consumer-perf-test (its own nMsg.sec, and wall clock) and kcat -C reading the same COUNT records. */
async function measureConsumers(target, prefix) {
  const results = { 'consumer-perf-test': { reported: [], wall: [] }, 'kcat -C': { reported: [], wall: [] } };
  for (let r = 0; r < REPEAT; r++) {
    const topic = topicOf(prefix, 'kcat -P', r);
    for (const tool of r % 2 === 0 ? ['consumer-perf-test', 'kcat -C'] : ['kcat -C', 'consumer-perf-test']) {
      const { ms, stdout } =
        tool === 'kcat -C'
          ? await run('kcat', ['-C', '-b', target.bootstrap, '-t', topic, '-o', 'beginning', '-c', String(COUNT), '-q', '-f', '.'])
          : await run(join(root, 'bin/kts'), [
              'consumer-perf-test',
              '--bootstrap-server',
              target.bootstrap,
              '--topic',
              topic,
              '--messages',
              String(COUNT),
              '--hide-header',
            ]);
      const reported = tool === 'kcat -C' ? COUNT / (ms / 1000) : Number(stdout.trim().split('\n').at(-1).split(', ')[5]);
      if (tool === 'consumer-perf-test' && Number(stdout.trim().split('\n').at(-1).split(', ')[4]) !== COUNT)
        console.error(`WARNING: consumer-perf-test run ${r + 1} read less`);
      results[tool].reported.push(reported);
      results[tool].wall.push(COUNT / (ms / 1000));
      console.log(`kts broker ${tool} run ${r + 1}: ${Math.round(reported)} records/s reported, ${ms.toFixed(0)} ms wall clock`);
    }
  }
  return results;
}

console.log(
  `# producer-perf-test vs kcat -P, ${new Date().toISOString()}, ${COUNT} x ${SIZE} B, ${PARTITIONS} partitions, median of ${REPEAT}, ${cpus().length} cores, load average ${load()}`,
);
const all = [];
let consumers;
try {
  const mockPrefix = `pp-mock-${Date.now()}`;
  const mock = await startMockCluster(topics(mockPrefix), PARTITIONS);
  try {
    all.push(await measure('mock cluster', mock, mockPrefix));
  } finally {
    await mock.stop();
  }
  const module = join(root, 'dist/broker/index.js');
  if (existsSync(module)) {
    const { startBroker } = await import(module);
    const broker = await startBroker({ config: { 'num.partitions': String(PARTITIONS) }, log: () => {} });
    try {
      const prefix = `pp-kts-${Date.now()}`;
      all.push(await measure('kts broker', { bootstrap: broker.bootstrapServers }, prefix));
      consumers = await measureConsumers({ bootstrap: broker.bootstrapServers }, prefix);
    } finally {
      await broker.stop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`\nload average at the end: ${load()}`);
const fmt = (n) => Math.round(n).toLocaleString('en');
console.log(
  "\n| broker | tool | records/s (reported) | records/s (wall clock) | reported / kcat | wall clock / same-settings peer's wall clock |",
);
console.log('|---|---|---:|---:|---:|---:|');
for (const { name, results } of all) {
  const kcat = median(results['kcat -P'].wall);
  for (const tool of TOOLS) {
    const reported = median(results[tool].reported);
    const wall = median(results[tool].wall);
    const peer = wall / median(results[SAME_SETTINGS[tool]].wall);
    console.log(`| ${name} | ${tool} | ${fmt(reported)} | ${fmt(wall)} | ${(reported / kcat).toFixed(2)} | ${peer.toFixed(2)} |`);
  }
}

if (consumers) {
  const kcat = median(consumers['kcat -C'].wall);
  console.log('\n| broker | tool | records/s (reported) | records/s (wall clock) | reported / kcat |');
  console.log('|---|---|---:|---:|---:|');
  for (const [tool, r] of Object.entries(consumers)) {
    console.log(
      `| kts broker | ${tool} | ${fmt(median(r.reported))} | ${fmt(median(r.wall))} | ${(median(r.reported) / kcat).toFixed(2)} |`,
    );
  }
}
