import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { runDir } from './paths.js';

export type ServerKind = 'zookeeper' | 'kafka';

/** One running kts server, as recorded in `<run dir>/<kind>-<pid>.json`. */
export interface ServerEntry {
  kind: ServerKind;
  pid: number;
  host: string;
  ports: number[];
  /** The properties file it was started with, if any. */
  config: string | undefined;
  startedAt: string;
}

function entryPath(kind: ServerKind, pid: number): string {
  return join(runDir(), `${kind}-${pid}.json`);
}

/** Records this server; written atomically so readers never see half a file. */
export function register(entry: ServerEntry): void {
  mkdirSync(runDir(), { recursive: true });
  const path = entryPath(entry.kind, entry.pid);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(entry)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function unregister(kind: ServerKind, pid: number): void {
  rmSync(entryPath(kind, pid), { force: true });
}

/** Live servers of `kind`; entries whose process is gone are deleted on the way. */
export function runningServers(kind: ServerKind): ServerEntry[] {
  let names: string[];
  try {
    names = readdirSync(runDir());
  } catch {
    return [];
  }
  const out: ServerEntry[] = [];
  for (const name of names) {
    if (!name.startsWith(`${kind}-`) || !name.endsWith('.json')) continue;
    const path = join(runDir(), name);
    let entry: ServerEntry;
    try {
      entry = JSON.parse(readFileSync(path, 'utf8')) as ServerEntry;
    } catch {
      continue;
    }
    if (isAlive(entry.pid)) out.push(entry);
    else rmSync(path, { force: true });
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/**
 * Whether the process runs. A daemon's parent is gone, and where the init process is slow to reap
 * (containers), a killed daemon lingers as a zombie that signal 0 still reaches: Linux's
 * `/proc/<pid>/stat` says so.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
