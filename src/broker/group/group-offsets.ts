/** A committed offset as the coordinator keeps it (Kafka's OffsetAndMetadata). */
export interface CommittedOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Set only when the committer asked for a retention (OffsetCommit v2-4); else -1. */
  expireTimestamp: number;
}

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

function keyOf(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

/** One group's committed offsets, keyed by topic partition. */
export class GroupOffsets {
  readonly #offsets = new Map<string, TopicPartitionRef & { committed: CommittedOffset }>();

  get size(): number {
    return this.#offsets.size;
  }

  get(topic: string, partition: number): CommittedOffset | undefined {
    return this.#offsets.get(keyOf(topic, partition))?.committed;
  }

  set(topic: string, partition: number, committed: CommittedOffset): void {
    this.#offsets.set(keyOf(topic, partition), { topic, partition, committed });
  }

  delete(topic: string, partition: number): boolean {
    return this.#offsets.delete(keyOf(topic, partition));
  }

  clear(): void {
    this.#offsets.clear();
  }

  *entries(): IterableIterator<TopicPartitionRef & { committed: CommittedOffset }> {
    yield* this.#offsets.values();
  }

  topics(): Set<string> {
    return new Set([...this.#offsets.values()].map((e) => e.topic));
  }

  /**
   * Offsets past their retention (KIP-211): an explicit expire timestamp wins; otherwise an
   * offset expires `retentionMs` after `baseTimestamp(offset)`, for the offsets `eligible` picks.
   */
  expired(
    now: number,
    retentionMs: number,
    eligible: (topic: string) => boolean,
    baseTimestamp: (committed: CommittedOffset) => number,
  ): TopicPartitionRef[] {
    const expired: TopicPartitionRef[] = [];
    for (const { topic, partition, committed } of this.#offsets.values()) {
      if (!eligible(topic)) continue;
      const isExpired = committed.expireTimestamp >= 0 ? now >= committed.expireTimestamp : now - baseTimestamp(committed) >= retentionMs;
      if (isExpired) expired.push({ topic, partition });
    }
    return expired;
  }
}
