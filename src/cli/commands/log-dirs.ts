import type { Command } from 'commander';
import { describeLogDirs } from '../../tools/log-dirs/describe-log-dirs.js';
import { UsageError } from '../../util/errors.js';
import { readPropertiesFile } from '../../util/properties.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';

interface Flags {
  bootstrapServer?: string;
  commandConfig?: string;
  describe?: boolean;
  topicList?: string;
  brokerList?: string;
}

const EXAMPLES = `
Examples:
  kts log-dirs --bootstrap-server localhost:9092 --describe
  kts log-dirs --bootstrap-server localhost:9092 --describe --broker-list 1,2 --topic-list orders
Prints Kafka's two progress lines, then one line of JSON: {"brokers":[{"broker":1,"logDirs":[...]}],"version":1}.`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  cmd
    .option('--describe', 'REQUIRED: describe the log dirs of the brokers')
    .option('--topic-list <topics>', 'only these topics, e.g. t1,t2 (default: all)')
    .option('--broker-list <ids>', 'only these brokers, e.g. 0,1,2 (default: every registered broker)')
    .addHelpText('after', EXAMPLES)
    .action(run);
}

async function run(flags: Flags): Promise<void> {
  if (!flags.describe) throw new UsageError('Missing required argument "[describe]"');
  const split = (text: string | undefined) => (text ?? '').split(',').filter((s) => s !== '');
  const brokers = split(flags.brokerList).map((id) => {
    if (!/^-?\d+$/.test(id.trim()))
      throw new UsageError(`Error: invalid --broker-list '${flags.brokerList}': expected broker ids such as 0,1,2`);
    return Number(id);
  });
  const properties = flags.commandConfig ? readPropertiesFile(flags.commandConfig) : undefined;
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const described = await describeLogDirs({ bootstrapServer: flags.bootstrapServer, properties }, brokers, split(flags.topicList), print);
  print(JSON.stringify(described));
}
