import { ErrorCode } from '../protocol/errors.js';
import type { MetadataResponse } from '../protocol/generated/apis/metadata.js';
import type { BrokerAddress } from './bootstrap.js';

type Partitioned = { topic: string; partition: number };

/** The partitions one broker leads. */
export interface LeaderRoute<T extends Partitioned = Partitioned> {
  leader: BrokerAddress;
  partitions: T[];
}

/**
 * Groups `partitions` by the leader `metadata` names, as Kafka's admin client batches requests that
 * only a leader answers (ListOffsets, DeleteRecords). Partitions without a known leader come back
 * with the error the metadata implies.
 */
export function routeToLeaders<T extends Partitioned>(
  metadata: MetadataResponse,
  partitions: readonly T[],
): { routes: LeaderRoute<T>[]; unrouted: (T & { errorCode: number })[] } {
  const brokers = new Map(metadata.brokers.map((b) => [b.nodeId, { host: b.host, port: b.port }]));
  const topicErrors = new Map<string, number>();
  const leaders = new Map<string, number>();
  for (const t of metadata.topics) {
    if (t.name === null) continue;
    topicErrors.set(t.name, t.errorCode);
    for (const p of t.partitions) leaders.set(`${t.name}\0${p.partitionIndex}`, p.leaderId);
  }
  const routes = new Map<number, LeaderRoute<T>>();
  const unrouted: (T & { errorCode: number })[] = [];
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
      topicError !== ErrorCode.NONE
        ? topicError
        : leaderId === undefined
          ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
          : ErrorCode.LEADER_NOT_AVAILABLE;
    unrouted.push({ ...tp, errorCode });
  }
  return { routes: [...routes.values()], unrouted };
}
