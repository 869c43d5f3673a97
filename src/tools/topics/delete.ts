import { commonVersion } from '../../client/api-versions.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { selectTopics } from './matching-topics.js';
import { throwIfFailed } from './topic-errors.js';
import type { TopicsCluster } from './topics-cluster.js';
import type { TopicsRequest } from './topics-options.js';

/** DeleteTopics v6 names a topic by id; older brokers only by name. */
const DELETE_BY_ID_VERSION = 6;

/**
 * TopicCommand.deleteTopic: every selected topic, deleted by the controller; silent on success.
 * With `--topic-id` the id itself goes to brokers that take ids, so a topic re-created under the
 * same name meanwhile is left alone.
 */
export async function deleteTopics(cluster: TopicsCluster, req: TopicsRequest): Promise<string[]> {
  const metadata = await cluster.metadata();
  const topics = selectTopics(metadata, req);
  if (topics.length === 0) return [];
  const controller = await cluster.controller(metadata);
  const byId = req.topicId !== undefined && (commonVersion(controller.versions, ApiKey.DeleteTopics) ?? 0) >= DELETE_BY_ID_VERSION;
  const response = await controller.request(ApiKey.DeleteTopics, {
    topics: topics.map((t) => (byId ? { name: null, topicId: t.topicId } : { name: t.name, topicId: ZERO_UUID })),
    topicNames: topics.map((t) => t.name),
    timeoutMs: cluster.requestTimeoutMs,
  });
  for (const result of response.responses) throwIfFailed(result);
  return topics.map((t) => t.name);
}
