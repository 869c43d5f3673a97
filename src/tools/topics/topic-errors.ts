import { KtsError } from '../../util/errors.js';
import { ErrorCode } from '../../protocol/errors.js';
import { kafkaExceptionText } from '../common/kafka-exceptions.js';

/** Kafka's prefix for every runtime failure of kafka-topics.sh. */
export const TOPIC_COMMAND_ERROR = 'Error while executing topic command : ';

export function topicCommandError(message: string): KtsError {
  return new KtsError(`${TOPIC_COMMAND_ERROR}${message}`);
}

/**
 * `--topic` matched nothing. Kafka 3.9 formats the name as a java.util.Optional
 * (`Topic 'Optional[foo]' does not exist as expected`); `kafkaMessage` is that text for drop-in mode.
 */
export class MissingTopicError extends KtsError {
  readonly kafkaMessage: string;
  constructor(topic: string) {
    super(`${TOPIC_COMMAND_ERROR}Topic '${topic}' does not exist as expected`);
    this.kafkaMessage = `${TOPIC_COMMAND_ERROR}Topic 'Optional[${topic}]' does not exist as expected`;
  }
}

/** A topic result the broker refused fails with the broker's own message (the error's text when it sent none). */
export function throwIfFailed(result: { errorCode: number; errorMessage: string | null }): void {
  if (result.errorCode !== ErrorCode.NONE) throw topicCommandError(result.errorMessage ?? kafkaExceptionText(result.errorCode));
}
