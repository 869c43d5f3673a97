import { runCli } from './run-cli.js';
import { COMMANDS } from './registry.js';

/** Entry point of bin/kts for every command. */
export function main(rawArgv: string[]): Promise<void> {
  return runCli(rawArgv, COMMANDS);
}
