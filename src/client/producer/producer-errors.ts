import { errorName, isRetriable } from '../../protocol/errors.js';

/** Why a record was not delivered. `code` is Kafka's error code when a broker gave one. */
export class ProducerError extends Error {
  override name = 'ProducerError';
  constructor(
    message: string,
    readonly code: number | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get retriable(): boolean {
    return this.code !== null && isRetriable(this.code);
  }
}

/** Kafka's TimeoutException: metadata, buffer memory or delivery did not come in time. */
export class ProducerTimeoutError extends ProducerError {
  override name = 'ProducerTimeoutError';
}

/** A partition-level error code from a Produce response, as a one-line error. */
export function brokerError(code: number, topic: string, partition: number, detail: string | null = null): ProducerError {
  const name = errorName(code) ?? `error code ${code}`;
  return new ProducerError(`${name} from the broker for ${topic}-${partition}${detail ? `: ${detail}` : ''}`, code);
}
