import { Chalk, type ChalkInstance } from 'chalk';
import { Option, type Command } from 'commander';

export type OutputFormat = 'text' | 'json';

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colourEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

export function colours(stream: NodeJS.WriteStream = process.stdout): ChalkInstance {
  return new Chalk({ level: colourEnabled(stream) ? 1 : 0 });
}

/** Adds the shared `--output text|json` option. */
export function addOutputOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
  );
}

/** Structured data on stdout as JSON: one document, or one object per line with `lines`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
