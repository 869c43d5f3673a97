/**
 * Kafka's scripts accept a few single-dash long options (`-daemon`, `-name`, `-loggc`).
 * Commander would read `-daemon` as the short flags d,a,e,m,o,n, so they are rewritten
 * to their double-dash spelling before parsing.
 */
const SINGLE_DASH_LONG = new Set(['-daemon']);

export function normaliseArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    if (arg === '--') {
      out.push(...argv.slice(out.length));
      break;
    }
    out.push(SINGLE_DASH_LONG.has(arg) ? `-${arg}` : arg);
  }
  return out;
}
