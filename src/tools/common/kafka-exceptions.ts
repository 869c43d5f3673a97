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

/** Error names whose Java exception is not the name in camel case plus `Exception` (Kafka's Errors enum). */
const EXCEPTION_CLASSES: ReadonlyMap<string, string> = new Map([
  ['MESSAGE_TOO_LARGE', 'RecordTooLargeException'],
  ['RECORD_LIST_TOO_LARGE', 'RecordBatchTooLargeException'],
  ['CORRUPT_MESSAGE', 'CorruptRecordException'],
  ['REQUEST_TIMED_OUT', 'TimeoutException'],
  ['NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'NotEnoughReplicasAfterAppendException'],
  ['UNKNOWN_SERVER_ERROR', 'UnknownServerException'],
  ['INVALID_REQUIRED_ACKS', 'InvalidRequiredAcksException'],
  ['OUT_OF_ORDER_SEQUENCE_NUMBER', 'OutOfOrderSequenceException'],
]);

/**
 * The class of the Java exception a client raises for `code` (`org.apache.kafka.common.errors.X`),
 * `TimeoutException` for a timeout, Kafka's base `KafkaException` for anything else.
 */
export function javaExceptionClass(code: number | null, timeout = false): string {
  if (timeout) return 'org.apache.kafka.common.errors.TimeoutException';
  const name = code === null ? undefined : errorName(code);
  if (name === undefined) return 'org.apache.kafka.common.KafkaException';
  const known = EXCEPTION_CLASSES.get(name);
  if (known !== undefined) return `org.apache.kafka.common.errors.${known}`;
  const stem = name.replace(/_(EXCEPTION|ERROR)$/, '').replace(/_FAILED$/, '');
  const camel = stem
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `org.apache.kafka.common.errors.${camel}Exception`;
}
