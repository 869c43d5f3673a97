/**
 * Why the log refused an operation. Codes carrying a Kafka error name map one to one onto the
 * protocol's error code; `LOG_CLOSED` means the partition's log is gone (deleted or shut down) and
 * the broker answers NOT_LEADER_OR_FOLLOWER, as Kafka does for a replica that went away.
 */
export type LogErrorCode =
  | 'OFFSET_OUT_OF_RANGE'
  | 'RECORD_BATCH_TOO_LARGE'
  | 'CORRUPT_MESSAGE'
  | 'INVALID_CONFIG'
  | 'UNEXPECTED_APPEND_OFFSET'
  | 'LOG_CLOSED'
  | 'INCONSISTENT_BROKER_ID'
  | 'INCONSISTENT_CLUSTER_ID'
  | 'CORRUPT_CHECKPOINT'
  | 'INVALID_TOPIC_EXCEPTION'
  | 'KAFKA_STORAGE_ERROR'
  | 'INVALID_PRODUCER_EPOCH'
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER'
  | 'INVALID_TXN_STATE'
  | 'TRANSACTION_COORDINATOR_FENCED';

export class LogError extends Error {
  constructor(
    readonly code: LogErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LogError';
  }
}
