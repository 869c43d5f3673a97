import type { MetadataResponse, MetadataResponseTopic } from '../../protocol/generated/apis/metadata.js';
import { filterTopics, isInternalTopic, topicPattern } from '../common/topic-filter.js';
import { MissingTopicError, topicCommandError } from './topic-errors.js';
import type { TopicsRequest } from './topics-options.js';

/** A topic as Metadata describes it, its name known. */
export type ClusterTopic = MetadataResponseTopic & { name: string };

/** TopicCommand.getTopics: all topics, sorted by name, filtered by the `--topic` regex and `--exclude-internal`. */
export function matchingTopics(metadata: MetadataResponse, topic: string | undefined, excludeInternal: boolean): ClusterTopic[] {
  const byName = new Map(metadata.topics.filter((t): t is ClusterTopic => t.name !== null).map((t) => [t.name, t]));
  const names = filterTopics([...byName.keys()].sort(), topic === undefined ? undefined : topicPattern(topic), excludeInternal);
  return names.map((name) => byName.get(name)!);
}

/**
 * The topics `--describe` and `--delete` act on: the one with `--topic-id` (which wins over
 * `--topic`, as in Kafka), else those `--topic` matches. Nothing found is an error unless `--if-exists`.
 */
export function selectTopics(metadata: MetadataResponse, req: TopicsRequest): ClusterTopic[] {
  if (req.topicId === undefined) {
    const found = matchingTopics(metadata, req.topic, req.excludeInternal);
    if (req.topic !== undefined && req.topic !== '' && !req.ifExists && found.length === 0) {
      throw new MissingTopicError(req.topic);
    }
    return found;
  }
  const found = metadata.topics.filter(
    (t): t is ClusterTopic => t.name !== null && t.topicId === req.topicId && !(req.excludeInternal && isInternalTopic(t.name)),
  );
  if (!req.ifExists && found.length === 0) throw topicCommandError(`TopicId '${req.topicId}' does not exist as expected`);
  return found;
}
