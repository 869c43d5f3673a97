import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.js';
import { optionValues, type OptionValues } from './values.js';

export interface CompletionOption {
  flags: string[];
  description: string;
  /** For an option that takes a value: what to offer for it, when known. */
  values?: OptionValues;
}

export interface CompletionCommand {
  name: string;
  summary: string;
  /** The bin/kafka/ scripts that run this command: completed as it is. */
  kafkaScripts: readonly string[];
  options: CompletionOption[];
}

/** The parts of the configured command tree that completion scripts need, in a stable order. */
export function completionTree(program: Command, specs: readonly CommandSpec[]): CompletionCommand[] {
  const visible = new Map(specs.filter((s) => s.hidden !== true).map((s) => [s.name, s]));
  return program.commands
    .filter((c) => visible.has(c.name()))
    .map((c) => ({
      name: c.name(),
      summary: c.description(),
      kafkaScripts: visible.get(c.name())!.kafkaScripts,
      options: [
        ...c.options.map((o) => {
          const values = o.required || o.optional ? optionValues(o.long ?? '', o.argChoices) : undefined;
          return {
            flags: [o.short, o.long].filter((f): f is string => Boolean(f)),
            description: o.description,
            ...(values !== undefined ? { values } : {}),
          };
        }),
        { flags: ['-h', '--help'], description: 'display help for command' },
      ],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
