import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long a loop handing records to the native producer runs before the event loop gets a turn. */
const TURN_MS = 1;
/** Records between looks at the clock. */
const RECORDS_PER_CHECK = 64;

/**
 * Paces a loop that hands records to the native producer. The producer's sender, Kafka's Sender
 * thread, runs only between turns of the event loop: while the loop runs on, responses wait
 * unread and in-flight slots stay empty, so the requests in flight are fewer and each waits
 * longer. A turn every millisecond keeps them going out as slots free up (measured in
 * bench/README.md: with a turn per 16k records a request took 17 ms, and the whole 1.2x as long).
 */
export class SenderTurns {
  private records = 0;
  private lastTurnMs = performance.now();

  /** Called after each record: whether the loop should `await turn()` now. */
  due(): boolean {
    return ++this.records % RECORDS_PER_CHECK === 0 && performance.now() - this.lastTurnMs >= TURN_MS;
  }

  async turn(): Promise<void> {
    await nextTurn();
    this.lastTurnMs = performance.now();
  }
}
