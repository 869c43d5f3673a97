import { LATEST_TIMESTAMP } from '../../client/consumer/list-offsets.js';
import type { PartitionFetcher, PartitionOffset, TopicPartition } from '../../client/consumer/partition-fetcher.js';

/**
 * `--exit-at-end`: done once every assigned partition has been read up to the end it had when
 * consumption began. Positions advance with each processed fetch, including data of control
 * records or aborted transactions that prints nothing.
 */
export class EndTracker {
  private readonly remaining = new Set<string>();

  /** `ends`: each partition's end offset at start (high watermark, LSO under read_committed), by `partitionKey`. */
  constructor(private readonly ends: ReadonlyMap<string, bigint>) {}

  /** The partitions read from now on and where each starts; those already at their end count as done. */
  assign(starts: readonly PartitionOffset[]): void {
    this.remaining.clear();
    for (const { topic, partition, offset } of starts) {
      const key = partitionKey(topic, partition);
      const end = this.ends.get(key);
      if (end !== undefined && offset < end) this.remaining.add(key);
    }
  }

  /** Everything before `nextOffset` in the partition has been read. */
  reached(topic: string, partition: number, nextOffset: bigint): void {
    const key = partitionKey(topic, partition);
    const end = this.ends.get(key);
    if (end !== undefined && nextOffset >= end) this.remaining.delete(key);
  }

  get done(): boolean {
    return this.remaining.size === 0;
  }
}

/** The end offsets of `partitions` now (ListOffsets latest), by `partitionKey`. */
export async function endOffsets(fetcher: PartitionFetcher, partitions: readonly TopicPartition[]): Promise<Map<string, bigint>> {
  const ends = await fetcher.offsets(partitions, LATEST_TIMESTAMP);
  return new Map(ends.map((e) => [partitionKey(e.topic, e.partition), e.offset]));
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}
