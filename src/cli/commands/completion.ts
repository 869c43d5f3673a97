import { writeFileSync } from 'node:fs';
import { Argument, type Command } from 'commander';
import { completionTree } from '../completion/tree.js';
import { completionScript, SHELLS, type Shell } from '../completion/scripts.js';
import { buildProgram } from '../program.js';
import { UsageError } from '../errors.js';

/** Where the committed scripts live, relative to the package root. */
export const COMPLETION_FILES: Record<Shell, string> = {
  bash: 'completions/kts.bash',
  zsh: 'completions/_kts',
  fish: 'completions/kts.fish',
};

export async function generateCompletions(): Promise<Record<Shell, string>> {
  const tree = completionTree(await buildProgram('all'));
  return Object.fromEntries(SHELLS.map((s) => [s, completionScript(s, tree)])) as Record<Shell, string>;
}

export function configure(cmd: Command): void {
  cmd
    .addArgument(new Argument('[shell]', 'shell to generate for').choices(SHELLS))
    .option('--write', `write all scripts into completions/ (${Object.values(COMPLETION_FILES).join(', ')})`)
    .addHelpText('after', '\nExamples:\n  source <(kts completion bash)\n  kts completion fish > ~/.config/fish/completions/kts.fish')
    .action(async (shell: Shell | undefined, opts: { write?: boolean }) => {
      const scripts = await generateCompletions();
      if (opts.write) {
        for (const s of SHELLS) writeFileSync(new URL(`../../../${COMPLETION_FILES[s]}`, import.meta.url), scripts[s]);
        return;
      }
      if (!shell) throw new UsageError('kts completion: name a shell: bash, zsh or fish');
      process.stdout.write(scripts[shell]);
    });
}
