// Start-up of networked commands: `kts topics --list` (and other commands that make a request or two) against
// `kcat -L` on the same embedded broker, with `node -e 0` (Node's own floor) in the same run. Runs
// are interleaved so load on the machine hits every command alike; the first WARMUP runs of each
// (which write the V8 code caches) are left out. Goal: within 1.5× of `node -e 0` plus one round
// trip, which is Node's floor for a command that makes one: `node one-request.cjs` (connect, one
// ApiVersions request, its answer, exit). The network's share of that is under 0.1 ms on loopback (a
// warm client's ApiVersions round trip to the kts broker); the rest is Node loading `net`, opening
// its first socket and reading its first answer. kts commands make two requests (ApiVersions first).
// Env: RUNS (30), WARMUP (3), BASELINE (another checkout's bin/kts: each kts command is measured with it too, as `baseline <command>`).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, nodeEnvOfBinKts, timedRun } from './lib/timed-run.mjs';

const bin = fileURLToPath(new URL('../bin/kts', import.meta.url));
const oneRequestScript = fileURLToPath(new URL('./lib/one-request.cjs', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 30);
const WARMUP = Number(process.env.WARMUP ?? 3);
const work = mkdtempSync(join(tmpdir(), 'kts-bench-startup-'));

/** The broker in its own process, so the clients measured do not share this one's CPU time with it. */
function startBroker() {
  const child = spawn(bin, [
    'server-start',
    '--override',
    'listeners=PLAINTEXT://127.0.0.1:0',
    '--override',
    `log.dirs=${join(work, 'logs')}`,
  ]);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const port = /Listening on PLAINTEXT:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      const stop = () => new Promise((done) => child.once('exit', done).kill('SIGTERM'));
      if (port) resolve({ bootstrap: `127.0.0.1:${port}`, stop });
    });
    child.once('exit', (code) => reject(new Error(`the broker exited ${code}`)));
  });
}

const broker = await startBroker();
try {
  const server = ['--bootstrap-server', broker.bootstrap];
  // The commands' V8 code caches, written by their warm-up runs here, not by whatever ran them last.
  const codeCaches = { ...process.env, XDG_CACHE_HOME: join(work, 'cache') };
  await timedRun(bin, ['topics', '--create', '--topic', 'startup', '--partitions', '3', ...server]);
  const commands = [
    ['topics --list', ['topics', '--list', ...server]],
    ['get-offsets', ['get-offsets', '--topic', 'startup', ...server]],
    ['consumer-groups --list', ['consumer-groups', '--list', ...server]],
  ];
  const cases = [
    ['node -e 0', process.execPath, ['-e', '0'], nodeEnvOfBinKts()],
    ...(process.env.NODE_EXTRA_CA_CERTS ? [['node -e 0, NODE_EXTRA_CA_CERTS', process.execPath, ['-e', '0']]] : []),
    ['node, one request', process.execPath, [oneRequestScript, ...broker.bootstrap.split(':')], nodeEnvOfBinKts()],
    ['kcat -L', 'kcat', ['-L', '-b', broker.bootstrap]],
    ...commands.map(([name, args]) => [`kts ${name}`, bin, args, codeCaches]),
    ...(process.env.BASELINE ? commands.map(([name, args]) => [`baseline ${name}`, process.env.BASELINE, args, codeCaches]) : []),
  ];
  const times = new Map(cases.map(([name]) => [name, []]));
  for (let run = 0; run < WARMUP + RUNS; run++) {
    for (const [name, command, args, env] of cases) {
      const { ms } = await timedRun(command, args, { env });
      if (run >= WARMUP) times.get(name).push(ms);
    }
  }
  const floor = median(times.get('node -e 0'));
  const kcat = median(times.get('kcat -L'));
  const oneRequest = median(times.get('node, one request'));
  console.log(`# networked start-up, ${RUNS} interleaved runs each (after ${WARMUP} warm-up runs), medians`);
  console.log(
    `# goal: within 1.5 × (node -e 0 plus one round trip) = 1.5 × ${oneRequest.toFixed(1)} ms = ${(1.5 * oneRequest).toFixed(1)} ms`,
  );
  for (const [name, ms] of times) {
    const m = median(ms);
    console.log(
      `${name.padEnd(34)} ${m.toFixed(1).padStart(7)} ms  ${(m / floor).toFixed(2)}× node -e 0  ${(m / oneRequest).toFixed(2)}× node, one request  ${(m / kcat).toFixed(1)}× kcat -L`,
    );
    console.log(
      `RESULT bench=networked-startup case=${JSON.stringify(name)} median_ms=${m.toFixed(1)} vs_node=${(m / floor).toFixed(2)} vs_node_one_request=${(m / oneRequest).toFixed(2)} vs_kcat=${(m / kcat).toFixed(2)}`,
    );
  }
} finally {
  await broker.stop();
  rmSync(work, { recursive: true, force: true });
}
