// Start-up time of `kts --help` and `kts --version`: median and p90 wall clock over N runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/kts', import.meta.url));
const runs = Number(process.env.RUNS ?? 30);

function measure(args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(bin, args, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`kts ${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], p90: times[Math.floor(runs * 0.9)] };
}

function baseline() {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], p90: times[Math.floor(runs * 0.9)] };
}

const rows = [
  ['node -e "" (floor)', baseline()],
  ['kts --help', measure(['--help'])],
  ['kts --version', measure(['--version'])],
];
console.log(`# CLI start-up, ${runs} runs each`);
for (const [name, r] of rows) {
  console.log(`${name.padEnd(22)} median ${r.median.toFixed(1)} ms  p90 ${r.p90.toFixed(1)} ms`);
  console.log(`RESULT bench=cli-startup case=${JSON.stringify(name)} median_ms=${r.median.toFixed(1)} p90_ms=${r.p90.toFixed(1)}`);
}
