// librdkafka's mock cluster (../shared/tools/mockcluster), the reference broker benchmarks compare kts with.
// Lives below bench/lib/ so that `npm run bench` does not run it as a benchmark.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const shared = process.env.SHARED ?? join(root, '../shared');

/** Compiles the mock cluster once per machine (needs gcc and librdkafka-dev). */
function buildMock() {
  const dir = join(tmpdir(), 'kts-bench');
  mkdirSync(dir, { recursive: true });
  const bin = join(dir, 'mockcluster');
  if (!existsSync(bin)) {
    const r = spawnSync('gcc', ['-O2', '-std=gnu11', '-o', bin, join(shared, 'tools/mockcluster/mockcluster.c'), '-lrdkafka'], {
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('could not build the mock cluster (needs gcc and librdkafka-dev)');
  }
  return bin;
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. */
export function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGTERM');
  });
}

/** A one-broker mock cluster with `topics` of `partitions` partitions each. */
export async function startMockCluster(topics, partitions) {
  const args = topics.flatMap((t) => ['-t', `${t}:${partitions}`]);
  const child = spawn(buildMock(), [...args, '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const bootstrap = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(String(d).split('\n')[0].trim()));
    child.once('exit', (code) => reject(new Error(`mockcluster exited ${code}`)));
  });
  return { bootstrap, pid: child.pid, stop: () => stopChild(child) };
}
