import type { Admin } from 'kafkajs';
import { filterTopics, topicPattern } from '../common/topic-filter.js';
import { topicCommandError } from './topic-errors.js';

/** TopicCommand.getTopics: all topics, sorted, filtered by the `--topic` regex and `--exclude-internal`. */
export async function matchingTopics(admin: Admin, topic: string | undefined, excludeInternal: boolean): Promise<string[]> {
  const all = (await admin.listTopics()).sort();
  return filterTopics(all, topic === undefined ? undefined : topicPattern(topic), excludeInternal);
}

/** TopicCommand.ensureTopicExists: a named topic that matched nothing is an error unless `--if-exists`. */
export function ensureFound(found: readonly string[], topic: string | undefined, ifExists: boolean): void {
  if (topic !== undefined && topic !== '' && !ifExists && found.length === 0) {
    throw topicCommandError(`Topic '${topic}' does not exist as expected`);
  }
}
