import type { BrokerAddress } from '../../client/bootstrap.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { MetadataResponse } from '../../protocol/generated/apis/metadata.js';
import { filterTopics } from '../common/topic-filter.js';
import type { TopicPartitionFilter } from './partition-filter.js';
import type { PartitionFailure, TopicPartition } from './partition-offsets.js';

/** The partitions one broker leads. */
export interface LeaderRoute {
  leader: BrokerAddress;
  partitions: TopicPartition[];
}

/** GetOffsetShell.listPartitionInfos: every partition of the topics the filters let through. */
export function matchingPartitions(metadata: MetadataResponse, filter: TopicPartitionFilter, excludeInternal: boolean): TopicPartition[] {
  const names = metadata.topics.flatMap((t) => (t.name === null ? [] : [t.name]));
  const allowed = new Set(filterTopics(names, undefined, excludeInternal).filter((t) => filter.topicAllowed(t)));
  return metadata.topics.flatMap((t) =>
    t.name !== null && allowed.has(t.name)
      ? t.partitions.map((p) => ({ topic: t.name!, partition: p.partitionIndex })).filter((tp) => filter.partitionAllowed(tp.topic, tp.partition))
      : [],
  );
}

/**
 * Groups `partitions` by the leader `metadata` names, as Kafka's admin client batches ListOffsets.
 * Partitions without a known leader come back with the error the metadata implies.
 */
export function routeToLeaders(metadata: MetadataResponse, partitions: readonly TopicPartition[]): { routes: LeaderRoute[]; unrouted: PartitionFailure[] } {
  const brokers = new Map(metadata.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
  const topicErrors = new Map<string, number>();
  const leaders = new Map<string, number>();
  for (const t of metadata.topics) {
    if (t.name === null) continue;
    topicErrors.set(t.name, t.errorCode);
    for (const p of t.partitions) leaders.set(`${t.name}\0${p.partitionIndex}`, p.leaderId);
  }
  const routes = new Map<number, LeaderRoute>();
  const unrouted: PartitionFailure[] = [];
  for (const tp of partitions) {
    const leaderId = leaders.get(`${tp.topic}\0${tp.partition}`);
    const leader = leaderId === undefined ? undefined : brokers.get(leaderId);
    if (leader !== undefined) {
      const route = routes.get(leaderId!) ?? { leader, partitions: [] };
      route.partitions.push(tp);
      routes.set(leaderId!, route);
      continue;
    }
    const topicError = topicErrors.get(tp.topic) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    const errorCode =
      topicError !== ErrorCode.NONE ? topicError : leaderId === undefined ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.LEADER_NOT_AVAILABLE;
    unrouted.push({ ...tp, errorCode });
  }
  return { routes: [...routes.values()], unrouted };
}
