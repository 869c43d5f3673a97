/**
 * Kafka's ToolsUtils.prettyPrintTable: a header line and one line per row, each cell padded with
 * spaces to its column's width and followed by a tab (so every line ends with a tab).
 */
export function prettyTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `${cells.map((c, i) => `${c.padEnd(widths[i]!)}\t`).join('')}\n`;
  return line(headers) + rows.map(line).join('');
}
