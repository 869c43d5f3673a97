/** `poll` ran out of time with nothing fetched. */
export const TIMED_OUT = Symbol('timed out');

/**
 * The Java consumer's `poll(timeout)` over a kts consumer whose `next()` waits for data: a poll
 * that times out leaves its `next()` waiting, and the next poll takes that answer, so no fetched
 * data is ever dropped.
 */
export class Poller<T> {
  private pending: Promise<T | null> | undefined;

  constructor(private readonly next: () => Promise<T | null>) {}

  /** The next fetched data, null once the consumer is closed, or TIMED_OUT after `timeoutMs`. */
  async poll(timeoutMs: number): Promise<T | null | typeof TIMED_OUT> {
    this.pending ??= this.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    try {
      const result = await Promise.race([this.pending, timeout]);
      if (result !== TIMED_OUT) this.pending = undefined;
      return result;
    } finally {
      clearTimeout(timer);
    }
  }
}
