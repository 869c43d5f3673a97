import type { Admin } from 'kafkajs';
import { ensureFound, matchingTopics } from './matching-topics.js';
import type { TopicsRequest } from './topics-options.js';

/** TopicCommand.deleteTopic: every topic the `--topic` regex matches; silent on success. */
export async function deleteTopics(admin: Admin, req: TopicsRequest): Promise<string[]> {
  const topics = await matchingTopics(admin, req.topic, req.excludeInternal);
  ensureFound(topics, req.topic, req.ifExists);
  if (topics.length > 0) await admin.deleteTopics({ topics });
  return topics;
}
