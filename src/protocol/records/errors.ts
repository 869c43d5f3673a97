import { ErrorCode } from '../errors.js';
import { ProtocolError } from '../primitives/protocol-error.js';

/** The Kafka error codes record data is rejected with. */
export type RecordErrorCode =
  | typeof ErrorCode.CORRUPT_MESSAGE
  | typeof ErrorCode.INVALID_RECORD
  | typeof ErrorCode.INVALID_TIMESTAMP
  | typeof ErrorCode.MESSAGE_TOO_LARGE
  | typeof ErrorCode.UNSUPPORTED_COMPRESSION_TYPE
  | typeof ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT;

/** One refused record of a produced batch: Produce v8+ `record_errors` (KIP-467). */
export interface RecordError {
  /** The record's position in its batch, from 0. */
  batchIndex: number;
  message: string;
}

/**
 * Bad record data. It is a ProtocolError so one `catch` covers frames and records; `errorCode`
 * is what a Produce response carries for the partition, `recordErrors` the records to blame.
 */
export class RecordsError extends ProtocolError {
  constructor(
    readonly errorCode: RecordErrorCode,
    message: string,
    readonly recordErrors: readonly RecordError[] = [],
  ) {
    super('INVALID_VALUE', message);
    this.name = 'RecordsError';
  }
}

/**
 * Runs `read`, reporting a plain ProtocolError (truncation, a bad varint...) as a RecordsError
 * with `code`: CORRUPT_MESSAGE for stored data, INVALID_RECORD for what a producer sent.
 */
export function readingRecords<T>(context: string, read: () => T, code: RecordErrorCode = ErrorCode.CORRUPT_MESSAGE): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof RecordsError || !(err instanceof ProtocolError)) throw err;
    throw new RecordsError(code, `${context}: ${err.message}`);
  }
}
