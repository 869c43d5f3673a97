// `kts server-start` from a checkout as its own process, for benchmarks that compare checkouts.
// Lives below bench/lib/ so that `npm run bench` does not run it as a benchmark.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { accepts, freePort } from './ports.mjs';

/**
 * Starts the broker of `checkout` on a free loopback port with `log.dirs=logDir`, further broker
 * settings from `overrides` and its code cache in `cacheHome` (the user's when not given),
 * optionally under `ulimit -n openFiles`; resolves once it accepts connections, with the ms that
 * took (spawn → accepting: logs are loaded before the listener opens).
 */
export async function startKtsBroker(checkout, { logDir, cacheHome, openFiles, overrides = {} }) {
  const port = await freePort();
  const t0 = performance.now();
  const settings = { listeners: `PLAINTEXT://127.0.0.1:${port}`, 'log.dirs': logDir, ...overrides };
  const bin = join(checkout, 'bin/kts');
  const args = ['server-start', ...Object.entries(settings).flatMap(([k, v]) => ['--override', `${k}=${v}`])];
  const [command, argv] =
    openFiles === undefined ? [bin, args] : ['/bin/sh', ['-c', `ulimit -n ${openFiles} && exec "$0" "$@"`, bin, ...args]];
  const env = cacheHome === undefined ? process.env : { ...process.env, XDG_CACHE_HOME: cacheHome };
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let exited = false;
  child.once('exit', () => (exited = true));
  while (!(await accepts(port))) {
    if (exited) throw new Error(`the broker exited: ${stderr.split('\n').slice(-3).join(' ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, port, pid: child.pid, ms: performance.now() - t0 };
}
