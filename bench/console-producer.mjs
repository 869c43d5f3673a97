// `kts console-producer` (the native producer) against `kcat -P`, same input, same broker, same run:
// COUNT lines of SIZE bytes from a file, each tool with its default producer settings (kts: acks=all,
// idempotent; kcat: librdkafka's defaults, acks=all, not idempotent). Wall clock around each process,
// start-up included; every run is checked against the topic's end offsets.
// Brokers: librdkafka's mock cluster (built with gcc + librdkafka-dev) and, when built, the embedded kts
// broker (in this process; the clients are separate processes).
// Env: COUNT (1000000), SIZE (100), REPEAT (3), PARTITIONS (32), SHARED (../shared next to the checkout).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endOffsetSum } from './lib/end-offsets.mjs';
import { startMockCluster } from './lib/mock-cluster.mjs';
import { median, timedRun } from './lib/timed-run.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const COUNT = Number(process.env.COUNT ?? 1_000_000);
const SIZE = Number(process.env.SIZE ?? 100);
const REPEAT = Number(process.env.REPEAT ?? 3);
const PARTITIONS = Number(process.env.PARTITIONS ?? 32);

const work = mkdtempSync(join(tmpdir(), 'kts-bench-producer-'));
const input = join(work, 'lines.txt');
writeFileSync(input, `${'x'.repeat(SIZE)}\n`.repeat(COUNT));

const topics = (prefix) => Array.from({ length: REPEAT }, (_, r) => [`${prefix}-kts-${r}`, `${prefix}-kcat-${r}`]).flat();

async function startKtsBroker() {
  const module = join(root, 'dist/broker/index.js');
  if (!existsSync(module)) return null;
  const { startBroker } = await import(module);
  const broker = await startBroker({ config: { 'num.partitions': String(PARTITIONS) }, log: () => {} });
  return { bootstrap: broker.bootstrapServers, stop: () => broker.stop() };
}

async function measure(name, target, prefix) {
  const times = { kts: [], kcat: [] };
  for (let r = 0; r < REPEAT; r++) {
    const runs = {
      kts: () =>
        timedRun(process.execPath, [
          join(root, 'bin/kts'),
          'console-producer',
          '--bootstrap-server',
          target.bootstrap,
          '--topic',
          `${prefix}-kts-${r}`,
          '--file',
          input,
        ]),
      kcat: () => timedRun('kcat', ['-P', '-b', target.bootstrap, '-t', `${prefix}-kcat-${r}`, '-l', input]),
    };
    // Alternate which tool goes first, so neither always gets the warmer broker.
    for (const tool of r % 2 === 0 ? ['kts', 'kcat'] : ['kcat', 'kts']) {
      const { ms } = await runs[tool]();
      const landed = await endOffsetSum(target.bootstrap, `${prefix}-${tool}-${r}`, PARTITIONS);
      if (landed !== COUNT) console.error(`WARNING: ${tool} run ${r + 1} on ${name}: ${landed} of ${COUNT} messages landed`);
      times[tool].push(ms);
      console.log(`${name} ${tool} run ${r + 1}: ${ms.toFixed(0)} ms (${Math.round(COUNT / (ms / 1000))} msgs/s)`);
    }
  }
  const kts = median(times.kts);
  const kcat = median(times.kcat);
  return { name, kts, kcat };
}

console.log(
  `# console-producer vs kcat -P, ${new Date().toISOString()}, ${COUNT} x ${SIZE} B, ${PARTITIONS} partitions, median of ${REPEAT}, ${cpus().length} cores`,
);
const results = [];
try {
  const mockPrefix = `cp-mock-${Date.now()}`;
  const mock = await startMockCluster(topics(mockPrefix), PARTITIONS);
  try {
    results.push(await measure('mock cluster', mock, mockPrefix));
  } finally {
    await mock.stop();
  }
  const kts = await startKtsBroker();
  if (kts) {
    try {
      results.push(await measure('kts broker', kts, `cp-kts-${Date.now()}`));
    } finally {
      await kts.stop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('\n| broker | kts console-producer | kcat -P | kts / kcat (msgs/s) |');
console.log('|---|---:|---:|---:|');
for (const r of results) {
  const rate = (ms) => `${Math.round(COUNT / (ms / 1000)).toLocaleString('en')} msgs/s (${ms.toFixed(0)} ms)`;
  console.log(`| ${r.name} | ${rate(r.kts)} | ${rate(r.kcat)} | ${(r.kcat / r.kts).toFixed(2)} |`);
}
