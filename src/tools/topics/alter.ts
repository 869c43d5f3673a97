import { ApiKey } from '../../protocol/generated/api-info.js';
import { selectTopics } from './matching-topics.js';
import { throwIfFailed, topicCommandError } from './topic-errors.js';
import type { TopicsCluster } from './topics-cluster.js';
import type { TopicsRequest } from './topics-options.js';

/**
 * TopicCommand.alterTopic: raise the partition count of every matching topic to `--partitions`
 * (CreatePartitions to the controller). With `--replica-assignment`, entries past the current
 * count place the new partitions.
 */
export async function alterTopics(cluster: TopicsCluster, req: TopicsRequest & { partitions: number }): Promise<void> {
  const metadata = await cluster.metadata();
  const topics = selectTopics(metadata, req);
  if (topics.length === 0) return;
  const requested = topics.map(({ name, partitions }) => {
    const current = partitions.length;
    // KRaft controllers' wording, checked here so every cluster answers alike.
    if (req.partitions === current) throw topicCommandError(`Topic already has ${current} partition(s).`);
    if (req.partitions < current) {
      throw topicCommandError(`The topic ${name} currently has ${current} partition(s); ${req.partitions} would not be an increase.`);
    }
    const assignments = req.replicaAssignment?.slice(current).map((brokerIds) => ({ brokerIds })) ?? null;
    return { name, count: req.partitions, assignments };
  });
  const controller = await cluster.controller(metadata);
  const response = await controller.request(ApiKey.CreatePartitions, {
    topics: requested,
    timeoutMs: cluster.requestTimeoutMs,
    validateOnly: false,
  });
  for (const result of response.results) throwIfFailed(result);
}
