import { ErrorCode, errorName, type ErrorName } from '../protocol/errors.js';
import { type RecordError, RecordsError } from '../protocol/records/errors.js';
import { LogError } from './log/log-error.js';

/**
 * A refusal the broker answers with a Kafka error code and, where the response has room, a message
 * (and for Produce, the records to blame).
 */
export class ApiError extends Error {
  readonly code: number;

  constructor(
    readonly errorName: ErrorName,
    message: string,
    readonly recordErrors: readonly RecordError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = ErrorCode[errorName];
  }
}

/** LogError codes whose Kafka error has another name. */
const LOG_ERROR_NAMES: Partial<Record<LogError['code'], ErrorName>> = {
  // A replica that went away.
  LOG_CLOSED: 'NOT_LEADER_OR_FOLLOWER',
  // Kafka's RecordBatchTooLargeException.
  RECORD_BATCH_TOO_LARGE: 'RECORD_LIST_TOO_LARGE',
};

/**
 * Any thrown value as the error a response carries: ApiError as it is, a record validation error
 * by its code, a LogError by its Kafka name (a closed log is a replica that went away:
 * NOT_LEADER_OR_FOLLOWER; only a failing file system is KAFKA_STORAGE_ERROR), anything else
 * UNKNOWN_SERVER_ERROR.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof RecordsError) return new ApiError(errorName(err.errorCode) ?? 'CORRUPT_MESSAGE', err.message, err.recordErrors);
  if (err instanceof LogError) {
    const name = LOG_ERROR_NAMES[err.code] ?? err.code;
    return new ApiError(Object.hasOwn(ErrorCode, name) ? (name as ErrorName) : 'UNKNOWN_SERVER_ERROR', err.message);
  }
  return new ApiError('UNKNOWN_SERVER_ERROR', err instanceof Error ? err.message : String(err));
}
