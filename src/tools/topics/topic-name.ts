import { UsageError } from '../../util/errors.js';

const MAX_NAME_LENGTH = 249;
const LEGAL = /^[A-Za-z0-9._-]+$/;

/**
 * The topic name rules, checked before sending: a KRaft controller's wording (`Topic name is
 * invalid: ...`), whichever broker answers.
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

export const COLLISION_WARNING =
  "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. " +
  'To avoid issues it is best to use either, but not both.';
