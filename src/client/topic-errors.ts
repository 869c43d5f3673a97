import { ErrorCode, errorName } from '../protocol/errors.js';

/**
 * What a topic-level Metadata error means to a client, in the Java client's words: Metadata
 * turns INVALID_TOPIC_EXCEPTION into `InvalidTopicException("Invalid topics: [name]")` and
 * TOPIC_AUTHORIZATION_FAILED into `TopicAuthorizationException("Not authorized to access topics: [name]")`.
 */
export function topicErrorText(code: number, topic: string): string {
  if (code === ErrorCode.INVALID_TOPIC_EXCEPTION) return `Invalid topics: [${topic}]`;
  if (code === ErrorCode.TOPIC_AUTHORIZATION_FAILED) return `Not authorized to access topics: [${topic}]`;
  return `${errorName(code) ?? `error code ${code}`} for topic '${topic}'`;
}
