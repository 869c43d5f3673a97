import type { Command } from 'commander';

/** What a subcommand module exports: it adds its options, help text and action to `cmd`. */
export interface CommandModule {
  configure(cmd: Command): void;
}

export interface CommandSpec {
  /** Kafka's script name without `kafka-` and `.sh`. */
  name: string;
  summary: string;
  /** The Kafka script(s) this command stands in for; each gets a shim in bin/kafka/. */
  kafkaScripts: string[];
  load(): Promise<CommandModule>;
}

/**
 * The one declarative list of subcommands. Modules are imported only when their command
 * runs (or when completions are generated), so `kts --help` stays fast.
 */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'completion',
    summary: 'Print a shell completion script (bash, zsh or fish)',
    kafkaScripts: [],
    load: () => import('./commands/completion.js'),
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
