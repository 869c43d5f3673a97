import type { Cancel, Scheduler } from '../../../../src/broker/group/scheduler.js';

/** Deterministic time for coordinator tests: tasks run only when the test advances the clock. */
export class ManualScheduler implements Scheduler {
  #now = 1_000_000;
  #tasks: { at: number; seq: number; task: () => void }[] = [];
  #seq = 0;

  now(): number {
    return this.#now;
  }

  schedule(delayMs: number, task: () => void): Cancel {
    const entry = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, task };
    this.#tasks.push(entry);
    return () => {
      this.#tasks = this.#tasks.filter((t) => t !== entry);
    };
  }

  /** Moves time forward, running due tasks in time order (tasks scheduled meanwhile included). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#tasks.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#tasks = this.#tasks.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.task();
    }
    this.#now = end;
  }

  get pending(): number {
    return this.#tasks.length;
  }
}
