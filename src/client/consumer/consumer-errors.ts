import { errorName } from '../../protocol/errors.js';

/** Why consuming cannot go on. `code` is Kafka's error code when a broker gave one. */
export class ConsumerError extends Error {
  override name = 'ConsumerError';
  constructor(
    message: string,
    readonly code: number | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Fetched data that cannot be read as records (bad CRC, bad compression, malformed records). */
export class CorruptRecordsError extends ConsumerError {
  override name = 'CorruptRecordsError';
}

/** A partition-level error code from a Fetch or ListOffsets response, as a one-line error. */
export function partitionError(code: number, topic: string, partition: number): ConsumerError {
  return new ConsumerError(`${errorName(code) ?? `error code ${code}`} from the broker for ${topic}-${partition}`, code);
}
