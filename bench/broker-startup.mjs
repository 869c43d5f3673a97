// Start-up to accepting connections, median of alternating runs in the same session:
//  - `kts server-start` (spawn → first TCP connect accepted), fresh log dir each run: with its V8
//    code cache (written by a warm-up start, as any first start writes it) and without one
//  - Node itself: a script that only listens on a port (the floor any Node broker pays)
//  - librdkafka's mock cluster (spawn → bootstrap address printed, i.e. listening)
//  - in process: `import('kts')` + `startBroker()` in a fresh Node (the test-suite use)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockCluster, stopChild } from './lib/mock-cluster.mjs';
import { accepts, freePort } from './lib/ports.mjs';
import { median } from './lib/timed-run.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 21);
const DEADLINE_MS = 10_000;

/** Spawns `command` with `args`, resolves to ms until `port` accepts a connection, then (after `holdMs`) stops the process. */
async function timeToAccept(command, args, port, env = {}, holdMs = 0) {
  const t0 = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await accepts(port))) {
    if (exited || Date.now() > deadline) throw new Error(`${args.join(' ')} did not accept on ${port}`);
    await new Promise((r) => setTimeout(r, 1));
  }
  const ms = performance.now() - t0;
  await new Promise((r) => setTimeout(r, holdMs));
  await stopChild(child);
  return ms;
}

const warmCache = mkdtempSync(join(tmpdir(), 'kts-bench-cache-'));

async function kts(cacheHome, holdMs = 0) {
  const port = await freePort();
  const logDir = mkdtempSync(join(tmpdir(), 'kts-bench-startup-'));
  try {
    const args = ['server-start', '--override', `listeners=PLAINTEXT://127.0.0.1:${port}`, '--override', `log.dirs=${logDir}`];
    return await timeToAccept(join(root, 'bin/kts'), args, port, { XDG_CACHE_HOME: cacheHome }, holdMs);
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

/** No code cache: a fresh cache home each run, and the broker stops before it would write one. */
async function ktsCold() {
  const cacheHome = mkdtempSync(join(tmpdir(), 'kts-bench-cache-'));
  try {
    return await kts(cacheHome);
  } finally {
    rmSync(cacheHome, { recursive: true, force: true });
  }
}

async function nodeFloor() {
  const port = await freePort();
  const script = `require('net').createServer().listen(${port}, '127.0.0.1'); process.on('SIGTERM', () => process.exit(0));`;
  return timeToAccept(process.execPath, ['-e', script], port);
}

async function mock() {
  const t0 = performance.now();
  const cluster = await startMockCluster(['t'], 1);
  const ms = performance.now() - t0;
  await cluster.stop();
  return ms;
}

/** A fresh Node that imports the package and starts a broker; reports the time from its own start. */
async function inProcess() {
  const script = `
    const { startBroker } = await import(${JSON.stringify(join(root, 'dist/bundle/index.js'))});
    const broker = await startBroker();
    process.stdout.write(String(performance.now()));
    await broker.stop();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`)))));
  return Number(out);
}

await kts(warmCache, 2_000); // the first start writes the code cache once start-up is over
const cases = {
  'kts server-start (code cache)': () => kts(warmCache),
  'kts server-start (no code cache)': ktsCold,
  'node (listen only)': nodeFloor,
  'librdkafka mock cluster': mock,
  'in-process startBroker (from node start)': inProcess,
};
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) for (const [name, run] of Object.entries(cases)) samples[name].push(await run());

console.log(`| process | median (ms) | min (ms) |`);
console.log('|---|---:|---:|');
for (const [name, xs] of Object.entries(samples)) console.log(`| ${name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)} |`);
rmSync(warmCache, { recursive: true, force: true });
