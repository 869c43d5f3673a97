import { CliError } from '../../cli/errors.js';

/** Kafka's prefix for every runtime failure of kafka-topics.sh. */
export const TOPIC_COMMAND_ERROR = 'Error while executing topic command : ';

export function topicCommandError(message: string): CliError {
  return new CliError(`${TOPIC_COMMAND_ERROR}${message}`);
}

/** The Kafka error types (`TOPIC_ALREADY_EXISTS`, ...) inside a kafkajs error or aggregate. */
export function kafkaErrorTypes(err: unknown): string[] {
  if (typeof err !== 'object' || err === null) return [];
  const e = err as { type?: unknown; errors?: unknown };
  const own = typeof e.type === 'string' ? [e.type] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap(kafkaErrorTypes) : [];
  return [...own, ...nested];
}

/** Non-connection failures become Kafka's one-line topic command error. */
export function asTopicCommandError(err: unknown): unknown {
  if (err instanceof CliError || !(err instanceof Error) || err.name.startsWith('KafkaJSConnection')) return err;
  const nested = (err as { errors?: unknown }).errors;
  const first = Array.isArray(nested) && nested[0] instanceof Error ? nested[0] : err;
  return topicCommandError(first.message);
}
