import type { Command } from 'commander';
import { withVersionedCluster } from '../../client/versioned-cluster.js';
import { prettyTable } from '../../tools/common/pretty-table.js';
import { TransactionsAdmin } from '../../tools/transactions/transactions-admin.js';
import {
  type AbortTarget,
  abortTransaction,
  describeProducers,
  describeTransaction,
  findHanging,
  listTransactions,
  type TransactionsTable,
} from '../../tools/transactions/transactions-command.js';
import { UsageError } from '../../util/errors.js';
import { readPropertiesFile } from '../../util/properties.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';

interface Flags {
  bootstrapServer?: string;
  commandConfig?: string;
  transactionalId?: string;
  topic?: string;
  partition?: string;
  brokerId?: string;
  startOffset?: string;
  producerId?: string;
  producerEpoch?: string;
  coordinatorEpoch?: string;
  durationFilter?: string;
  maxTransactionTimeout?: string;
  output: OutputFormat;
}

type Subcommand = 'list' | 'describe' | 'describe-producers' | 'abort' | 'find-hanging';

/** The options each subcommand takes (Kafka's subparsers); any other is refused as argparse4j refuses it. */
const OPTIONS: Record<Subcommand, readonly (keyof Flags)[]> = {
  list: ['durationFilter'],
  describe: ['transactionalId'],
  'describe-producers': ['topic', 'partition', 'brokerId'],
  abort: ['topic', 'partition', 'startOffset', 'producerId', 'producerEpoch', 'coordinatorEpoch'],
  'find-hanging': ['topic', 'partition', 'brokerId', 'maxTransactionTimeout'],
};
const SUBCOMMAND_OPTIONS: readonly (keyof Flags)[] = [...new Set(Object.values(OPTIONS).flat())];

const EXAMPLES = `
Examples:
  kts transactions list
  kts transactions list --duration-filter 60000
  kts transactions describe --transactional-id orders-tx
  kts transactions describe-producers --topic orders --partition 0
  kts transactions abort --topic orders --partition 0 --start-offset 42
  kts transactions find-hanging --broker-id 1
  kts transactions find-hanging --topic orders --max-transaction-timeout 5 --output json`;

export function configure(cmd: Command): void {
  cmd.argument('<command>', "Kafka's subcommand: list, describe, describe-producers, abort or find-hanging");
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  cmd
    .option('--transactional-id <id>', 'describe: the transactional id')
    .option('--topic <topic>', 'describe-producers, abort, find-hanging: topic name')
    .option('--partition <n>', 'describe-producers, abort, find-hanging: partition number')
    .option('--broker-id <id>', 'describe-producers: a replica to ask instead of the leader; find-hanging: the broker to search')
    .option('--start-offset <offset>', 'abort: start offset of the transaction to abort')
    .option('--producer-id <id>', 'abort: producer id (with --producer-epoch and --coordinator-epoch, for brokers before 3.0)')
    .option('--producer-epoch <epoch>', 'abort: producer epoch')
    .option('--coordinator-epoch <epoch>', 'abort: coordinator epoch')
    .option('--duration-filter <ms>', 'list: only transactions running longer than this (ms); below 0: all')
    .option('--max-transaction-timeout <minutes>', 'find-hanging: largest transaction timeout in minutes (default: 15)');
  addOutputOption(cmd, ['text', 'json']);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(command: string, flags: Flags): Promise<void> {
  if (!(command in OPTIONS)) {
    throw new UsageError(
      `Command line error: invalid choice: '${command}' (choose from 'list', 'describe', 'describe-producers', 'abort', 'find-hanging')`,
    );
  }
  const sub = command as Subcommand;
  for (const option of SUBCOMMAND_OPTIONS) {
    if (flags[option] !== undefined && !OPTIONS[sub].includes(option)) {
      throw new UsageError(`Command line error: unrecognized arguments: '--${kebab(option)}' (not an option of ${sub})`);
    }
  }
  const properties = flags.commandConfig ? readPropertiesFile(flags.commandConfig) : undefined;
  const now = Date.now();
  const table = await withVersionedCluster({ bootstrapServer: flags.bootstrapServer, properties }, async (cluster) => {
    const admin = new TransactionsAdmin(cluster);
    switch (sub) {
      case 'list':
        return listTransactions(admin, flags.durationFilter === undefined ? undefined : long(flags.durationFilter, '--duration-filter'));
      case 'describe':
        return describeTransaction(admin, required(flags.transactionalId, '--transactional-id'), now);
      case 'describe-producers':
        return describeProducers(admin, topicPartition(flags), optionalInt(flags.brokerId, '--broker-id'));
      case 'abort':
        await abortTransaction(admin, topicPartition(flags), abortTarget(flags));
        return undefined;
      case 'find-hanging': {
        const brokerId = optionalInt(flags.brokerId, '--broker-id');
        const partition = optionalInt(flags.partition, '--partition');
        if (flags.topic === undefined && brokerId === undefined) {
          throw new UsageError('The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search');
        }
        if (partition !== undefined && flags.topic === undefined)
          throw new UsageError('The --partition argument requires --topic to be provided');
        const minutes = int(flags.maxTransactionTimeout ?? '15', '--max-transaction-timeout');
        return findHanging(admin, { topic: flags.topic, partition, brokerId }, minutes * 60_000, now);
      }
    }
  });
  if (table) print(table, flags.output);
}

function print(table: TransactionsTable, output: OutputFormat): void {
  if (output === 'json') printJson(table.json);
  else process.stdout.write(prettyTable(table.headers, table.rows));
}

function abortTarget(flags: Flags): AbortTarget {
  if (flags.startOffset !== undefined) return { startOffset: long(flags.startOffset, '--start-offset') };
  if (flags.producerId === undefined) {
    throw new UsageError(
      'The transaction to abort must be identified either with --start-offset (for brokers on 3.0 or above) or with --producer-id, --producer-epoch, and --coordinator-epoch (for older brokers)',
    );
  }
  return {
    producerId: long(flags.producerId, '--producer-id'),
    producerEpoch: int(required(flags.producerEpoch, '--producer-epoch', 'Missing required argument --producer-epoch'), '--producer-epoch'),
    coordinatorEpoch: int(
      required(flags.coordinatorEpoch, '--coordinator-epoch', 'Missing required argument --coordinator-epoch'),
      '--coordinator-epoch',
    ),
  };
}

function topicPartition(flags: Flags): { topic: string; partition: number } {
  return { topic: required(flags.topic, '--topic'), partition: int(required(flags.partition, '--partition'), '--partition') };
}

function required(value: string | undefined, option: string, message = `Command line error: argument ${option} is required`): string {
  if (value === undefined) throw new UsageError(message);
  return value;
}

function int(text: string, option: string): number {
  if (!/^-?\d+$/.test(text) || Math.abs(Number(text)) > 0x7fffffff) {
    throw new UsageError(`Command line error: argument ${option}: could not convert '${text}' to Integer`);
  }
  return Number(text);
}

function optionalInt(text: string | undefined, option: string): number | undefined {
  return text === undefined ? undefined : int(text, option);
}

function long(text: string, option: string): bigint {
  if (!/^-?\d+$/.test(text)) throw new UsageError(`Command line error: argument ${option}: could not convert '${text}' to Long`);
  return BigInt(text);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
