import type { BrokerContext } from './broker-context.js';
import { INTERNAL_TOPICS } from '../metadata/topic-name.js';
import type { PartitionState, TopicRecord } from '../metadata/topic-record.js';

/** A topic's identity as Metadata and DescribeTopicPartitions answer it. */
export function topicView(topic: TopicRecord): { name: string; topicId: string; isInternal: boolean } {
  return { name: topic.name, topicId: topic.topicId, isInternal: INTERNAL_TOPICS.has(topic.name) };
}

export interface PartitionView {
  partitionIndex: number;
  leaderId: number;
  leaderEpoch: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
}

/**
 * A partition's leadership and replicas as Metadata and DescribeTopicPartitions answer them.
 * Offline replicas are those the controller recorded and `localOffline`, this broker's replicas in
 * a log dir that failed; a leader among them leads no more (-1, as Kafka's controller leaves a
 * partition whose only replica went offline).
 */
export function partitionView(p: PartitionState, localOffline: readonly number[] = []): PartitionView {
  const offline = [...new Set([...(p.offlineReplicas ?? []), ...localOffline])];
  return {
    partitionIndex: p.partition,
    leaderId: offline.includes(p.leader) ? -1 : p.leader,
    leaderEpoch: p.leaderEpoch,
    replicaNodes: [...p.replicas],
    isrNodes: [...p.isr],
    offlineReplicas: offline,
  };
}

/** The replicas of `topic`'s partition that this broker hosts in a failed log dir: this broker, or none. */
export function offlineReplicas(broker: BrokerContext, topic: string, partition: number): number[] {
  return broker.replicaManager.isOffline(topic, partition) ? [broker.brokerId] : [];
}
