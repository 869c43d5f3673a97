/** Gives a job its next slice; resolves on a later turn of the event loop. */
export type Pause = () => Promise<void>;

interface Job {
  run: (pause: Pause) => Promise<void>;
  done: { resolve: () => void; reject: (err: unknown) => void };
}

/**
 * Shares the event loop between jobs that would hold it too long in one go (checking the records
 * of a large or hostile Produce): each job works in slices and awaits `pause()` between them, and
 * the scheduler lets one slice run per turn of the event loop, so every other connection's
 * requests are read and answered in between. Jobs of one owner (a connection) run one after the
 * other, in the order submitted; at most `maxActive` jobs are under way at once, picked from the
 * owners in turn, so one client pipelining many expensive requests neither starves the others
 * nor makes the broker hold the work of all of them at once.
 */
export class SliceScheduler {
  readonly #maxActive: number;
  /** Owners with waiting jobs, in the order they get their next turn. */
  readonly #waiting = new Map<object, Job[]>();
  readonly #busyOwners = new Set<object>();
  /** Slices waiting for their turn, first come first served. */
  readonly #pauses: (() => void)[] = [];
  #turnScheduled = false;

  constructor(maxActive: number) {
    this.#maxActive = maxActive;
  }

  /** Runs `job` once its owner's earlier jobs are done and a place is free; settles as the job does. */
  run(owner: object, job: (pause: Pause) => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(owner) ?? [];
      queue.push({ run: job, done: { resolve, reject } });
      this.#waiting.set(owner, queue);
      this.#admit();
    });
  }

  #admit(): void {
    for (const [owner, queue] of this.#waiting) {
      if (this.#busyOwners.size >= this.#maxActive) return;
      if (this.#busyOwners.has(owner)) continue;
      const job = queue.shift()!;
      // To the back of the line: the next free place goes to another owner first.
      this.#waiting.delete(owner);
      if (queue.length > 0) this.#waiting.set(owner, queue);
      this.#busyOwners.add(owner);
      this.#start(owner, job);
    }
  }

  #start(owner: object, job: Job): void {
    const finished = () => {
      this.#busyOwners.delete(owner);
      this.#admit();
    };
    job
      .run(() => this.#pause())
      .then(
        () => {
          finished();
          job.done.resolve();
        },
        (err: unknown) => {
          finished();
          job.done.reject(err);
        },
      );
  }

  #pause(): Promise<void> {
    return new Promise((resolve) => {
      this.#pauses.push(resolve);
      this.#scheduleTurn();
    });
  }

  /** One waiting slice per turn: setImmediate runs after the loop has polled for I/O. */
  #scheduleTurn(): void {
    if (this.#turnScheduled) return;
    this.#turnScheduled = true;
    setImmediate(() => {
      this.#turnScheduled = false;
      this.#pauses.shift()?.();
      if (this.#pauses.length > 0) this.#scheduleTurn();
    });
  }
}
