/** A partition of a topic, as the controller names it. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** One replica of a partition: the broker holding it (Kafka's PartitionAndReplica). */
export interface PartitionReplica extends TopicPartition {
  readonly replica: number;
}

export function formatPartition(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/**
 * Values by topic and partition. Nested maps rather than `topic-partition` string keys, which
 * are ambiguous (topic names may end in `-<digits>`), and because the controller often works on
 * all partitions of one topic.
 */
export class PartitionMap<V> {
  readonly #byTopic = new Map<string, Map<number, V>>();

  get(tp: TopicPartition): V | undefined {
    return this.#byTopic.get(tp.topic)?.get(tp.partition);
  }

  has(tp: TopicPartition): boolean {
    return this.#byTopic.get(tp.topic)?.has(tp.partition) ?? false;
  }

  set(tp: TopicPartition, value: V): void {
    let partitions = this.#byTopic.get(tp.topic);
    if (!partitions) this.#byTopic.set(tp.topic, (partitions = new Map()));
    partitions.set(tp.partition, value);
  }

  delete(tp: TopicPartition): void {
    const partitions = this.#byTopic.get(tp.topic);
    if (partitions?.delete(tp.partition) && partitions.size === 0) this.#byTopic.delete(tp.topic);
  }

  deleteTopic(topic: string): void {
    this.#byTopic.delete(topic);
  }

  clear(): void {
    this.#byTopic.clear();
  }

  /** The partitions of `topic` and their values, by partition number. */
  ofTopic(topic: string): ReadonlyMap<number, V> {
    return this.#byTopic.get(topic) ?? new Map();
  }

  *entries(): IterableIterator<[TopicPartition, V]> {
    for (const [topic, partitions] of this.#byTopic) {
      for (const [partition, value] of partitions) yield [{ topic, partition }, value];
    }
  }

  *values(): IterableIterator<V> {
    for (const partitions of this.#byTopic.values()) yield* partitions.values();
  }

  *keys(): IterableIterator<TopicPartition> {
    for (const [tp] of this.entries()) yield tp;
  }
}
