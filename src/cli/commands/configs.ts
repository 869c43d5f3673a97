import type { Command } from 'commander';
import { formatBroker } from '../../client/bootstrap.js';
import { readPropertiesFile } from '../../client/properties.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { collect } from '../../tools/common/option-parsers.js';
import { parseConfigsToAdd, parseConfigsToDelete } from '../../tools/configs/add-config.js';
import { alterResourceConfigs, completedLine } from '../../tools/configs/alter-configs.js';
import { ConfigCluster } from '../../tools/configs/config-cluster.js';
import { validateConfigsFlags, type ConfigsFlags, type ConfigsRequest } from '../../tools/configs/configs-options.js';
import { describeHeader, entryLine, resourceConfigs, type ResourceEntityType } from '../../tools/configs/describe-configs.js';
import { CliError } from '../errors.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';

interface Flags extends ConfigsFlags {
  bootstrapServer?: string;
  commandConfig?: string;
  force?: boolean;
  output: OutputFormat;
}

const EXAMPLES = `
Examples:
  kts configs --describe --topic orders
  kts configs --describe --all --broker 0
  kts configs --alter --topic orders --add-config 'retention.ms=86400000,cleanup.policy=[delete,compact]'
  kts configs --alter --topic orders --delete-config retention.ms
  kts configs --alter --broker-defaults --add-config log.retention.hours=72
  kts configs --describe --entity-type brokers --entity-default`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  cmd
    .option('--describe', 'list the configs of the given entity (all topics or brokers without a name)')
    .option('--alter', 'change the configs of the given entity')
    .option('--all', 'describe: every config, not only the dynamic ones (defaults and static broker configs too)')
    .option('--entity-type <type>', 'topics, brokers, users or clients (users and clients may go together)', collect)
    .option('--entity-name <name>', 'topic name, broker id, user principal or client id', collect)
    .option('--entity-default', 'the default entity of the type (brokers: the cluster-wide default)')
    .option('--topic <name>', 'shorthand for --entity-type topics --entity-name <name>')
    .option('--broker <id>', 'shorthand for --entity-type brokers --entity-name <id>')
    .option('--broker-defaults', 'shorthand for --entity-type brokers --entity-default')
    .option('--user <principal>', 'shorthand for --entity-type users --entity-name <principal>')
    .option('--user-defaults', 'shorthand for --entity-type users --entity-default')
    .option('--client <id>', 'shorthand for --entity-type clients --entity-name <id>')
    .option('--client-defaults', 'shorthand for --entity-type clients --entity-default')
    .option('--add-config <k=v,...>', "configs to set: 'k1=v1,k2=[v1,v2],k3=v3' (brackets group commas)")
    .option('--add-config-file <file>', 'properties file of configs to set')
    .option('--delete-config <k,...>', 'config keys to remove (repeatable)', collect)
    .option('--force', 'accepted for compatibility (kts never prompts here)');
  addOutputOption(cmd);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  const req = validateConfigsFlags(flags);
  const changes = req.action === 'alter' ? { add: parseConfigsToAdd(flags.addConfig, flags.addConfigFile), delete: parseConfigsToDelete(flags.deleteConfig) } : null;
  const properties = flags.commandConfig ? readPropertiesFile(flags.commandConfig) : undefined;
  const cluster = await ConfigCluster.open({ bootstrapServer: flags.bootstrapServer, properties });
  try {
    const [type] = req.entityTypes;
    if (type === 'users' || type === 'clients') throw quotasUnavailable(cluster);
    if (changes === null) await describe(cluster, req, type!, flags.output);
    else await alter(cluster, type!, req.entityNames[0]!, changes, flags.output);
  } finally {
    cluster.close();
  }
}

async function describe(cluster: ConfigCluster, req: ConfigsRequest, type: ResourceEntityType, output: OutputFormat): Promise<void> {
  const names =
    req.entityNames.length > 0 ? req.entityNames : type === 'topics' ? await cluster.topicNames() : [...(await cluster.brokerIds()).map(String), ''];
  const described = [];
  for (const name of names) described.push({ type, name, configs: await resourceConfigs(cluster, type, name, req.describeAll) });
  if (output === 'json') {
    printJson(described);
    return;
  }
  for (const d of described) process.stdout.write([describeHeader(type, d.name, req.describeAll), ...d.configs.map(entryLine)].map((l) => `${l}\n`).join(''));
}

async function alter(
  cluster: ConfigCluster,
  type: ResourceEntityType,
  name: string,
  changes: { add: ReadonlyMap<string, string>; delete: readonly string[] },
  output: OutputFormat,
): Promise<void> {
  await alterResourceConfigs(cluster, type, name, changes);
  if (output === 'json') printJson({ type, name, set: Object.fromEntries(changes.add), deleted: changes.delete });
  else process.stdout.write(`${completedLine(type, name)}\n`);
}

/** Quotas need DescribeClientQuotas/AlterClientQuotas, which kts does not speak yet: say which, rather than pretend. */
function quotasUnavailable(cluster: ConfigCluster): CliError {
  const address = formatBroker(cluster.bootstrap.address);
  if (!cluster.bootstrap.supports(ApiKey.DescribeClientQuotas)) {
    return new CliError(`Error: the broker at ${address} does not support DescribeClientQuotas, so user and client quota configs cannot be read or changed`);
  }
  return new CliError('Error: user and client quota configs (DescribeClientQuotas/AlterClientQuotas) are not implemented by kts configs yet');
}
