import type { Command } from 'commander';
import { apiVersionsText } from '../../tools/broker-api-versions/api-versions-text.js';
import { brokerApiVersions, nodeText } from '../../tools/broker-api-versions/broker-api-versions.js';
import { KtsError } from '../../util/errors.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';

interface Flags {
  bootstrapServer?: string;
  commandConfig?: string;
  output: OutputFormat;
}

const EXAMPLES = `
Examples:
  kts broker-api-versions --bootstrap-server localhost:9092
  kts broker-api-versions --output json`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  addOutputOption(cmd);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  const properties = clientProperties(flags.commandConfig);
  const brokers = await brokerApiVersions({ bootstrapServer: flags.bootstrapServer, properties });
  if (flags.output === 'json') {
    printJson(brokers);
  } else {
    for (const b of brokers)
      process.stdout.write(`${nodeText(b.node)} -> ${'apis' in b ? apiVersionsText(b.apis) : `ERROR: ${b.error}`}\n`);
  }
  const failed = brokers.filter((b) => 'error' in b).length;
  if (failed > 0) throw new KtsError(`Error: ${failed} of ${brokers.length} brokers could not be reached`);
}
