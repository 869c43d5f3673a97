import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { colours } from './colour.js';

/** text: Kafka's own layout (what scripts parse); json: structured; table: for people at a terminal. */
export type OutputFormat = 'text' | 'json' | 'table';

/** Adds the shared `--output` option; `table` only where the command has tabular data. */
export function addOutputOption(cmd: Command, formats: readonly OutputFormat[] = ['text', 'json']): Command {
  const help = formats.includes('table') ? "output format: Kafka's text, json, or a table" : 'output format';
  return cmd.addOption(new Option('-o, --output <format>', help).choices(formats).default('text'));
}

/** A boxed table with a highlighted header (colour only on a terminal). */
export function renderTable(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const c = colours();
  const table = new Table({
    head: head.map((h) => c.bold.cyan(h)),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  table.push(...rows.map((r) => r.map(String)));
  return `${table.toString()}\n`;
}

/** Structured data on stdout as JSON: one document, or one object per line with `lines`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
