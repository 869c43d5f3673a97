/**
 * A failure the user must act on — a broker that cannot be reached, a broker's error, a file that
 * cannot be read: its message is one line meant for people, reported without a stack trace (as
 * Kafka's TerseException). The CLI maps these errors to exit codes (src/cli/errors.ts).
 */
export class KtsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KtsError';
  }
}

/** Bad input: an option, a configuration key or value, the contents of a file the user gave. */
export class UsageError extends KtsError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The message to print for any thrown value: one line, no stack. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim() || 'unknown error';
}
