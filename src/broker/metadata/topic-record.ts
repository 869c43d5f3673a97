/** One partition's placement and leadership (Kafka's ZooKeeper `/brokers/topics/<t>/partitions/<p>/state`). */
export interface PartitionState {
  readonly partition: number;
  /** Broker ids holding a replica, the preferred leader first. */
  readonly replicas: readonly number[];
  /** -1 when no replica is available. */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  /** Replicas on brokers that are down or whose log dir failed (cluster mode; none on a single broker). */
  readonly offlineReplicas?: readonly number[];
}

/** A topic as the cluster knows it: name, id, partitions and its config overrides. */
export interface TopicRecord {
  readonly name: string;
  /** Kafka's 22-character base64url Uuid text. */
  readonly topicId: string;
  readonly partitions: readonly PartitionState[];
  /** Topic-level config overrides, as given to CreateTopics / AlterConfigs. */
  readonly configs: Readonly<Record<string, string>>;
}
