import { fileURLToPath } from 'node:url';
import { runText, type RunOptions, type TextResult } from './process.js';

export const KTS_BIN = fileURLToPath(new URL('../../bin/kts', import.meta.url));

export type RunResult = TextResult;

/** Runs `bin/kts` as a user would: a separate process, no colour, optional stdin, bounded by `timeoutMs`. */
export function runKts(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runText(KTS_BIN, args, { ...opts, env: { NO_COLOR: '1', ...opts.env } });
}

/** Runs a bin/kafka/ drop-in shim (`kafka-topics.sh`, …) as a user would, through /bin/sh. */
export function runShim(script: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runText(fileURLToPath(new URL(`../../bin/kafka/${script}`, import.meta.url)), args, {
    ...opts,
    env: { NO_COLOR: '1', ...opts.env },
  });
}
