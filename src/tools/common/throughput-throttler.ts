import { setTimeout as sleep } from 'node:timers/promises';

const NS_PER_MS = 1_000_000;
const NS_PER_SEC = 1000 * NS_PER_MS;
const MIN_SLEEP_NS = 2 * NS_PER_MS;

/**
 * Kafka's ThroughputThrottler (server-common): keeps a sender at about `targetThroughput` things
 * per second by sleeping off an accumulated deficit of 1/throughput seconds per thing sent. A
 * negative target never throttles. The sleeps are awaited, so the event loop (and the producer's
 * sender) keeps running.
 */
export class ThroughputThrottler {
  private readonly sleepTimeNs: number;
  private sleepDeficitNs = 0;

  constructor(
    private readonly targetThroughput: number,
    private readonly startMs: number,
  ) {
    this.sleepTimeNs = targetThroughput > 0 ? Math.floor(NS_PER_SEC / targetThroughput) : Number.MAX_SAFE_INTEGER;
  }

  /** Whether `amountSoFar` things sent by `sendStartMs` is ahead of the target rate. */
  shouldThrottle(amountSoFar: number, sendStartMs: number): boolean {
    if (this.targetThroughput < 0) return false;
    const elapsedSec = Math.fround((sendStartMs - this.startMs) / 1000);
    return elapsedSec > 0 && amountSoFar / elapsedSec > this.targetThroughput;
  }

  /** Adds one thing's share of sleep, and sleeps once at least 2 ms are owed. */
  async throttle(): Promise<void> {
    this.sleepDeficitNs += this.sleepTimeNs;
    if (this.sleepDeficitNs < MIN_SLEEP_NS) return;
    await sleep(Math.max(1, Math.round(this.sleepDeficitNs / NS_PER_MS)));
    this.sleepDeficitNs = 0;
  }
}
