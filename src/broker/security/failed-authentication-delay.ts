/** Resolves after `ms` without keeping the process alive. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** One client address's line: the end of its last check, and how many checks are in it. */
interface AddressLine {
  tail: Promise<void>;
  checks: number;
}

/**
 * `connection.failed.authentication.delay.ms` applied per client address, so that guessing
 * passwords is slow however many connections the guesser opens: the SASL credential checks of
 * one address run one at a time, and a failed one holds that address's turn for the delay (its
 * answer goes out when the hold ends, then the connection closes). N failed guesses from one
 * address take at least N × delay; other addresses are not slowed; a check that succeeds costs
 * its address nothing. Kafka delays each failed connection only, which parallel connections
 * defeat. Memory: one entry per address with a check in progress, removed when its last check
 * ends; each waiting check belongs to an open connection.
 */
export class FailedAuthenticationDelay {
  readonly #lines = new Map<string, AddressLine>();

  constructor(readonly delayMs: number) {}

  /** Addresses with a check in progress or waiting (for tests of the memory bound). */
  get addresses(): number {
    return this.#lines.size;
  }

  /** Runs `check` in `address`'s turn; resolves with its result when the turn ends (after the delay when `failed(result)`). */
  async inTurn<T>(address: string, check: () => T, failed: (result: T) => boolean): Promise<T> {
    let line = this.#lines.get(address);
    if (line === undefined) {
      line = { tail: Promise.resolve(), checks: 0 };
      this.#lines.set(address, line);
    }
    const previous = line.tail;
    let endTurn!: () => void;
    line.tail = new Promise((resolve) => {
      endTurn = resolve;
    });
    line.checks++;
    try {
      await previous;
      const result = check();
      if (failed(result)) await delay(this.delayMs);
      return result;
    } finally {
      endTurn();
      if (--line.checks === 0) this.#lines.delete(address);
    }
  }
}
