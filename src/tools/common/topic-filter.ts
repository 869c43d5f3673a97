import { UsageError } from '../../util/errors.js';

/** Kafka's internal topics (`Topic.isInternal`). */
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);

export function isInternalTopic(name: string): boolean {
  return INTERNAL_TOPICS.has(name);
}

/**
 * Kafka's `TopicFilter.IncludeList`: commas become `|`, spaces and surrounding quotes are dropped
 * (property files bring them), and the result must match the whole topic name.
 */
export function topicPattern(raw: string): RegExp {
  const regex = raw
    .trim()
    .replaceAll(',', '|')
    .replaceAll(' ', '')
    .replace(/^["']+/, '')
    .replace(/["']+$/, '');
  try {
    return new RegExp(`^(?:${regex})$`);
  } catch {
    throw new UsageError(`Error: ${regex} is an invalid regex.`);
  }
}

/** Topics allowed by an optional include pattern, dropping internal topics when asked. */
export function filterTopics(topics: Iterable<string>, pattern: RegExp | undefined, excludeInternal: boolean): string[] {
  return [...topics].filter((t) => (pattern === undefined || pattern.test(t)) && !(excludeInternal && isInternalTopic(t)));
}
