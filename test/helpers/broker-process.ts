import { type ChildProcess, spawn } from 'node:child_process';
import { KTS_BIN } from './kts.js';

/** `kts server-start` in the foreground as its own process, for tests that kill it or watch it stop. */
export interface BrokerProcess {
  port: number;
  pid: number;
  /** Everything it wrote so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

const STARTED = /Listening on PLAINTEXT:\/\/127\.0\.0\.1:(\d+)/;

export interface BrokerProcessOptions {
  /** server.properties overrides. */
  overrides?: Record<string, string>;
  /** The process's open-file limit (`ulimit -n`). */
  openFileLimit?: number;
  timeoutMs?: number;
}

/** Starts a broker on a free loopback port with `log.dirs=logDirs`; rejects if it has not started within `timeoutMs`. */
export function startBrokerProcess(logDirs: string, options: BrokerProcessOptions = {}): Promise<BrokerProcess> {
  const { overrides = {}, openFileLimit, timeoutMs = 20_000 } = options;
  const args = ['server-start', '--override', 'listeners=PLAINTEXT://127.0.0.1:0', '--override', `log.dirs=${logDirs}`];
  for (const [key, value] of Object.entries(overrides)) args.push('--override', `${key}=${value}`);
  const [command, argv] =
    openFileLimit === undefined ? [KTS_BIN, args] : ['/bin/sh', ['-c', `ulimit -n ${openFileLimit} && exec "$0" "$@"`, KTS_BIN, ...args]];
  const child: ChildProcess = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the broker did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = STARTED.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        port: Number(m[1]),
        pid: child.pid!,
        output: () => ({ stdout, stderr }),
        exited,
        kill: (signal) => {
          child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the broker exited with ${code} before it started: ${stderr}`));
    });
  });
}
