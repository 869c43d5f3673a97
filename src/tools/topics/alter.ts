import type { Admin } from 'kafkajs';
import { ensureFound, matchingTopics } from './matching-topics.js';
import { topicCommandError } from './topic-errors.js';
import type { TopicsRequest } from './topics-options.js';

/**
 * TopicCommand.alterTopic: raise the partition count of every matching topic to `--partitions`.
 * With `--replica-assignment`, entries past the current count place the new partitions.
 */
export async function alterTopics(admin: Admin, req: TopicsRequest & { partitions: number }): Promise<void> {
  const topics = await matchingTopics(admin, req.topic, req.excludeInternal);
  ensureFound(topics, req.topic, req.ifExists);
  if (topics.length === 0) return;
  const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
  const topicPartitions = metadata.map(({ name, partitions }) => {
    const current = partitions.length;
    if (req.partitions === current) throw topicCommandError(`Topic already has ${current} partition(s).`);
    if (req.partitions < current) {
      throw topicCommandError(`The topic ${name} currently has ${current} partition(s); ${req.partitions} would not be an increase.`);
    }
    const assignments = req.replicaAssignment?.slice(current);
    return { topic: name, count: req.partitions, ...(assignments ? { assignments } : {}) };
  });
  await admin.createPartitions({ topicPartitions });
}
