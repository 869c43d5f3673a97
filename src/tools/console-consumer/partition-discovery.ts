import type { PartitionFetcher, TopicPartition } from '../../client/consumer/partition-fetcher.js';
import { filterTopics } from '../common/topic-filter.js';
import type { ConsumeSession } from './consume-session.js';
import type { ConsumeRequest } from './consumer-options.js';
import { partitionKey } from './end-tracker.js';

/**
 * The partitions of the request's topics the cluster has now, from one Metadata request (a
 * --topic the broker may auto-create). Kafka's pattern subscription leaves internal topics out (unless exclude.internal.topics=false).
 */
export async function currentPartitions(req: ConsumeRequest, fetcher: PartitionFetcher): Promise<TopicPartition[]> {
  const { source } = req;
  const counts = await fetcher.topicPartitionCounts('topic' in source ? [source.topic] : null);
  const topics = 'topic' in source ? [...counts.keys()] : filterTopics([...counts.keys()].sort(), source.include, source.excludeInternal);
  return topics.flatMap((topic) => Array.from({ length: counts.get(topic)! }, (_, partition) => ({ topic, partition })));
}

/**
 * Kafka's pattern subscription: looks again every metadata.max.age.ms until a topic matches.
 * Empty when the session stopped first (a signal, --timeout-ms).
 */
export async function waitForMatch(
  req: ConsumeRequest,
  fetcher: PartitionFetcher,
  session: ConsumeSession,
  maxAgeMs: number,
): Promise<TopicPartition[]> {
  let partitions = await currentPartitions(req, fetcher);
  while (partitions.length === 0 && (await pause(maxAgeMs, session))) partitions = await currentPartitions(req, fetcher);
  return partitions;
}

/**
 * Every metadata.max.age.ms until the session stops, starts reading (from auto.offset.reset) the
 * partitions that appeared since: new matching topics, added partitions, as the group path's
 * rejoin does. Partitions missing from one answer are kept, since a topic in leader election is
 * missing from it too; the fetch deals with deleted topics.
 */
export async function followNewPartitions(
  req: ConsumeRequest,
  fetcher: PartitionFetcher,
  session: ConsumeSession,
  reading: readonly TopicPartition[],
  maxAgeMs: number,
): Promise<void> {
  const known = new Set(reading.map((p) => partitionKey(p.topic, p.partition)));
  while (await pause(maxAgeMs, session)) {
    // A failed look is retried at the next one; a lost cluster shows in the fetch itself.
    const now = await currentPartitions(req, fetcher).catch(() => []);
    if (session.stopping) return;
    const added = now.filter((p) => !known.has(partitionKey(p.topic, p.partition)));
    for (const p of added) known.add(partitionKey(p.topic, p.partition));
    if (added.length > 0) fetcher.assign(added, { kind: req.offsetReset });
  }
}

/** Waits `ms`; false when the session stopped first. */
function pause(ms: number, session: ConsumeSession): Promise<boolean> {
  if (session.stopping) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    void session.finished.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
