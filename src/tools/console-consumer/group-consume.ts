import { GroupConsumer, type Subscription } from '../../client/consumer/group/group-consumer.js';
import type { PartitionFetcher, TopicPartition } from '../../client/consumer/partition-fetcher.js';
import { filterTopics, isInternalTopic } from '../common/topic-filter.js';
import type { ConsumeJob } from './consume-job.js';
import type { ConsumeRequest } from './consumer-options.js';
import { EndTracker, endOffsets } from './end-tracker.js';
import { runNative } from './native-run.js';
import { printRecords } from './print-records.js';

/**
 * `--group` (or group.id): consumes as a member of the group with kts's own group client
 * (joining, rebalancing, committed offsets, auto-commit, LeaveGroup on exit).
 */
export function consumeInGroup(job: ConsumeJob, group: { id: string; autoCommit: boolean }): Promise<void> {
  const { request: req } = job;
  return runNative(
    job,
    (options) => GroupConsumer.open({ ...options, group: { ...job.group, groupId: group.id, autoCommit: group.autoCommit } }),
    async (consumer, session) => {
      if (req.maxMessages === 0) return undefined;
      const tracker = req.exitAtEnd
        ? new EndTracker(await endOffsets(consumer.fetcher, await subscribedPartitions(req, consumer.fetcher)))
        : undefined;
      consumer.subscribe(subscription(req), (positions) => {
        if (tracker === undefined) return;
        tracker.assign(positions);
        if (tracker.done) session.stop();
      });
      return printRecords(consumer, session, tracker);
    },
  );
}

/** Kafka's pattern subscription leaves internal topics out (unless exclude.internal.topics=false). */
function subscription(req: ConsumeRequest): Subscription {
  const { source } = req;
  return 'topic' in source
    ? { topics: [source.topic] }
    : { matches: (topic) => source.include.test(topic) && !(source.excludeInternal && isInternalTopic(topic)) };
}

/** For --exit-at-end: every partition of the subscribed topics now. */
async function subscribedPartitions(req: ConsumeRequest, fetcher: PartitionFetcher): Promise<TopicPartition[]> {
  const { source } = req;
  const topics = 'topic' in source ? [source.topic] : filterTopics(await fetcher.listTopics(), source.include, source.excludeInternal);
  const counts = await fetcher.partitionCounts(topics);
  return topics.flatMap((topic) => Array.from({ length: counts.get(topic)! }, (_, partition) => ({ topic, partition })));
}
