// Transactional ÷ idempotent throughput on the kts broker, same broker, same run: confluent-kafka
// (librdkafka) sends COUNT records of 1 KB (acks=all, idempotent), then the same with a
// transactional.id, PER_TXN records per transaction, each committed. Runs alternate (REPEAT each,
// the order rotated), each to its own topic of PARTITIONS partitions. The broker is a
// `kts server-start` process, as users run it.
// Env: COUNT (50000), SIZE (1024), PER_TXN (100), REPEAT (3), PARTITIONS (6), PYTHON (/usr/bin/python3).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './lib/ports.mjs';
import { median } from './lib/timed-run.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const COUNT = Number(process.env.COUNT ?? 50_000);
const SIZE = Number(process.env.SIZE ?? 1024);
const PER_TXN = Number(process.env.PER_TXN ?? 100);
const REPEAT = Number(process.env.REPEAT ?? 3);
const PARTITIONS = Number(process.env.PARTITIONS ?? 6);
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const MODES = ['idempotent', 'transactional'];

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

const work = mkdtempSync(join(tmpdir(), 'kts-bench-txn-'));
const port = await freePort();
const config = join(work, 'server.properties');
writeFileSync(
  config,
  [
    'broker.id=0',
    `listeners=PLAINTEXT://127.0.0.1:${port}`,
    `log.dirs=${join(work, 'logs')}`,
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    '',
  ].join('\n'),
);
const broker = spawn(join(root, 'bin/kts'), ['server-start', config], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, KTS_RUN_DIR: join(work, 'run') },
});
await new Promise((resolve, reject) => {
  let out = '';
  broker.stdout.on('data', (d) => {
    out += d;
    if (/started/.test(out)) resolve();
  });
  broker.once('exit', () => reject(new Error(`the broker exited: ${out}`)));
});
const bootstrap = `127.0.0.1:${port}`;
try {
  const rates = Object.fromEntries(MODES.map((m) => [m, []]));
  for (let r = 0; r < REPEAT; r++) {
    for (const mode of r % 2 === 0 ? MODES : [...MODES].reverse()) {
      const topic = `bench-${mode}-${r}`;
      await run(join(root, 'bin/kts'), [
        'topics',
        '--bootstrap-server',
        bootstrap,
        '--create',
        '--topic',
        topic,
        '--partitions',
        String(PARTITIONS),
      ]);
      const { records, seconds } = JSON.parse(
        await run(PYTHON, [
          join(root, 'bench/lib/txn_throughput.py'),
          bootstrap,
          topic,
          String(COUNT),
          String(SIZE),
          mode,
          String(PER_TXN),
        ]),
      );
      rates[mode].push(records / seconds);
      console.log(`${mode.padEnd(14)} run ${r + 1}: ${Math.round(records / seconds)} records/s`);
    }
  }
  const idem = median(rates.idempotent);
  const txn = median(rates.transactional);
  console.log(
    `\n${cpus().length} cores, Node ${process.version}, ${COUNT} records of ${SIZE} B, ${PER_TXN} per transaction, ${PARTITIONS} partitions`,
  );
  console.log(`idempotent     median ${Math.round(idem)} records/s (${((idem * SIZE) / 1e6).toFixed(1)} MB/s)`);
  console.log(`transactional  median ${Math.round(txn)} records/s (${((txn * SIZE) / 1e6).toFixed(1)} MB/s)`);
  console.log(`transactional ÷ idempotent: ${(txn / idem).toFixed(2)} (goal ≥ 0.7)`);
} finally {
  broker.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
}
