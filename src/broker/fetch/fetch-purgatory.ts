import type { PartitionChange, ReplicaManager } from '../partition/replica-manager.js';

/**
 * What a fetch waits for: a follower for records appended to the leader's log, a consumer for
 * records becoming visible (the high watermark moving).
 */
export type FetchWaitKind = 'follower' | 'consumer';

interface Waiter {
  keys: readonly string[];
  kind: FetchWaitKind;
  remainingBytes: number;
  timer: NodeJS.Timeout;
  resolve(): void;
}

/**
 * Fetches waiting for data (Kafka's DelayedFetch purgatory): a follower's fetch wakes once appends
 * to its partitions add up to its min_bytes; a consumer's fetch wakes whenever one of its partitions'
 * high watermark moves (the fetch reads again and waits on if min_bytes is still not there). Both
 * wake when a partition stops being served here, when the wait is over, or at shutdown.
 */
export class FetchPurgatory {
  readonly #waiters = new Map<string, Set<Waiter>>();
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(replicaManager: ReplicaManager) {
    this.#unsubscribe = replicaManager.addChangeListener((key, change, bytes) => this.#onChange(key, change, bytes));
  }

  /** Resolves (never rejects) when the fetch should be answered. `keys` are topic-partition keys. */
  wait(keys: readonly string[], kind: FetchWaitKind, minBytes: number, maxWaitMs: number): Promise<void> {
    if (this.#closed || keys.length === 0 || maxWaitMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        keys,
        kind,
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

  /** After close(), waits return at once: a fetch answers with what it has. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Answers every waiting fetch now (shutdown); later waits return at once. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    for (const set of [...this.#waiters.values()]) for (const waiter of set) this.#complete(waiter);
  }

  #onChange(key: string, change: PartitionChange, bytes: number): void {
    const set = this.#waiters.get(key);
    if (!set) return;
    for (const waiter of [...set]) {
      if (change === 'stopped') this.#complete(waiter);
      else if (waiter.kind === 'consumer' && change === 'highWatermark') this.#complete(waiter);
      else if (waiter.kind === 'follower' && change === 'appended') {
        waiter.remainingBytes -= bytes;
        if (waiter.remainingBytes <= 0) this.#complete(waiter);
      }
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
