import { Argument, type Command } from 'commander';
import { completionTree } from '../completion/tree.js';
import { completionScript, SHELLS, type Shell } from '../completion/scripts.js';
import { buildProgram } from '../program.js';
import type { CommandSpec } from '../command-spec.js';
import { UsageError } from '../../util/errors.js';

/** The completion script of `commands` for `shell`. */
export async function generateCompletion(shell: Shell, commands: readonly CommandSpec[]): Promise<string> {
  return completionScript(shell, completionTree(await buildProgram(commands, 'all'), commands));
}

export function configure(cmd: Command, commands: readonly CommandSpec[]): void {
  cmd
    .addArgument(new Argument('[shell]', 'shell to generate for').choices(SHELLS))
    .addHelpText(
      'after',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a zsh expansion the user types, not a template
      '\nExamples:\n  source <(kts completion bash)\n  kts completion zsh > "${fpath[1]}/_kts"\n  kts completion fish > ~/.config/fish/completions/kts.fish',
    )
    .action(async (shell: Shell | undefined) => {
      if (!shell) throw new UsageError('kts completion: name a shell: bash, zsh or fish');
      process.stdout.write(await generateCompletion(shell, commands));
    });
}
