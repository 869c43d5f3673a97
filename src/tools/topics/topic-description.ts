/** What `--describe` knows about one partition (Kafka's TopicPartitionInfo plus reassignment). */
export interface PartitionInfo {
  partition: number;
  /** -1 or absent when the partition has no leader. */
  leader: number | null;
  replicas: number[];
  isr: number[];
  /** Present only while a reassignment is in progress. */
  reassignment?: { addingReplicas: number[]; removingReplicas: number[] };
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  isDefault: boolean;
}

export interface TopicDescription {
  name: string;
  /** Undefined when the client cannot learn it (kafkajs speaks Metadata v6, before topic ids). */
  topicId?: string;
  partitions: PartitionInfo[];
  configs: ConfigEntry[];
}
