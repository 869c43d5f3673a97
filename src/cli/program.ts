import { Command } from 'commander';
import type { CommandSpec } from './command-spec.js';
import { packageVersion } from '../util/package-version.js';

export interface ProgramOptions {
  /** Run as a Kafka script (a bin/kafka/ shim): commander's error lines are left to the caller, and `--version` to the command. */
  kafka?: boolean;
}

/**
 * Builds the `kts` command tree of `commands`. Only the commands named in `configure` get their
 * options and actions (their modules are imported); the others are listed by name and summary so
 * `kts --help` needs no imports.
 */
export async function buildProgram(
  commands: readonly CommandSpec[],
  configure: 'all' | string | undefined,
  options: ProgramOptions = {},
): Promise<Command> {
  const program = new Command('kts').description(
    "Kafka's command-line tools, an embedded Kafka-protocol broker and ZooKeeper, in one fast CLI",
  );
  // Commander reads the program's options after a subcommand too: as a Kafka script, --version is the command's.
  if (!options.kafka) program.version(packageVersion(), '-V, --version');
  program
    .usage('<command> [options]')
    .helpCommand('help [command]', 'Show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride();
  if (options.kafka) program.configureOutput({ outputError: () => {} });
  const wanted = commands.filter((c) => configure === 'all' || c.name === configure);
  const modules = new Map<CommandSpec, Awaited<ReturnType<CommandSpec['load']>>>();
  await Promise.all(wanted.map(async (spec) => modules.set(spec, await spec.load())));
  for (const spec of commands) {
    const cmd = program
      .command(spec.name, { hidden: spec.hidden === true })
      .description(spec.summary)
      .exitOverride();
    modules.get(spec)?.configure(cmd, commands);
  }
  return program;
}
