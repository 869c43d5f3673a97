import type { Partition } from '../partition/partition.js';
import type { BrokerLink } from './broker-link.js';
import { type FetchedPartition, type FetcherSettings, ReplicaFetcher } from './replica-fetcher.js';

export interface ReplicaFetcherManagerOptions {
  connect(leaderId: number): Promise<BrokerLink>;
  settings(): FetcherSettings;
  log(level: 'info' | 'warn', message: string): void;
}

/**
 * The follower side of the broker (Kafka's ReplicaFetcherManager): one fetcher per leader broker
 * (num.replica.fetchers is 1 here), partitions moved between them as leadership changes, a fetcher
 * with nothing left to copy stopped.
 */
export class ReplicaFetcherManager {
  readonly #fetchers = new Map<number, ReplicaFetcher>();
  /** Which fetcher copies each partition. */
  readonly #assigned = new Map<Partition, ReplicaFetcher>();
  /** After shutdown (the broker is stopping), a late LeaderAndIsr starts no fetcher. */
  #closed = false;

  constructor(private readonly options: ReplicaFetcherManagerOptions) {}

  /** Starts (or restarts, under a new leader epoch) copying `fetched.partition` from `leaderId`. */
  add(leaderId: number, fetched: FetchedPartition): void {
    this.remove(fetched.partition);
    if (this.#closed) return;
    let fetcher = this.#fetchers.get(leaderId);
    if (!fetcher) {
      fetcher = new ReplicaFetcher({ leaderId, ...this.options });
      this.#fetchers.set(leaderId, fetcher);
    }
    fetcher.add(fetched);
    this.#assigned.set(fetched.partition, fetcher);
  }

  /** Stops copying the partition (it became leader, or was stopped or deleted). */
  remove(partition: Partition): void {
    const fetcher = this.#assigned.get(partition);
    if (!fetcher) return;
    this.#assigned.delete(partition);
    fetcher.remove(partition);
    if (fetcher.size === 0) {
      this.#fetchers.delete(fetcher.leaderId);
      void fetcher.stop();
    }
  }

  async shutdown(): Promise<void> {
    this.#closed = true;
    const fetchers = [...this.#fetchers.values()];
    this.#fetchers.clear();
    this.#assigned.clear();
    await Promise.all(fetchers.map((f) => f.stop()));
  }
}
