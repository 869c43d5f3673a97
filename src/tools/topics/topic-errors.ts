import { KtsError } from '../../util/errors.js';
import { ErrorCode } from '../../protocol/errors.js';
import { kafkaExceptionText } from '../common/kafka-exceptions.js';

/** Kafka's prefix for every runtime failure of kafka-topics.sh. */
export const TOPIC_COMMAND_ERROR = 'Error while executing topic command : ';

export function topicCommandError(message: string): KtsError {
  return new KtsError(`${TOPIC_COMMAND_ERROR}${message}`);
}

/** A topic result the broker refused fails with the broker's own message (the error's text when it sent none). */
export function throwIfFailed(result: { errorCode: number; errorMessage: string | null }): void {
  if (result.errorCode !== ErrorCode.NONE) throw topicCommandError(result.errorMessage ?? kafkaExceptionText(result.errorCode));
}
