import { KtsError } from '../../util/errors.js';
import { ErrorCode, errorName } from '../../protocol/errors.js';

/** Kafka's messages (Errors.java) for the codes group commands and log dir moves meet; others print their name. */
const MESSAGES: ReadonlyMap<number, string> = new Map([
  [ErrorCode.UNKNOWN_SERVER_ERROR, 'The server experienced an unexpected error when processing the request.'],
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.'],
  [ErrorCode.OFFSET_METADATA_TOO_LARGE, 'The metadata field of the offset request was too large.'],
  [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, "The coordinator is loading and hence can't process requests."],
  [ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The coordinator is not available.'],
  [ErrorCode.NOT_COORDINATOR, 'This is not the correct coordinator.'],
  [ErrorCode.ILLEGAL_GENERATION, 'Specified group generation id is not valid.'],
  [ErrorCode.INVALID_GROUP_ID, 'The configured groupId is invalid.'],
  [ErrorCode.UNKNOWN_MEMBER_ID, 'The coordinator is not aware of this member.'],
  [ErrorCode.REBALANCE_IN_PROGRESS, 'The group is rebalancing, so a rejoin is needed.'],
  [ErrorCode.TOPIC_AUTHORIZATION_FAILED, 'Topic authorization failed.'],
  [ErrorCode.GROUP_AUTHORIZATION_FAILED, 'Group authorization failed.'],
  [ErrorCode.NON_EMPTY_GROUP, 'The group is not empty.'],
  [ErrorCode.GROUP_ID_NOT_FOUND, 'The group id does not exist.'],
  [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, 'Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.'],
  [ErrorCode.INVALID_TOPIC_EXCEPTION, 'The request attempted to perform an operation on an invalid topic.'],
  [ErrorCode.BROKER_NOT_AVAILABLE, 'The broker is not available.'],
  [ErrorCode.KAFKA_STORAGE_ERROR, 'Disk error when trying to access log file on the disk.'],
  [ErrorCode.LOG_DIR_NOT_FOUND, 'The user-specified log directory is not found in the broker config.'],
]);

export function kafkaErrorMessage(code: number): string {
  return MESSAGES.get(code) ?? errorName(code) ?? `error code ${code}`;
}

/**
 * Kafka's runtime failure line, `Error: Executing consumer group command failed due to <msg>`,
 * for anything but errors already worded for users.
 */
export function asConsumerGroupsError(err: unknown): unknown {
  if (err instanceof KtsError || !(err instanceof Error)) return err;
  return new KtsError(`Error: Executing consumer group command failed due to ${err.message}`);
}
