import type { Admin, ITopicConfig } from 'kafkajs';
import { kafkaErrorTypes, topicCommandError } from './topic-errors.js';
import { collidingTopics, hasCollisionChars, validateTopicName } from './topic-name.js';
import type { TopicsRequest } from './topics-options.js';

export type CreateOutcome = 'created' | 'exists';

/**
 * TopicCommand.createTopic. kafkajs reports error codes without the broker's message, so the
 * messages users see from Kafka are rebuilt here from the code and what we know.
 */
export async function createTopic(admin: Admin, req: TopicsRequest & { topic: string }): Promise<CreateOutcome> {
  validateTopicName(req.topic);
  const config: ITopicConfig = {
    topic: req.topic,
    ...(req.partitions !== undefined ? { numPartitions: req.partitions } : {}),
    ...(req.replicationFactor !== undefined ? { replicationFactor: req.replicationFactor } : {}),
    ...(req.replicaAssignment
      ? { replicaAssignment: req.replicaAssignment.map((replicas, partition) => ({ partition, replicas })) }
      : {}),
    configEntries: [...req.configs].map(([name, value]) => ({ name, value })),
  };
  let created: boolean;
  try {
    created = await admin.createTopics({ topics: [config], waitForLeaders: true });
  } catch (err) {
    throw await explain(admin, req, err);
  }
  if (created) return 'created';
  if (req.ifNotExists) return 'exists';
  throw topicCommandError(`Topic '${req.topic}' already exists.`);
}

async function explain(admin: Admin, req: TopicsRequest & { topic: string }, err: unknown): Promise<unknown> {
  const types = kafkaErrorTypes(err);
  if (types.includes('INVALID_REPLICATION_FACTOR') && req.replicationFactor !== undefined) {
    const brokers = (await admin.describeCluster()).brokers.length;
    const rf = req.replicationFactor;
    return topicCommandError(
      `Unable to replicate the partition ${rf} time(s): The target replication factor of ${rf} cannot be reached because only ${brokers} broker(s) are registered.`,
    );
  }
  if (types.includes('INVALID_PARTITIONS')) {
    return topicCommandError('Number of partitions was set to an invalid non-positive value.');
  }
  if (types.includes('INVALID_TOPIC_EXCEPTION') && hasCollisionChars(req.topic)) {
    const colliding = collidingTopics(req.topic, await admin.listTopics());
    if (colliding.length > 0) return topicCommandError(`Topic '${req.topic}' collides with existing topics: ${colliding.join(', ')}`);
  }
  return err;
}
