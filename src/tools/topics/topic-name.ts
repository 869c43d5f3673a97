import { UsageError } from '../../cli/errors.js';

const MAX_NAME_LENGTH = 249;
const LEGAL = /^[A-Za-z0-9._-]+$/;

/**
 * The broker's topic name rules, checked before sending because kafkajs drops the broker's
 * error message. Wording as Kafka's controller reports it.
 */
export function validateTopicName(name: string): void {
  const fail = (why: string): never => {
    throw new UsageError(`Error while executing topic command : Topic name is invalid: ${why}`);
  };
  if (name === '') fail('the empty string is not allowed');
  if (name === '.' || name === '..') fail(`'${name}' is not allowed`);
  if (name.length > MAX_NAME_LENGTH) fail(`the length of '${name}' is longer than the max allowed length ${MAX_NAME_LENGTH}`);
  if (!LEGAL.test(name)) {
    fail(`'${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`);
  }
}

/** Kafka warns because `.` and `_` both become `_` in metric names. */
export function hasCollisionChars(name: string): boolean {
  return name.includes('.') || name.includes('_');
}

/** The existing topics the broker refuses `name` for: equal once `.` and `_` are unified. */
export function collidingTopics(name: string, existing: readonly string[]): string[] {
  const unified = name.replaceAll('.', '_');
  return existing.filter((other) => other !== name && other.replaceAll('.', '_') === unified);
}

export const COLLISION_WARNING =
  "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. " +
  'To avoid issues it is best to use either, but not both.';
