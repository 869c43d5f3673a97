/**
 * A line in the layout of Kafka's log4j configs (`[%d] %p %m (%c)%n` for tools, without ` (%c)` for
 * the broker), so people and scripts that grep Kafka's output feel at home.
 */
export function log4jLine(level: string, message: string, logger?: string): string {
  const stamp = new Date().toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
  return `[${stamp}] ${level.toUpperCase()} ${message}${logger === undefined ? '' : ` (${logger})`}\n`;
}
