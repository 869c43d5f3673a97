/** Start and end (high watermark at start-up) of one partition, as offsets (int64 strings). */
export interface PartitionRange {
  start: string;
  end: string;
}

/**
 * `--exit-at-end`: done once every assigned partition has been read up to the end it had when
 * consumption began. Positions advance with each processed batch, including batches of control
 * records or aborted data that print nothing.
 */
export class EndTracker {
  private readonly remaining = new Set<string>();

  /** `ranges` is keyed by `partitionKey`. */
  constructor(private readonly ranges: ReadonlyMap<string, PartitionRange>) {}

  /** The partitions this member reads; those already at their end count as done. */
  assign(assigned: ReadonlyArray<{ topic: string; partition: number }>): void {
    this.remaining.clear();
    for (const { topic, partition } of assigned) {
      const key = partitionKey(topic, partition);
      const range = this.ranges.get(key);
      if (range !== undefined && BigInt(range.start) < BigInt(range.end)) this.remaining.add(key);
    }
  }

  /** Records that everything up to `offset` in the partition has been read. */
  reached(topic: string, partition: number, offset: string): void {
    const key = partitionKey(topic, partition);
    const range = this.ranges.get(key);
    if (range !== undefined && BigInt(offset) + 1n >= BigInt(range.end)) this.remaining.delete(key);
  }

  get done(): boolean {
    return this.remaining.size === 0;
  }
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}
