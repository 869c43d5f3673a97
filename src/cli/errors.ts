/** Exit-code contract shared by every kts tool: 0 ok, 1 runtime error, 2 usage error. */
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

/** An error the user caused or must act on; printed as one line, never with a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_RUNTIME,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad command-line or configuration input: exit 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/** The message to print for any thrown value: one line, no stack. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.trim() || 'unknown error';
}
