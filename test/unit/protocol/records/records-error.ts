import { expect } from 'vitest';
import { RecordsError } from '../../../../src/protocol/records/errors.js';

/** The error code of the RecordsError `fn` throws; fails the test when it throws nothing or something else. */
export function errorCodeOf(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RecordsError);
    return (err as RecordsError).errorCode;
  }
  return expect.fail('no error thrown');
}
