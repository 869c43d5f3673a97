import type { Command } from 'commander';
import { collect } from '../../tools/common/option-parsers.js';
import { parseConfigsToAdd, parseConfigsToDelete } from '../../tools/configs/add-config.js';
import { alterResourceConfigs, completedLine, type ConfigChanges } from '../../tools/configs/alter-configs.js';
import { alterClientQuotas, describeClientQuotas, quotaEntity, type QuotaEntityEntry } from '../../tools/configs/client-quotas.js';
import { ConfigCluster } from '../../tools/configs/config-cluster.js';
import { validateConfigsFlags, type ConfigsFlags, type ConfigsRequest } from '../../tools/configs/configs-options.js';
import { describeHeader, entryLine, resourceConfigs, type ResourceEntityType } from '../../tools/configs/describe-configs.js';
import { quotaChanges, type QuotaChanges, type QuotaEntityType } from '../../tools/configs/quota-changes.js';
import { orderedQuotas, quotaLines } from '../../tools/configs/quota-text.js';
import { alterUserScramCredentials, describeUserScramCredentials } from '../../tools/configs/scram-credentials.js';
import { clientProperties } from '../profiles/active-profile.js';
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
  kts configs --describe --entity-type brokers --entity-default
  kts configs --alter --user alice --client c1 --add-config 'producer_byte_rate=1024,consumer_byte_rate=2048'
  kts configs --alter --client-defaults --delete-config request_percentage
  kts configs --describe --entity-type users`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  cmd
    .option('--describe', 'list the configs of the given entity (without a name: every topic, broker, user or client)')
    .option('--alter', 'change the configs of the given entity')
    .option('--all', 'describe: every config, not only the dynamic ones (defaults and static broker configs too)')
    .option(
      '--bootstrap-controller <list>',
      'KRaft controllers to reach instead of brokers: refused, kts clusters run in ZooKeeper mode (use --bootstrap-server)',
    )
    .option(
      '--entity-type <type>',
      'topics, brokers, broker-loggers, client-metrics, users, clients (users and clients may go together) or ips',
      collect,
    )
    .option('--entity-name <name>', 'topic name, broker id, user principal or client id', collect)
    .option('--entity-default', 'the default entity of the type (brokers: the cluster-wide default)')
    .option('--topic <name>', 'shorthand for --entity-type topics --entity-name <name>')
    .option('--broker <id>', 'shorthand for --entity-type brokers --entity-name <id>')
    .option('--broker-defaults', 'shorthand for --entity-type brokers --entity-default')
    .option('--broker-logger <id>', 'shorthand for --entity-type broker-loggers --entity-name <id>')
    .option('--user <principal>', 'shorthand for --entity-type users --entity-name <principal>')
    .option('--user-defaults', 'shorthand for --entity-type users --entity-default')
    .option('--ip <address>', 'shorthand for --entity-type ips --entity-name <address>')
    .option('--ip-defaults', 'shorthand for --entity-type ips --entity-default')
    .option('--client <id>', 'shorthand for --entity-type clients --entity-name <id>')
    .option('--client-defaults', 'shorthand for --entity-type clients --entity-default')
    .option('--add-config <k=v,...>', "configs to set: 'k1=v1,k2=[v1,v2],k3=v3' (brackets group commas)")
    .option('--add-config-file <file>', 'properties file of configs to set')
    .option('--delete-config <k,...>', 'config keys to remove (repeatable)', collect)
    .option('--force', 'accepted for compatibility (kts never prompts here)');
  // Kafka pairs names with types in command-line order, defaults included: keep --entity-default's place.
  cmd.on('option:entity-default', () =>
    cmd.setOptionValue('entityName', collect('', cmd.getOptionValue('entityName') as string[] | undefined)),
  );
  addOutputOption(cmd);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  const req = validateConfigsFlags(flags);
  const changes =
    req.action === 'alter'
      ? { add: parseConfigsToAdd(flags.addConfig, flags.addConfigFile), delete: parseConfigsToDelete(flags.deleteConfig) }
      : null;
  const [type] = req.entityTypes;
  const quotaTypes = type === 'users' || type === 'clients' || type === 'ips' ? (req.entityTypes as QuotaEntityType[]) : null;
  const quotas = quotaTypes !== null && changes !== null ? quotaChanges(quotaTypes, changes, req.entityNames) : null;
  const properties = clientProperties(flags.commandConfig);
  const cluster = await ConfigCluster.open({ bootstrapServer: flags.bootstrapServer, properties });
  try {
    if (quotaTypes !== null) {
      if (quotas === null) await describeQuotas(cluster, quotaTypes, req.entityNames, flags.output);
      else await alterQuotas(cluster, quotaTypes, req.entityNames, quotas, flags.output);
    } else if (changes === null) {
      await describe(cluster, req, type as ResourceEntityType, flags.output);
    } else {
      await alter(cluster, type as ResourceEntityType, req.entityNames[0]!, changes, flags.output);
    }
  } finally {
    cluster.close();
  }
}

async function describe(cluster: ConfigCluster, req: ConfigsRequest, type: ResourceEntityType, output: OutputFormat): Promise<void> {
  const names = req.entityNames.length > 0 ? req.entityNames : await allNames(cluster, type);
  const described = [];
  for (const name of names) described.push({ type, name, configs: await resourceConfigs(cluster, type, name, req.describeAll) });
  if (output === 'json') {
    printJson(described);
    return;
  }
  for (const d of described)
    process.stdout.write([describeHeader(type, d.name, req.describeAll), ...d.configs.map(entryLine)].map((l) => `${l}\n`).join(''));
}

async function alter(
  cluster: ConfigCluster,
  type: ResourceEntityType,
  name: string,
  changes: ConfigChanges,
  output: OutputFormat,
): Promise<void> {
  await alterResourceConfigs(cluster, type, name, changes);
  if (output === 'json') printJson({ type, name, set: Object.fromEntries(changes.add), deleted: changes.delete });
  else process.stdout.write(`${completedLine(type, name)}\n`);
}

async function describeQuotas(cluster: ConfigCluster, types: QuotaEntityType[], names: string[], output: OutputFormat): Promise<void> {
  const entries = await describeClientQuotas(cluster.bootstrap, types, names);
  if (output === 'json')
    printJson(
      orderedQuotas(entries).map((e) => ({
        entity: entityJson(e.entity),
        configs: Object.fromEntries(e.values.map((v) => [v.key, v.value])),
      })),
    );
  else {
    // As ConfigCommand: users alone (not the default) are also described by their SCRAM credentials.
    const users = types.length === 1 && types[0] === 'users' && names[0] !== '';
    const scram = users ? await describeUserScramCredentials(cluster.bootstrap, names) : [];
    process.stdout.write([...quotaLines(entries), ...scram].map((l) => `${l}\n`).join(''));
  }
}

async function alterQuotas(
  cluster: ConfigCluster,
  types: QuotaEntityType[],
  names: string[],
  changes: QuotaChanges,
  output: OutputFormat,
): Promise<void> {
  if (changes.set.size > 0 || changes.delete.length > 0) await alterClientQuotas(cluster.bootstrap, types, names, changes);
  if (changes.scram.upsert.size > 0 || changes.scram.delete.length > 0)
    await alterUserScramCredentials(cluster.bootstrap, names[0]!, changes.scram);
  if (output === 'json')
    printJson({
      entity: entityJson(quotaEntity(types, names)),
      set: Object.fromEntries(changes.set),
      deleted: changes.delete,
      ...(changes.scram.upsert.size + changes.scram.delete.length > 0 && {
        scram: { set: [...changes.scram.upsert.keys()], deleted: changes.scram.delete },
      }),
    });
  else process.stdout.write(`${completedLine(types[0]!, names[0]!)}\n`);
}

/** `{ "user": "alice", "client-id": null }`: Kafka's entity types, null for a default. */
function entityJson(entity: QuotaEntityEntry['entity']): Record<string, string | null> {
  return Object.fromEntries(entity.map((c) => [c.entityType, c.entityName]));
}

/** `--describe` without a name (broker loggers always have one): every topic or client-metrics resource, or each broker then the cluster default. */
async function allNames(cluster: ConfigCluster, type: ResourceEntityType): Promise<string[]> {
  if (type === 'topics') return cluster.topicNames();
  if (type === 'client-metrics') return cluster.clientMetricsResources();
  return [...(await cluster.brokerIds()).map(String), ''];
}
