import { once } from 'node:events';
import { Option, type Command } from 'commander';
import { UsageError } from '../../util/errors.js';
import { CONSUMER_KEYS, fetchSettings, groupSettings } from '../../tools/console-consumer/consumer-settings.js';
import { verifiableConsumer } from '../../tools/verifiable/verifiable-consumer.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption } from '../options.js';

interface Flags {
  topic: string;
  bootstrapServer?: string;
  brokerList?: string;
  groupProtocol: string;
  groupRemoteAssignor?: string;
  groupId: string;
  groupInstanceId?: string;
  maxMessages: string;
  sessionTimeout: string;
  verbose?: boolean;
  enableAutocommit?: boolean;
  resetPolicy: string;
  assignmentStrategy: string;
  'consumer.config'?: string;
}

const EXAMPLES = `
Examples:
  kts verifiable-consumer --topic checks --group-id checkers --max-messages 1000
  kts verifiable-consumer --topic checks --group-id checkers --verbose --reset-policy latest
Prints one JSON event per line: startup_complete, partitions_assigned / partitions_revoked,
records_consumed (record_data per record with --verbose), offsets_committed (without
--enable-autocommit), shutdown_complete (also after SIGINT/SIGTERM).`;

export function configure(cmd: Command): void {
  cmd.requiredOption('--topic <topic>', 'consume messages from this topic');
  addBootstrapOption(cmd);
  cmd
    .addOption(new Option('--broker-list <list>', 'deprecated alias of --bootstrap-server').hideHelp())
    .option('--group-protocol <protocol>', 'group protocol: classic (consumer, KIP-848, is not supported)', 'classic')
    .option('--group-remote-assignor <assignor>', 'group remote assignor; only used with the consumer group protocol')
    .requiredOption('--group-id <id>', 'the group id shared among members of the consumer group')
    .option('--group-instance-id <id>', 'a unique identifier of the consumer instance (a static member)')
    .option('--max-messages <n>', 'consume this many messages; -1: until stopped', '-1')
    .option('--session-timeout <ms>', "the consumer's session timeout", '30000')
    .option('--verbose', 'print a record_data event for each consumed record')
    .option('--enable-autocommit', 'commit offsets automatically instead of after each batch')
    .addOption(
      new Option('--reset-policy <policy>', 'where to start without a committed offset')
        .choices(['earliest', 'latest', 'none'])
        .default('earliest'),
    )
    .option('--assignment-strategy <class>', 'partition assignment strategy', 'org.apache.kafka.clients.consumer.RangeAssignor')
    .option('--consumer.config <file>', 'consumer properties file (the options above win)');
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  if (flags.groupProtocol.toLowerCase() !== 'classic') {
    throw new UsageError(`Error: --group-protocol ${flags.groupProtocol} is not supported: kts speaks the classic group protocol only`);
  }
  const properties = clientProperties(flags['consumer.config']);
  properties.set('partition.assignment.strategy', flags.assignmentStrategy);
  properties.set('session.timeout.ms', String(whole(flags.sessionTimeout, '--session-timeout')));
  if (flags.groupInstanceId !== undefined) properties.set('group.instance.id', flags.groupInstanceId);
  const stopped = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]).then(() => {});
  await verifiableConsumer({
    topic: flags.topic,
    maxMessages: whole(flags.maxMessages, '--max-messages', true),
    verbose: flags.verbose === true,
    fetch: { ...fetchSettings(properties), autoOffsetReset: flags.resetPolicy as 'earliest' | 'latest' | 'none' },
    group: { ...groupSettings(properties), groupId: flags.groupId, autoCommit: flags.enableAutocommit === true },
    connect: { bootstrapServer: flags.bootstrapServer ?? flags.brokerList, properties, consumedKeys: CONSUMER_KEYS },
    print: (line) => process.stdout.write(`${line}\n`),
    stopped,
  });
}

function whole(text: string, flag: string, allowNegative = false): number {
  const n = /^[-+]?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n) || (n < 0 && !allowNegative)) {
    throw new UsageError(`Error: argument ${flag}: could not convert '${text}' to Integer`);
  }
  return n;
}
