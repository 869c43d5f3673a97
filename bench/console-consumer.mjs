// `kts console-consumer` against `kcat -C`, same topic, same broker, same run: COUNT messages of SIZE
// bytes, produced once with `kcat -P`, then read from the beginning with output to /dev/null (plus
// kcat with a short fetch.wait.max.ms, see below):
//   kts console-consumer --from-beginning --max-messages COUNT > /dev/null
//   kts console-consumer --from-beginning --max-messages COUNT --group <fresh group> > /dev/null
//   kcat -C -e -o beginning -q > /dev/null
// Wall clock around each process, start-up included (for --group: joining the group, and the final
// commit and LeaveGroup); median of REPEAT alternating runs.
// Broker: the kts broker (`kts server-start` in its own process, as a user runs it). Not
// librdkafka's mock cluster: it drops old message sets of a partition (earliest offsets move past 0
// while a million messages go in), and its ListOffsets v4+ answers misplace every partition after
// the first (an int64 leader epoch), so neither a full read nor kts's start positions can be checked.
// Env: COUNT (1000000), SIZE (100), REPEAT (3), PARTITIONS (32).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKtsBroker } from './lib/kts-broker.mjs';
import { stopChild } from './lib/mock-cluster.mjs';
import { median, timedRun } from './lib/timed-run.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const COUNT = Number(process.env.COUNT ?? 1_000_000);
const SIZE = Number(process.env.SIZE ?? 100);
const REPEAT = Number(process.env.REPEAT ?? 3);
const PARTITIONS = Number(process.env.PARTITIONS ?? 32);
const TOPIC = 'bench-consume';
const kts = join(root, 'bin/kts');

const rate = (ms) => `${Math.round(COUNT / (ms / 1000)).toLocaleString('en')} msgs/s (${ms.toFixed(0)} ms)`;

/** Fills the topic once, then times each tool REPEAT times, alternating the order. */
async function measure(name, server, input) {
  await timedRun('kcat', ['-P', '-b', server, '-t', TOPIC, '-l', input]);
  const consumer = [
    'console-consumer',
    '--bootstrap-server',
    server,
    '--topic',
    TOPIC,
    '--from-beginning',
    '--max-messages',
    String(COUNT),
  ];
  let group = 0;
  const tools = {
    kts: () => timedRun(kts, consumer),
    kcat: () => timedRun('kcat', ['-C', '-b', server, '-t', TOPIC, '-e', '-o', 'beginning', '-q']),
    // kcat -e learns a partition's end from a fetch that finds nothing new, which the broker holds
    // for fetch.wait.max.ms (500 ms): this variant shows kcat without most of that idle time.
    'kcat -X fetch.wait.max.ms=5': () =>
      timedRun('kcat', ['-C', '-b', server, '-t', TOPIC, '-e', '-o', 'beginning', '-q', '-X', 'fetch.wait.max.ms=5']),
    // A fresh group each run: no committed offsets, so it reads from the beginning too.
    'kts --group': () => timedRun(kts, [...consumer, '--group', `bench-${group++}`]),
  };
  const times = Object.fromEntries(Object.keys(tools).map((t) => [t, []]));
  for (let r = 0; r < REPEAT; r++) {
    const order = r % 2 === 0 ? Object.keys(tools) : Object.keys(tools).reverse();
    for (const tool of order) {
      const { ms, stderr } = await tools[tool]();
      if (tool.startsWith('kts') && !stderr.includes(`Processed a total of ${COUNT} messages`)) {
        console.error(`WARNING: ${tool} run ${r + 1} on ${name}: ${stderr.trim()}`);
      }
      times[tool].push(ms);
      console.log(`${name} ${tool} run ${r + 1}: ${rate(ms)}`);
    }
  }
  return { name, medians: Object.fromEntries(Object.entries(times).map(([t, xs]) => [t, median(xs)])) };
}

const work = mkdtempSync(join(tmpdir(), 'kts-bench-consumer-'));
const results = [];
console.log(
  `# console-consumer vs kcat -C, ${new Date().toISOString()}, ${COUNT} x ${SIZE} B, ${PARTITIONS} partitions, median of ${REPEAT}, ${cpus().length} cores`,
);
try {
  const input = join(work, 'lines.txt');
  writeFileSync(input, `${'x'.repeat(SIZE)}\n`.repeat(COUNT));
  // No initial rebalance delay (3 s by default): the --group runs measure consuming, not that wait.
  const overrides = { 'num.partitions': PARTITIONS, 'group.initial.rebalance.delay.ms': 0 };
  const { child, port } = await startKtsBroker(root, { logDir: join(work, 'logs'), overrides });
  try {
    results.push(await measure('kts broker', `127.0.0.1:${port}`, input));
  } finally {
    await stopChild(child);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('\n| broker | tool | median | kcat / tool (time) |');
console.log('|---|---|---:|---:|');
for (const { name, medians } of results) {
  for (const [tool, ms] of Object.entries(medians)) console.log(`| ${name} | ${tool} | ${rate(ms)} | ${(medians.kcat / ms).toFixed(2)} |`);
}
