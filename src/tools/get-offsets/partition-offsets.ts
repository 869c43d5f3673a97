export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/** Kafka sorts by TopicPartition.toString(), `topic-partition`, so `t-10` comes before `t-2`. */
export function sortLikeKafka(offsets: readonly PartitionOffset[]): PartitionOffset[] {
  const key = (o: PartitionOffset): string => `${o.topic}-${o.partition}`;
  return [...offsets].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function offsetLines(offsets: readonly PartitionOffset[]): string {
  return offsets.map((o) => `${o.topic}:${o.partition}:${o.offset}\n`).join('');
}
