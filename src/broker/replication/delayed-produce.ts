import type { ErrorName } from '../../protocol/errors.js';
import { topicPartitionKey } from '../log/log-file-names.js';
import type { Partition } from '../partition/partition.js';
import type { ReplicaManager } from '../partition/replica-manager.js';

/** One partition of an acks=-1 produce, appended and waiting for its ISR. */
export interface ReplicationWait {
  partition: Partition;
  /** The offset after the appended batch: done once the high watermark reaches it. */
  requiredOffset: bigint;
}

interface Waiter {
  waits: readonly ReplicationWait[];
  results: (ErrorName | undefined)[];
  timer: NodeJS.Timeout;
  resolve(results: ErrorName[]): void;
}

/**
 * Produces with acks=-1 waiting for the ISR (Kafka's DelayedProduce purgatory): each partition is
 * re-checked when its high watermark moves or it stops being led here, and the request is
 * answered once every partition is done or its timeout passes (REQUEST_TIMED_OUT for the rest).
 */
export class ProducePurgatory {
  readonly #waiters = new Map<string, Set<Waiter>>();
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(replicaManager: ReplicaManager) {
    this.#unsubscribe = replicaManager.addChangeListener((key, change) => {
      if (change !== 'appended') this.#recheck(key);
    });
  }

  /**
   * Resolves with one error name per wait, in order (NONE, NOT_ENOUGH_REPLICAS_AFTER_APPEND,
   * NOT_LEADER_OR_FOLLOWER or REQUEST_TIMED_OUT); at once when all are already done.
   */
  wait(waits: readonly ReplicationWait[], timeoutMs: number): Promise<ErrorName[]> {
    return new Promise((resolve) => {
      const waiter: Waiter = { waits, results: waits.map(() => undefined), timer: undefined as unknown as NodeJS.Timeout, resolve };
      if (this.#check(waiter)) return;
      if (this.#closed) return this.#complete(waiter, 'NOT_LEADER_OR_FOLLOWER');
      waiter.timer = setTimeout(() => this.#complete(waiter, 'REQUEST_TIMED_OUT'), Math.max(0, timeoutMs));
      for (const key of this.#keys(waiter)) {
        let set = this.#waiters.get(key);
        if (!set) this.#waiters.set(key, (set = new Set()));
        set.add(waiter);
      }
    });
  }

  /** Shutdown: every waiting produce is answered NOT_LEADER_OR_FOLLOWER for what is not done, so clients retry elsewhere. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    for (const set of [...this.#waiters.values()]) for (const waiter of set) this.#complete(waiter, 'NOT_LEADER_OR_FOLLOWER');
  }

  #recheck(key: string): void {
    const set = this.#waiters.get(key);
    if (set) for (const waiter of [...set]) this.#check(waiter);
  }

  /** Records what is done; answers and returns true once everything is. */
  #check(waiter: Waiter): boolean {
    let pending = false;
    waiter.waits.forEach((w, i) => {
      if (waiter.results[i] !== undefined) return;
      const state = w.partition.replicationOf(w.requiredOffset);
      if (state.done) waiter.results[i] = state.error;
      else pending = true;
    });
    if (pending) return false;
    this.#complete(waiter, 'NONE');
    return true;
  }

  #complete(waiter: Waiter, rest: ErrorName): void {
    clearTimeout(waiter.timer);
    for (const key of this.#keys(waiter)) {
      const set = this.#waiters.get(key);
      set?.delete(waiter);
      if (set?.size === 0) this.#waiters.delete(key);
    }
    waiter.resolve(waiter.results.map((r) => r ?? rest));
  }

  #keys(waiter: Waiter): string[] {
    return waiter.waits.map((w) => topicPartitionKey(w.partition.topicPartition));
  }
}
