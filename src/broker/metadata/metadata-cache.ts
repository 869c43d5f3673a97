import type { TopicRecord } from './topic-record.js';

/** Where a broker listens, per listener name (upper-cased, as Kafka normalises them). */
export interface BrokerEndpoint {
  readonly listenerName: string;
  readonly host: string;
  readonly port: number;
}

/** A live broker as the cluster knows it (UpdateMetadata's LiveBrokers). */
export interface LiveBroker {
  readonly id: number;
  readonly rack: string | null;
  readonly endpoints: readonly BrokerEndpoint[];
}

/**
 * The broker's in-memory view of the cluster (Kafka's MetadataCache): topics, the live brokers and
 * the controller. Read synchronously by request handlers; a single broker updates it after each
 * write to its MetadataStore, a cluster member from the controller's UpdateMetadata.
 */
export class MetadataCache {
  readonly #byName = new Map<string, TopicRecord>();
  readonly #nameById = new Map<string, string>();
  #brokers = new Map<number, LiveBroker>();
  #controllerId = -1;
  #waiters: (() => void)[] = [];

  constructor(topics: Iterable<TopicRecord> = []) {
    for (const topic of topics) this.put(topic);
  }

  topic(name: string): TopicRecord | undefined {
    return this.#byName.get(name);
  }

  topicById(topicId: string): TopicRecord | undefined {
    const name = this.#nameById.get(topicId);
    return name === undefined ? undefined : this.#byName.get(name);
  }

  /** Every topic, sorted by name. */
  topics(): TopicRecord[] {
    return [...this.#byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  names(): IterableIterator<string> {
    return this.#byName.keys();
  }

  put(topic: TopicRecord): void {
    const previous = this.#byName.get(topic.name);
    if (previous) this.#nameById.delete(previous.topicId);
    this.#byName.set(topic.name, topic);
    this.#nameById.set(topic.topicId, topic.name);
    this.#changed();
  }

  /**
   * Resolves once `holds()` is true of the cache, checked now and after every change, or with false
   * after `timeoutMs` (admin requests in a cluster wait for the controller's UpdateMetadata).
   */
  async until(holds: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!holds()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  /** Replaces the live brokers and the controller id. */
  setBrokers(brokers: readonly LiveBroker[], controllerId: number): void {
    this.#brokers = new Map([...brokers].sort((a, b) => a.id - b.id).map((b) => [b.id, b]));
    this.#controllerId = controllerId;
    this.#changed();
  }

  /** Live brokers, by id. */
  liveBrokers(): LiveBroker[] {
    return [...this.#brokers.values()];
  }

  liveBroker(id: number): LiveBroker | undefined {
    return this.#brokers.get(id);
  }

  isBrokerAlive(id: number): boolean {
    return this.#brokers.has(id);
  }

  /** -1 when no controller is known. */
  get controllerId(): number {
    return this.#controllerId;
  }

  /** Where `brokerId` listens on `listenerName`, if it is alive and has that listener. */
  endpointOf(brokerId: number, listenerName: string): BrokerEndpoint | undefined {
    return this.#brokers.get(brokerId)?.endpoints.find((e) => e.listenerName === listenerName);
  }

  remove(name: string): void {
    const previous = this.#byName.get(name);
    if (!previous) return;
    this.#byName.delete(name);
    this.#nameById.delete(previous.topicId);
    this.#changed();
  }

  #changed(): void {
    if (this.#waiters.length === 0) return;
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
