import type { Command } from 'commander';
import { UsageError } from '../../util/errors.js';
import { describeFeatures, featureLine } from '../../tools/features/describe-features.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';

interface Flags {
  bootstrapServer?: string;
  bootstrapController?: string;
  commandConfig?: string;
  describe?: boolean;
  output: OutputFormat;
}

const EXAMPLES = `
Examples:
  kts features describe
  kts features --describe --bootstrap-server localhost:9092 --output table
Only describe is offered: upgrade, downgrade and disable (UpdateFeatures) are not implemented.`;

export function configure(cmd: Command): void {
  cmd.argument('[command]', "Kafka's subcommand: describe");
  addBootstrapOption(cmd);
  cmd.option('--bootstrap-controller <list>', 'host:port list of KRaft controllers to ask instead of brokers');
  addCommandConfigOption(cmd);
  cmd.option('--describe', 'describe the feature flags (the same as the describe subcommand)');
  addOutputOption(cmd, ['text', 'json', 'table']);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(command: string | undefined, flags: Flags): Promise<void> {
  if (flags.bootstrapServer !== undefined && flags.bootstrapController !== undefined) {
    throw new UsageError('Command line error: argument --bootstrap-controller: not allowed with argument --bootstrap-server');
  }
  if (command !== undefined && command !== 'describe') {
    const known = ['upgrade', 'downgrade', 'disable'].includes(command);
    throw new UsageError(
      known
        ? `Error: kts features does not implement ${command} (only describe)`
        : `Command line error: invalid choice: '${command}' (choose from 'describe')`,
    );
  }
  if (command === undefined && !flags.describe) throw new UsageError('Command line error: too few arguments (give describe or --describe)');
  const properties = clientProperties(flags.commandConfig);
  const features = await describeFeatures({ bootstrapServer: flags.bootstrapServer ?? flags.bootstrapController, properties });
  if (flags.output === 'json') printJson(features);
  else if (flags.output === 'table') {
    process.stdout.write(
      (await import('../table.js')).renderTable(
        ['FEATURE', 'SUPPORTED-MIN', 'SUPPORTED-MAX', 'FINALIZED', 'EPOCH'],
        features.map((f) => [f.feature, f.supportedMinVersion, f.supportedMaxVersion, f.finalizedVersionLevel, f.epoch]),
      ),
    );
  } else process.stdout.write(features.map((f) => `${featureLine(f)}\n`).join(''));
}
