import { ErrorCode } from '../errors.js';
import { ProtocolError } from '../primitives/protocol-error.js';

/** The Kafka error codes record data is rejected with. */
export type RecordErrorCode =
  | typeof ErrorCode.CORRUPT_MESSAGE
  | typeof ErrorCode.INVALID_RECORD
  | typeof ErrorCode.UNSUPPORTED_COMPRESSION_TYPE
  | typeof ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT;

/**
 * Bad record data. It is a ProtocolError so one `catch` covers frames and records; `errorCode`
 * is what a Produce response carries for the partition.
 */
export class RecordsError extends ProtocolError {
  constructor(
    readonly errorCode: RecordErrorCode,
    message: string,
  ) {
    super('INVALID_VALUE', message);
    this.name = 'RecordsError';
  }
}

/** Runs `read`, reporting a plain ProtocolError (truncation, a bad varint...) as CORRUPT_MESSAGE. */
export function readingRecords<T>(context: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof RecordsError || !(err instanceof ProtocolError)) throw err;
    throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `${context}: ${err.message}`);
  }
}
