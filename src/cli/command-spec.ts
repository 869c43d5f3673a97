import type { Command } from 'commander';

/**
 * What a subcommand module exports: it adds its options, help text and action to `cmd`. `commands`
 * is the whole command list being run (completion describes all of them).
 */
export interface CommandModule {
  configure(cmd: Command, commands: readonly CommandSpec[]): void;
}

export interface CommandSpec {
  /** Kafka's script name without `kafka-` and `.sh`. */
  name: string;
  summary: string;
  /** The Kafka script(s) this command stands in for; each gets a shim in bin/kafka/. */
  kafkaScripts: string[];
  /** Left out of help and completions (`__complete`, which the completion scripts call). */
  hidden?: boolean;
  load(): Promise<CommandModule>;
}
