import { ErrorCode, errorName } from '../../protocol/errors.js';

/** The Java exception Kafka's admin client raises for an error code, and the message it carries when the broker sent none. */
const EXCEPTIONS: ReadonlyMap<number, readonly [string, string]> = new Map([
  [
    ErrorCode.OFFSET_OUT_OF_RANGE,
    ['OffsetOutOfRangeException', 'The requested offset is not within the range of offsets maintained by the server.'],
  ],
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ['UnknownTopicOrPartitionException', 'This server does not host this topic-partition.']],
  [ErrorCode.POLICY_VIOLATION, ['PolicyViolationException', 'Request parameters do not satisfy the configured policy.']],
  [ErrorCode.INVALID_TOPIC_EXCEPTION, ['InvalidTopicException', 'The request attempted to perform an operation on an invalid topic.']],
  [ErrorCode.TOPIC_AUTHORIZATION_FAILED, ['TopicAuthorizationException', 'Topic authorization failed.']],
  [
    ErrorCode.NOT_LEADER_OR_FOLLOWER,
    [
      'NotLeaderOrFollowerException',
      'For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.',
    ],
  ],
]);

/** How Java prints such an exception: `org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset ...`. */
export function kafkaExceptionText(code: number): string {
  const known = EXCEPTIONS.get(code);
  return known ? `org.apache.kafka.common.errors.${known[0]}: ${known[1]}` : (errorName(code) ?? `error code ${code}`);
}
