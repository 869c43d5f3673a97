/** Cancels a scheduled task; calling it after the task ran does nothing. */
export type Cancel = () => void;

/** Time source and one-shot timers of the coordinator, injectable so tests control time. */
export interface Scheduler {
  now(): number;
  schedule(delayMs: number, task: () => void): Cancel;
}

/** Wall-clock time and unref'd Node timers: the coordinator never keeps a process alive by itself. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  schedule(delayMs, task) {
    const timer = setTimeout(task, Math.max(0, delayMs));
    timer.unref();
    return () => clearTimeout(timer);
  },
};
