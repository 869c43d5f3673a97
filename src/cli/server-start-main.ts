import { runCli } from './run-cli.js';
import { SERVER_START } from './registry.js';

/**
 * Entry point of bin/kts for `kts server-start`, bundled on its own (one file, nothing but the
 * broker): Node resolves and links one module instead of ~20 chunks of the code-split CLI, which
 * is ~10 ms of the broker's start-up.
 */
export function main(rawArgv: string[]): Promise<void> {
  return runCli(rawArgv, [SERVER_START]);
}
