import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = '/usr/bin/time';

/**
 * Runs a client to completion without blocking this process (a kts broker may live in it);
 * resolves to its wall-clock milliseconds and stderr, rejects on a non-zero exit or after 5 minutes.
 * With `cpu` and GNU time installed, also to `cpuMs`: the client's user + system CPU time (all its
 * threads); GNU time's own fork adds about a millisecond to the wall clock. `env`: the client's
 * environment (this process's when not given).
 */
export function timedRun(command, args, { cpu = false, env } = {}) {
  if (!cpu || !existsSync(TIME)) return run(command, args, env);
  const dir = mkdtempSync(join(tmpdir(), 'kts-bench-time-'));
  const out = join(dir, 'time');
  return run(TIME, ['-q', '-f', '%U %S', '-o', out, command, ...args], env)
    .then((r) => {
      const [user, system] = readFileSync(out, 'utf8').trim().split(' ').map(Number);
      return { ...r, cpuMs: (user + system) * 1000 };
    })
    .finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** The environment bin/kts gives Node: without NODE_EXTRA_CA_CERTS, which kts applies itself, for TLS only (see bin/kts). */
export function nodeEnvOfBinKts() {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      else resolve({ ms: performance.now() - t0, stderr });
    });
  });
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
