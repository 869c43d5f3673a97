import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { KtsError } from '../../util/errors.js';
import { logDir } from './paths.js';
import { runningServers, type ServerEntry, type ServerKind } from './server-registry.js';
import { packagePath } from '../../util/package-path.js';

const START_TIMEOUT_MS = 30_000;

/**
 * `-daemon`: runs `kts <args>` detached with output appended to `log` (a name: under the log dir),
 * and returns once it has registered and accepts TCP connections. If it exits first, its last
 * output line becomes the error.
 */
export async function startDaemon(kind: ServerKind, args: string[], logFile: string): Promise<{ entry: ServerEntry; log: string }> {
  const log = resolve(logDir(), logFile);
  mkdirSync(dirname(log), { recursive: true });
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, [packagePath('bin', 'kts.cjs'), ...args], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = false;
  child.on('exit', () => (exited = true));
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) throw new KtsError(lastLine(log) ?? `${kind} exited during start-up; see ${log}`);
    const entry = runningServers(kind).find((e) => e.pid === child.pid);
    if (entry && (await accepts(entry.host, entry.ports[0]!))) return { entry, log };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new KtsError(`${kind} did not start within ${START_TIMEOUT_MS / 1000} s; see ${log}`);
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: host === '0.0.0.0' ? '127.0.0.1' : host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function lastLine(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').pop()?.trim() || undefined;
  } catch {
    return undefined;
  }
}
