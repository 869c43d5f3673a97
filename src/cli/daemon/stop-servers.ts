import { KtsError } from '../../util/errors.js';
import { isAlive, runningServers, unregister, type ServerEntry, type ServerKind } from './server-registry.js';

const STOP_TIMEOUT_MS = 30_000;

/**
 * SIGTERM to every registered server of `kind` (or those `select` keeps), then waits, bounded,
 * for each to exit. Throws Kafka's "No <kind> server to stop" when there is none.
 */
export async function stopServers(kind: ServerKind, select: (e: ServerEntry) => boolean = () => true): Promise<ServerEntry[]> {
  const targets = runningServers(kind).filter(select);
  if (targets.length === 0) throw new KtsError(`No ${kind} server to stop`);
  for (const entry of targets) {
    try {
      process.kill(entry.pid, 'SIGTERM');
    } catch {
      // Already gone between listing and signalling: nothing left to stop.
    }
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (targets.some((e) => isAlive(e.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const stuck = targets.filter((e) => isAlive(e.pid));
  if (stuck.length > 0) {
    throw new KtsError(`${kind} (pid ${stuck.map((e) => e.pid).join(', ')}) did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
  }
  for (const entry of targets) unregister(kind, entry.pid);
  return targets;
}

/** `Stopped zookeeper (pid 123, port 2181)`. */
export function describeStopped(entry: ServerEntry): string {
  const ports = entry.ports.length === 1 ? `port ${entry.ports[0]}` : `ports ${entry.ports.join(', ')}`;
  return `Stopped ${entry.kind} (pid ${entry.pid}, ${ports})`;
}
