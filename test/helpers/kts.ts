import { fileURLToPath } from 'node:url';
import { runProcess, type RunOptions } from './process.js';

export const KTS_BIN = fileURLToPath(new URL('../../bin/kts', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin/kts` as a user would: a separate process, no colour, optional stdin, bounded by `timeoutMs`. */
export async function runKts(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await runProcess(process.execPath, [KTS_BIN, ...args], { ...opts, env: { NO_COLOR: '1', ...opts.env } });
  return { ...r, stdout: r.stdout.toString() };
}
