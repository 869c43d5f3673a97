/** A background loop's pause that new work (or stopping) can cut short. */
export class WakeableSleep {
  #wake: (() => void) | undefined;

  /** Resolves after `ms`, or at once when wake() is called meanwhile. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.#wake = done;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  wake(): void {
    this.#wake?.();
  }
}
