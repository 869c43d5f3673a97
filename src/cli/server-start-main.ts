import { runCli } from './run-cli.js';
import { SERVER_START } from './registry.js';

/**
 * `kts server-start` on its own, bundled into one CommonJS file (nothing but the broker) that
 * server-start-entry.ts runs through a V8 code cache: Node loads one module instead of ~20 chunks
 * of the code-split CLI, which is ~10 ms of the broker's start-up.
 */
export function main(rawArgv: string[]): Promise<void> {
  return runCli(rawArgv, [SERVER_START]);
}
