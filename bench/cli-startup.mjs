// Start-up time of `kts --help` and `kts --version`: median and p90 wall clock over N runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeEnvOfBinKts } from './lib/timed-run.mjs';

const bin = fileURLToPath(new URL('../bin/kts', import.meta.url));
const runs = Number(process.env.RUNS ?? 30);

/** Median and p90 wall clock of `command args` over `runs` runs, in `env` (this process's when not given). */
function measure(command, args, env) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(command, args, { stdio: 'ignore', env });
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], p90: times[Math.floor(runs * 0.9)] };
}

const rows = [
  ['node -e "" (floor, as bin/kts starts Node)', measure(process.execPath, ['-e', ''], nodeEnvOfBinKts())],
  ...(process.env.NODE_EXTRA_CA_CERTS ? [['node -e "", NODE_EXTRA_CA_CERTS', measure(process.execPath, ['-e', ''])]] : []),
  ['kts --help', measure(bin, ['--help'])],
  ['kts --version', measure(bin, ['--version'])],
];
console.log(`# CLI start-up, ${runs} runs each`);
for (const [name, r] of rows) {
  console.log(`${name.padEnd(44)} median ${r.median.toFixed(1)} ms  p90 ${r.p90.toFixed(1)} ms`);
  console.log(`RESULT bench=cli-startup case=${JSON.stringify(name)} median_ms=${r.median.toFixed(1)} p90_ms=${r.p90.toFixed(1)}`);
}
