/** What `--describe` knows about one partition (Kafka's TopicPartitionInfo plus reassignment). */
export interface PartitionInfo {
  partition: number;
  /** -1 or absent when the partition has no leader. */
  leader: number | null;
  replicas: number[];
  isr: number[];
  /** Eligible leader replicas (KIP-966); null when read through Metadata, which does not carry them. */
  elr: number[] | null;
  lastKnownElr: number[] | null;
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
  /** ZERO_UUID from brokers older than Metadata v10. */
  topicId: string;
  partitions: PartitionInfo[];
  configs: ConfigEntry[];
}
