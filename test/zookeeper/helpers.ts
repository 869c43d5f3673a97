import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startZooKeeper, type RunningZooKeeper, type StartOptions } from '../../src/zookeeper/server.js';

export interface TempServer extends RunningZooKeeper {
  dataDir: string;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kts-zk-${prefix}-`));
}

/** A server on 127.0.0.1, port 0, fresh temp dataDir. */
export async function tempServer(opts: Partial<StartOptions> = {}): Promise<TempServer> {
  const dataDir = opts.dataDir ?? tempDir('data');
  const zk = await startZooKeeper({ clientPortAddress: '127.0.0.1', ...opts, dataDir });
  return {
    ...zk,
    dataDir,
    dispose: async () => {
      await zk.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion, killed after `timeoutMs`. */
export function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 20_000} ms`));
    }, opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Debian's python3 has kazoo; a venv `python3` on PATH may not. */
export const PYTHON = '/usr/bin/python3';
export const ZKCLI = '/usr/share/zookeeper/bin/zkCli.sh';

export function clientScript(name: string): string {
  return new URL(`./clients/${name}`, import.meta.url).pathname;
}

/** Polls `check` every 50 ms until it returns true; fails after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
