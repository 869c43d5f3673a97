import { kafkaExceptionText } from '../common/kafka-exceptions.js';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface PartitionOffset extends TopicPartition {
  offset: string;
}

/** A partition whose lookup failed, and Kafka's error code for why. */
export interface PartitionFailure extends TopicPartition {
  errorCode: number;
}

/** Kafka sorts by TopicPartition.toString(), `topic-partition`, so `t-10` comes before `t-2`. */
export function sortLikeKafka<T extends TopicPartition>(items: readonly T[]): T[] {
  const key = (o: TopicPartition): string => `${o.topic}-${o.partition}`;
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function offsetLines(offsets: readonly PartitionOffset[]): string {
  return offsets.map((o) => `${o.topic}:${o.partition}:${o.offset}\n`).join('');
}

/** GetOffsetShell's stderr line for a partition it leaves out because its lookup failed. */
export function skipLines(failures: readonly PartitionFailure[]): string {
  return failures
    .map((f) => `Skip getting offsets for topic-partition ${f.topic}-${f.partition} due to error: ${kafkaExceptionText(f.errorCode)}\n`)
    .join('');
}
