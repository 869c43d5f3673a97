import { Option, type Command } from 'commander';

/** text: Kafka's own layout (what scripts parse); json: structured; table: for people at a terminal. */
export type OutputFormat = 'text' | 'json' | 'table';

/** Adds the shared `--output` option; `table` only where the command has tabular data. */
export function addOutputOption(cmd: Command, formats: readonly OutputFormat[] = ['text', 'json']): Command {
  const help = formats.includes('table') ? "output format: Kafka's text, json, or a table" : 'output format';
  return cmd.addOption(new Option('-o, --output <format>', help).choices(formats).default('text'));
}

/** Structured data on stdout as JSON: one document, or one object per line with `lines`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
