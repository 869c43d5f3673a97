import { register, unregister, type ServerEntry } from './server-registry.js';

/**
 * Keeps a started server registered while it runs; SIGTERM/SIGINT stop it gracefully, then the
 * entry is removed. Resolves when the server has stopped: on a signal, or `by itself` once
 * `stoppedItself` (when given) settles.
 */
export function serveUntilSignal(
  entry: Omit<ServerEntry, 'pid' | 'startedAt'>,
  stop: () => Promise<void>,
  stoppedItself?: Promise<void>,
): Promise<'on a signal' | 'by itself'> {
  const full: ServerEntry = { ...entry, pid: process.pid, startedAt: new Date().toISOString() };
  register(full);
  return new Promise((resolve, reject) => {
    let stopping = false;
    const finish = (how: 'on a signal' | 'by itself', stopped: Promise<void>): void => {
      if (stopping) return;
      stopping = true;
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      stopped.then(() => resolve(how), reject).finally(() => unregister(full.kind, full.pid));
    };
    const onSignal = (): void => finish('on a signal', stop());
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    void stoppedItself?.then(() => finish('by itself', Promise.resolve()));
  });
}
