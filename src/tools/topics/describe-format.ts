import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { ConfigEntry, PartitionInfo, TopicDescription } from './topic-description.js';

/**
 * The summary line of `kafka-topics.sh --describe` (TopicCommand.TopicDescription), without the
 * newline. The replication factor is the first partition's, minus replicas being added.
 */
export function topicLine(topic: TopicDescription): string {
  const first = sortedPartitions(topic)[0];
  let line = `Topic: ${topic.name}`;
  if (topic.topicId !== ZERO_UUID) line += `\tTopicId: ${topic.topicId}`;
  line += `\tPartitionCount: ${topic.partitions.length}`;
  line += `\tReplicationFactor: ${first === undefined ? 0 : replicationFactor(first)}`;
  line += `\tConfigs: ${overrides(topic.configs)
    .map((c) => `${c.name}=${c.value}`)
    .join(',')}`;
  return line;
}

/**
 * One partition line (TopicCommand.PartitionDescription). The ELR lists print `N/A` when the
 * partitions came from Metadata, which does not carry them.
 */
export function partitionLine(topic: string, p: PartitionInfo): string {
  let line = `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${hasLeader(p) ? p.leader : 'none'}`;
  line += `\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}`;
  if (p.reassignment !== undefined) {
    line += `\tAdding Replicas: ${p.reassignment.addingReplicas.join(',')}`;
    line += `\tRemoving Replicas: ${p.reassignment.removingReplicas.join(',')}`;
  }
  return `${line}\tElr: ${elrText(p.elr)}\tLastKnownElr: ${elrText(p.lastKnownElr)}`;
}

function elrText(ids: readonly number[] | null): string {
  return ids === null ? 'N/A' : ids.join(',');
}

export function sortedPartitions(topic: TopicDescription): PartitionInfo[] {
  return [...topic.partitions].sort((a, b) => a.partition - b.partition);
}

export function overrides(configs: readonly ConfigEntry[]): ConfigEntry[] {
  return configs.filter((c) => !c.isDefault);
}

export function hasLeader(p: PartitionInfo): p is PartitionInfo & { leader: number } {
  return p.leader !== null && p.leader >= 0;
}

/** Kafka counts a partition under reassignment by its target replicas minus those being added. */
export function replicationFactor(p: PartitionInfo): number {
  return p.replicas.length - (p.reassignment?.addingReplicas.length ?? 0);
}
