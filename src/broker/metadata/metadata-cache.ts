import type { TopicRecord } from './topic-record.js';

/**
 * The broker's in-memory view of the cluster's topics (Kafka's MetadataCache): read synchronously
 * by request handlers, updated after each write to the MetadataStore.
 */
export class MetadataCache {
  readonly #byName = new Map<string, TopicRecord>();
  readonly #nameById = new Map<string, string>();

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
  }

  remove(name: string): void {
    const previous = this.#byName.get(name);
    if (!previous) return;
    this.#byName.delete(name);
    this.#nameById.delete(previous.topicId);
  }
}
