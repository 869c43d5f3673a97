import type { Command } from 'commander';
import { type ElectionType, electLeaders, parseElectionJson } from '../../tools/leader-election/leader-election.js';
import { UsageError } from '../../util/errors.js';
import { readPropertiesFile } from '../../util/properties.js';
import { readUserFile } from '../../util/read-file.js';
import { addBootstrapOption } from '../options.js';

interface Flags {
  bootstrapServer?: string;
  'admin.config'?: string;
  electionType?: string;
  topic?: string;
  partition?: string;
  allTopicPartitions?: boolean;
  pathToJsonFile?: string;
}

const EXAMPLES = `
Examples:
  kts leader-election --bootstrap-server localhost:9092 --election-type preferred --all-topic-partitions
  kts leader-election --bootstrap-server localhost:9092 --election-type unclean --topic orders --partition 0
  kts leader-election --bootstrap-server localhost:9092 --election-type preferred --path-to-json-file elect.json
    (elect.json: {"partitions":[{"topic":"orders","partition":1}]})`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  cmd
    .option('--admin.config <file>', 'client properties file for the admin client')
    .option(
      '--election-type <type>',
      'preferred: the first assigned replica, if in sync; unclean: any live replica of a leaderless partition',
    )
    .option('--topic <topic>', 'the topic of one partition to elect a leader for (with --partition)')
    .option('--partition <id>', 'the partition of --topic')
    .option('--all-topic-partitions', 'every partition of every topic')
    .option('--path-to-json-file <file>', '{"partitions":[{"topic":"foo","partition":1}]}')
    .addHelpText('after', EXAMPLES)
    .action(run);
}

async function run(flags: Flags): Promise<void> {
  const type = checkArgs(flags);
  let partitions = null;
  if (flags.pathToJsonFile !== undefined) partitions = parseElectionJson(readUserFile(flags.pathToJsonFile, 'JSON file'));
  else if (flags.topic !== undefined) partitions = [{ topic: flags.topic, partition: Number(flags.partition) }];
  const adminConfig = flags['admin.config'];
  const properties = adminConfig ? readPropertiesFile(adminConfig) : undefined;
  await electLeaders({ bootstrapServer: flags.bootstrapServer, properties }, type, partitions, (line) => process.stdout.write(`${line}\n`));
}

/** Kafka's LeaderElectionCommandOptions.validate. */
function checkArgs(flags: Flags): ElectionType {
  const missing = [flags.bootstrapServer === undefined && 'bootstrap-server', flags.electionType === undefined && 'election-type'].filter(
    Boolean,
  );
  if (missing.length > 0) throw new UsageError(`Missing required option(s): ${missing.join(', ')}`);
  const type = flags.electionType!.toUpperCase();
  if (type !== 'PREFERRED' && type !== 'UNCLEAN')
    throw new UsageError(`Error: invalid --election-type '${flags.electionType}': expected preferred or unclean`);
  const exclusive = [flags.topic, flags.allTopicPartitions, flags.pathToJsonFile].filter((v) => v !== undefined).length;
  if (exclusive !== 1)
    throw new UsageError('One and only one of the following options is required: topic, all-topic-partitions, path-to-json-file');
  if (flags.topic !== undefined && flags.partition === undefined) throw new UsageError('Missing required option(s): partition');
  if (flags.topic === undefined && flags.partition !== undefined) throw new UsageError('Option partition is only allowed if topic is used');
  if (flags.partition !== undefined && !/^\d+$/.test(flags.partition))
    throw new UsageError(`Error: invalid --partition '${flags.partition}'`);
  return type;
}
