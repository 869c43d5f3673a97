import { CommanderError } from 'commander';
import { normaliseArgv } from './argv.js';
import { KtsError, oneLine } from '../util/errors.js';
import { EXIT_RUNTIME, EXIT_USAGE, exitCodeOf } from './errors.js';
import { buildProgram } from './program.js';
import type { CommandSpec } from './command-spec.js';

/** Parses `rawArgv`, runs one of `commands`, and maps failures to the exit-code contract. */
export async function runCli(rawArgv: string[], commands: readonly CommandSpec[]): Promise<void> {
  quietOnClosedStdout();
  const argv = normaliseArgv(rawArgv);
  const name = argv.find((a) => !a.startsWith('-'));
  const target = name === 'help' ? argv[argv.indexOf('help') + 1] : name;
  try {
    const program = await buildProgram(commands, commands.some((c) => c.name === target) ? target : undefined);
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    process.exitCode = await exitCodeFor(err);
  }
}

async function exitCodeFor(err: unknown): Promise<number> {
  if (err instanceof CommanderError) {
    // Commander already printed its message (help, version, or a one-line usage error).
    if (err.exitCode === 0) return 0;
    return EXIT_USAGE;
  }
  // Loaded only on failure: chalk is not needed on the success path's start-up.
  const red = (await import('./colour.js')).colours(process.stderr).red;
  if (err instanceof KtsError) {
    process.stderr.write(`${red(err.message)}\n`);
    return exitCodeOf(err);
  }
  process.stderr.write(`${red(`kts: ${oneLine(err)}`)}\n`);
  if (process.env.KTS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return EXIT_RUNTIME;
}

/** `kts ... | head` closes our stdout: stop quietly instead of dying with EPIPE. */
function quietOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
