import { UsageError } from '../../util/errors.js';

/** `--config name=value` pairs, split as TopicCommand does: on `=` with optional spaces around it. */
export function parseTopicConfigs(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const arg of args) {
    const parts = arg.split(/\s*=\s*/);
    if (parts.length !== 2) {
      throw new UsageError('Error: requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".');
    }
    out.set(parts[0]!.trim(), parts[1]!.trim());
  }
  return out;
}
