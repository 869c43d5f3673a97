import { rmSync } from 'node:fs';
import { listFiles } from './file-names.js';

/**
 * PurgeTxnLog: keeps the `retain` newest snapshots and the logs that can still be replayed on top of
 * the oldest of them (every log from the newest one that starts at or before that snapshot).
 * Returns the paths removed.
 */
export function purge(snapDir: string, logDir: string, retain: number): string[] {
  const snaps = listFiles(snapDir, 'snapshot');
  if (snaps.length <= retain) return [];
  const oldestKept = snaps[snaps.length - retain]!.zxid;
  const logs = listFiles(logDir, 'log');
  let firstNeeded = 0;
  for (let i = 0; i < logs.length; i++) if (logs[i]!.zxid <= oldestKept + 1) firstNeeded = i;
  const doomed = [...snaps.slice(0, snaps.length - retain), ...logs.slice(0, firstNeeded)].map((f) => f.path);
  for (const path of doomed) rmSync(path, { force: true });
  return doomed;
}
