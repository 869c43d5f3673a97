/**
 * Kafka's exponential backoff between retries: retry.backoff.ms doubling per failed attempt up to
 * retry.backoff.max.ms, with ±20 % jitter so members of a group do not retry in lockstep.
 */
export class RetryBackoff {
  private attempts = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  /** The wait before the next attempt; each call counts one more failure. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempts++);
    return Math.max(1, Math.round(base * (0.8 + Math.random() * 0.4)));
  }

  reset(): void {
    this.attempts = 0;
  }
}
