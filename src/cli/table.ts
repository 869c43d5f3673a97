import Table from 'cli-table3';
import { colours } from './colour.js';

/**
 * A boxed table with a highlighted header (colour only on a terminal). Its own module, imported
 * only by the commands that print one: cli-table3 and chalk are ~5 ms of start-up.
 */
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
