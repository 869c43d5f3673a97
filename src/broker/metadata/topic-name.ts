import { ApiError } from '../api-error.js';

const MAX_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Kafka's Topic.validate: the same rules and wording (INVALID_TOPIC_EXCEPTION). */
export function validateTopicName(name: string): void {
  const invalid = (message: string) => new ApiError('INVALID_TOPIC_EXCEPTION', message);
  if (name.length === 0) throw invalid("Topic name is illegal, it can't be empty");
  if (name === '.' || name === '..') throw invalid('Topic name cannot be "." or ".."');
  if (name.length > MAX_NAME_LENGTH) {
    throw invalid(`Topic name is illegal, it can't be longer than ${MAX_NAME_LENGTH} characters, topic name: ${name}`);
  }
  if (!LEGAL.test(name)) {
    throw invalid(`Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`);
  }
}

/**
 * Metric names replace '.' with '_', so Kafka refuses a topic that differs from an existing one
 * only in those two characters.
 */
export function checkTopicCollision(name: string, existing: Iterable<string>): void {
  if (!/[._]/.test(name)) return;
  const unified = unifyCollisionChars(name);
  const colliding = [...existing].filter((other) => other !== name && unifyCollisionChars(other) === unified);
  if (colliding.length > 0) {
    throw new ApiError('INVALID_TOPIC_EXCEPTION', `Topic '${name}' collides with existing topics: ${colliding.join(', ')}`);
  }
}

function unifyCollisionChars(name: string): string {
  return name.replaceAll('.', '_');
}

/** Kafka's internal topics: created by their coordinators, flagged isInternal in Metadata. */
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state']);
