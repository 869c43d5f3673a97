import { KtsError } from '../../util/errors.js';
import { kafkaExceptionText } from '../common/kafka-exceptions.js';

/** A broker's refusal as ConfigCommand reports it: its message, or the exception Java names for the code. */
export function commandFailure(code: number, message: string | null): KtsError {
  return new KtsError(`Error while executing config command: ${message || kafkaExceptionText(code)}`);
}
