import type { ReplicaManager } from '../partition/replica-manager.js';

interface Waiter {
  keys: readonly string[];
  remainingBytes: number;
  timer: NodeJS.Timeout;
  resolve(): void;
}

/**
 * Fetches waiting for data (Kafka's DelayedFetch purgatory): a waiter on some partitions wakes
 * once appends to them add up to its min_bytes, when one of them goes away, when max_wait_ms
 * passes, or when the broker shuts down.
 */
export class FetchPurgatory {
  readonly #waiters = new Map<string, Set<Waiter>>();
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(replicaManager: ReplicaManager) {
    this.#unsubscribe = replicaManager.addChangeListener((key, bytes) => this.#onChange(key, bytes));
  }

  /** Resolves (never rejects) when the fetch should be answered. `keys` are topic-partition keys. */
  wait(keys: readonly string[], minBytes: number, maxWaitMs: number): Promise<void> {
    if (this.#closed || keys.length === 0 || maxWaitMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        keys,
        remainingBytes: minBytes,
        timer: setTimeout(() => this.#complete(waiter), maxWaitMs),
        resolve,
      };
      for (const key of keys) {
        let set = this.#waiters.get(key);
        if (!set) this.#waiters.set(key, (set = new Set()));
        set.add(waiter);
      }
    });
  }

  /** Answers every waiting fetch now (shutdown); later waits return at once. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    for (const set of [...this.#waiters.values()]) for (const waiter of set) this.#complete(waiter);
  }

  #onChange(key: string, bytes: number): void {
    const set = this.#waiters.get(key);
    if (!set) return;
    for (const waiter of [...set]) {
      waiter.remainingBytes -= bytes;
      if (bytes === 0 || waiter.remainingBytes <= 0) this.#complete(waiter);
    }
  }

  #complete(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    for (const key of waiter.keys) {
      const set = this.#waiters.get(key);
      set?.delete(waiter);
      if (set?.size === 0) this.#waiters.delete(key);
    }
    waiter.resolve();
  }
}
