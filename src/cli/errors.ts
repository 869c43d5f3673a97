import { UsageError } from '../util/errors.js';

/** Exit-code contract shared by every kts tool: 0 ok, 1 runtime error, 2 usage error. */
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

/** The exit code for a failure the library reported: bad input is a usage error, anything else a runtime one. */
export function exitCodeOf(err: unknown): number {
  return err instanceof UsageError ? EXIT_USAGE : EXIT_RUNTIME;
}
