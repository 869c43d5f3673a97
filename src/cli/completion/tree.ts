import type { Command } from 'commander';

export interface CompletionCommand {
  name: string;
  summary: string;
  options: { flags: string[]; description: string; choices?: readonly string[] }[];
}

/** The parts of the configured command tree that completion scripts need, in a stable order. */
export function completionTree(program: Command): CompletionCommand[] {
  return program.commands
    .filter((c) => c.name() !== 'help')
    .map((c) => ({
      name: c.name(),
      summary: c.description(),
      options: [...c.options, ...helpOption()].map((o) => ({
        flags: [o.short, o.long].filter((f): f is string => Boolean(f)),
        description: o.description,
        choices: o.argChoices,
      })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function helpOption() {
  return [{ short: '-h', long: '--help', description: 'display help for command', argChoices: undefined }];
}
