import { CommanderError } from 'commander';
import { normaliseArgv } from './argv.js';
import { KtsError, oneLine, UsageError } from '../util/errors.js';
import { EXIT_RUNTIME, EXIT_USAGE, exitCodeOf } from './errors.js';
import { KAFKA_VERSION, kafkaScript } from './kafka-script.js';
import { kafkaUsage, renderKafkaUsage } from './kafka-usage.js';
import { buildProgram } from './program.js';
import type { CommandSpec } from './command-spec.js';

/** Parses `rawArgv`, runs one of `commands`, and maps failures to the exit-code contract. */
export async function runCli(rawArgv: string[], commands: readonly CommandSpec[]): Promise<void> {
  quietOnClosedStdout();
  const argv = normaliseArgv(rawArgv);
  const name = argv.find((a) => !a.startsWith('-'));
  const target = name === 'help' ? argv[argv.indexOf('help') + 1] : name;
  const kafka = kafkaScript();
  try {
    if (
      kafka !== undefined &&
      target !== undefined &&
      (await kafkaHelpOrVersion(kafka, target, argv.slice(argv.indexOf(target) + 1), commands))
    )
      return;
    const program = await buildProgram(commands, commands.some((c) => c.name === target) ? target : undefined, {
      kafka: kafka !== undefined,
    });
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    process.exitCode = await (kafka !== undefined ? kafkaExitCodeFor(err) : exitCodeFor(err));
  }
}

/**
 * CommandDefaultOptions.maybePrintHelpOrVersion: `--help` (or no arguments at all, for the tools
 * that print their usage then) is Kafka's usage on stderr and exit 1; `--version` prints the Kafka
 * version kts stands in for. True when it answered.
 */
async function kafkaHelpOrVersion(
  script: string,
  target: string,
  args: readonly string[],
  commands: readonly CommandSpec[],
): Promise<boolean> {
  const usage = kafkaUsage(target);
  if (args.includes('--help') || (args.length === 0 && usage !== undefined)) {
    process.stderr.write(
      await renderKafkaUsage(script, target, args.length === 0 ? usage?.withoutArguments : usage?.description, commands),
    );
    process.exitCode = EXIT_RUNTIME;
    return true;
  }
  if (args.includes('--version')) {
    process.stdout.write(`${KAFKA_VERSION}\n`);
    return true;
  }
  return false;
}

async function exitCodeFor(err: unknown): Promise<number> {
  if (err instanceof CommanderError) {
    // Commander already printed its message (help, version, or a one-line usage error).
    if (err.exitCode === 0) return 0;
    return EXIT_USAGE;
  }
  return reportFailure(err);
}

/**
 * As Kafka's scripts: every usage error exits 1 (jopt's wording for an unknown option), and so
 * does `--help`, which Kafka prints through printUsageAndExit; `--version` exits 0.
 */
async function kafkaExitCodeFor(err: unknown): Promise<number> {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.version') return 0;
    if (err.code === 'commander.unknownOption') {
      const option = /'(-{1,2}[^']*)'/.exec(err.message)?.[1]?.replace(/^-+/, '') ?? err.message;
      process.stderr.write(`${option} is not a recognized option\n`);
    } else if (err.exitCode !== 0) process.stderr.write(`${err.message.replace(/^error: /, '')}\n`);
    return EXIT_RUNTIME;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n`);
    return EXIT_RUNTIME;
  }
  return reportFailure(err);
}

async function reportFailure(err: unknown): Promise<number> {
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
