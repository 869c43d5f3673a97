import { CliError } from '../../cli/errors.js';
import { kafkaExceptionText } from '../common/kafka-exceptions.js';

/** A broker's refusal as ConfigCommand reports it: its message, or the exception Java names for the code. */
export function commandFailure(code: number, message: string | null): CliError {
  return new CliError(`Error while executing config command: ${message || kafkaExceptionText(code)}`);
}
