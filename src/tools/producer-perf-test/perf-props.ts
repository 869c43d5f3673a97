import { UsageError } from '../../util/errors.js';

/**
 * `--producer-props k=v ...` as ProducerPerformance.readProps splits them: on every `=`, and
 * anything but exactly one key and one value (`a=b=c`, `a=`) is invalid.
 */
export function parsePerfProps(props: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const prop of props) {
    const pieces = prop.split('=');
    while (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
    if (pieces.length !== 2) throw new UsageError(`Error: Invalid property: ${prop}`);
    out.set(pieces[0]!, pieces[1]!);
  }
  return out;
}
