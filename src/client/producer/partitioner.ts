import type { RecordHeader } from '../../protocol/records/record.js';
import { murmur2, toPositive } from './murmur2.js';

/** What partitioners see of a topic: its partition count and the partitions with a known leader. */
export interface TopicPartitions {
  readonly count: number;
  readonly available: readonly number[];
}

/** A record as a custom partitioner sees it (bytes as they will be sent). */
export interface PartitionerRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

/**
 * `partitioner.class`: called for every record without an explicit partition. Returns a
 * partition in [0, cluster.partitions); anything else fails that record.
 */
export type CustomPartitioner = (
  record: PartitionerRecord,
  cluster: { readonly partitions: number; readonly availablePartitions: readonly number[] },
) => number;

/** Kafka's choice for a keyed record: `toPositive(murmur2(key)) % partitions`, over all partitions. */
export function partitionForKey(key: Uint8Array, partitions: number): number {
  return toPositive(murmur2(key)) % partitions;
}

export class InvalidPartitionError extends Error {}

/** Kafka's check of an explicit partition (KafkaProducer.partition). */
export function checkExplicitPartition(partition: number, partitions: number): number {
  if (!Number.isInteger(partition) || partition < 0 || partition >= partitions) {
    throw new InvalidPartitionError(`Invalid partition given with record: ${partition} is not in the range [0...${partitions}].`);
  }
  return partition;
}

/** Kafka's check of what a custom partitioner returned. */
export function checkCustomPartition(partition: number, partitions: number): number {
  if (!Number.isInteger(partition) || partition < 0 || partition >= partitions) {
    throw new InvalidPartitionError(
      `The partitioner generated an invalid partition number: ${partition}. Partition number should always be non-negative and less than the number of partitions in the topic.`,
    );
  }
  return partition;
}

/** A non-negative random int32, as Utils.toPositive(ThreadLocalRandom.nextInt()). */
export type RandomInt = () => number;
const randomInt: RandomInt = () => Math.floor(Math.random() * 0x80000000);

/**
 * The built-in partitioner for records without key (KIP-480, as reworked by KIP-794): one topic
 * sticks to a partition until `batch.size` bytes went to it, then moves to a random partition
 * that has a leader. While the partition's last batch is still open the switch waits, up to
 * twice `batch.size`, so batches are not cut short by it. Adaptive weighting by queue sizes
 * (partitioner.adaptive.partitioning.enable) is not implemented: the choice is uniform.
 */
export class StickyPartitioner {
  private current = -1;
  private produced = 0;

  constructor(
    private readonly batchSize: number,
    private readonly random: RandomInt = randomInt,
  ) {}

  /** The partition the next keyless record goes to. */
  partition(topic: TopicPartitions): number {
    if (this.current < 0 || this.current >= topic.count) this.current = this.next(topic);
    return this.current;
  }

  /**
   * Counts `appendedBytes` towards the current partition; `batchClosed` says the partition has
   * no open batch left (its last batch is full or sent), which allows switching at `batch.size`.
   */
  appended(appendedBytes: number, topic: TopicPartitions, batchClosed: boolean): void {
    this.produced += appendedBytes;
    if ((this.produced >= this.batchSize && batchClosed) || this.produced >= this.batchSize * 2) {
      this.current = this.next(topic);
      this.produced = 0;
    }
  }

  private next(topic: TopicPartitions): number {
    const r = this.random();
    return topic.available.length > 0 ? topic.available[r % topic.available.length]! : r % topic.count;
  }
}
