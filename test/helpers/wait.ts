import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` every 50 ms until it returns something other than `false` or `undefined`, and
 * returns that. After `timeoutMs` it fails naming `what` (a function is called then, so the message
 * can show the state it waited on).
 */
export async function waitUntil<T>(
  check: () => T | false | undefined | Promise<T | false | undefined>,
  what: string | (() => string),
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== false && value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(50);
  }
}
