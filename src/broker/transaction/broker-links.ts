import type { BrokerLink } from '../replication/broker-link.js';

/**
 * Connections to other brokers by id, opened on first use and reopened after a failure: the
 * transaction coordinator's markers and the partition leaders' verification requests (KIP-890)
 * each keep one per broker, as Kafka's inter-broker send threads do.
 */
export class BrokerLinks {
  readonly #links = new Map<number, Promise<BrokerLink>>();
  #closed = false;

  constructor(private readonly connect: (brokerId: number) => Promise<BrokerLink>) {}

  get(brokerId: number): Promise<BrokerLink> {
    if (this.#closed) return Promise.reject(new Error('closed'));
    const open = this.#links.get(brokerId);
    if (open) {
      return open.then((link) => {
        if (!link.failed) return link;
        this.#links.delete(brokerId);
        return this.get(brokerId);
      });
    }
    const link = this.connect(brokerId);
    this.#links.set(brokerId, link);
    link.catch(() => this.#links.delete(brokerId));
    return link;
  }

  /** Drops a connection a request failed on: the next request opens a new one. */
  drop(brokerId: number): void {
    const link = this.#links.get(brokerId);
    this.#links.delete(brokerId);
    void link?.then(
      (l) => l.close(),
      () => {},
    );
  }

  close(): void {
    this.#closed = true;
    for (const id of [...this.#links.keys()]) this.drop(id);
  }
}
