import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { throwIfFailed, topicCommandError } from './topic-errors.js';
import { validateTopicName } from './topic-name.js';
import type { TopicsCluster } from './topics-cluster.js';
import type { TopicsRequest } from './topics-options.js';

export type CreateOutcome = 'created' | 'exists';

/** Kafka's NewTopic default: the broker's num.partitions / default.replication.factor. */
const BROKER_DEFAULT = -1;

/**
 * TopicCommand.createTopic: CreateTopics to the controller, failing with the broker's message.
 * A replication factor beyond the brokers is reworded as a KRaft controller says it.
 */
export async function createTopic(cluster: TopicsCluster, req: TopicsRequest & { topic: string }): Promise<CreateOutcome> {
  validateTopicName(req.topic);
  const controller = await cluster.controller();
  const response = await controller.request(ApiKey.CreateTopics, {
    topics: [
      {
        name: req.topic,
        numPartitions: req.replicaAssignment ? BROKER_DEFAULT : (req.partitions ?? BROKER_DEFAULT),
        replicationFactor: req.replicaAssignment ? BROKER_DEFAULT : (req.replicationFactor ?? BROKER_DEFAULT),
        assignments: (req.replicaAssignment ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
        configs: [...req.configs].map(([name, value]) => ({ name, value })),
      },
    ],
    timeoutMs: cluster.requestTimeoutMs,
    validateOnly: false,
  });
  const result = response.topics.find((t) => t.name === req.topic);
  if (result === undefined) throw topicCommandError(`the controller did not answer for topic '${req.topic}'`);
  if (result.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS && req.ifNotExists) return 'exists';
  throwIfFailed(result);
  return 'created';
}
