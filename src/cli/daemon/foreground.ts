import { register, unregister, type ServerEntry } from './server-registry.js';

/**
 * Keeps a started server registered while it runs; SIGTERM/SIGINT stop it gracefully, then the
 * entry is removed. Resolves when the server has stopped.
 */
export function serveUntilSignal(entry: Omit<ServerEntry, 'pid' | 'startedAt'>, stop: () => Promise<void>): Promise<void> {
  const full: ServerEntry = { ...entry, pid: process.pid, startedAt: new Date().toISOString() };
  register(full);
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onSignal = (): void => {
      if (stopping) return;
      stopping = true;
      stop()
        .then(resolve, reject)
        .finally(() => unregister(full.kind, full.pid));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
