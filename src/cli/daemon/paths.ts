import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

function stateDir(): string {
  return join(tmpdir(), `kts-${userInfo().uid}`);
}

/** Where running servers register themselves: `$KTS_RUN_DIR`, else `<tmp>/kts-<uid>/run`. */
export function runDir(): string {
  return process.env.KTS_RUN_DIR || join(stateDir(), 'run');
}

/** Where daemons write their output, as Kafka's scripts use `$LOG_DIR`: else `<tmp>/kts-<uid>/logs`. */
export function logDir(): string {
  return process.env.LOG_DIR || join(stateDir(), 'logs');
}
