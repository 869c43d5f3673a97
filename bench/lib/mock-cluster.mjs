// librdkafka's mock cluster (../shared/tools/mockcluster), the reference broker benchmarks compare kts with.
// Lives below bench/lib/ so that `npm run bench` does not run it as a benchmark.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const shared = process.env.SHARED ?? join(root, '../shared');

/** Runs gcc with `args` into `output` in the benchmarks' temp dir, once per machine; returns the output's path. */
function compileOnce(output, args, what) {
  const dir = join(tmpdir(), 'kts-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, output);
  if (!existsSync(path)) {
    const r = spawnSync('gcc', ['-O2', '-std=gnu11', '-o', path, ...args], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`could not build ${what}`);
  }
  return path;
}

/** The mock cluster (needs gcc and librdkafka-dev). */
const buildMock = () =>
  compileOnce(
    'mockcluster',
    [join(shared, 'tools/mockcluster/mockcluster.c'), '-lrdkafka'],
    'the mock cluster (needs gcc and librdkafka-dev)',
  );

/** The TCP_NODELAY shim (tcp-nodelay.c), for a mock that answers as Kafka's broker does. */
const buildNoDelay = () =>
  compileOnce(
    'tcp-nodelay.so',
    ['-shared', '-fPIC', fileURLToPath(new URL('tcp-nodelay.c', import.meta.url)), '-ldl'],
    'the TCP_NODELAY shim',
  );

/** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
export function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGTERM');
  });
}

/**
 * A one-broker mock cluster with `topics` of `partitions` partitions each; with `noDelay`, its
 * connections have TCP_NODELAY set (tcp-nodelay.c, Linux), as a Kafka broker's have.
 */
export async function startMockCluster(topics, partitions, { noDelay = false } = {}) {
  const args = topics.flatMap((t) => ['-t', `${t}:${partitions}`]);
  const env = noDelay ? { ...process.env, LD_PRELOAD: buildNoDelay() } : process.env;
  const child = spawn(buildMock(), [...args, '1'], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const bootstrap = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).split('\n')[0].trim()));
    child.once('exit', (code) => reject(new Error(`mockcluster exited ${code}`)));
  });
  return { bootstrap, pid: child.pid, stop: () => stopChild(child) };
}
