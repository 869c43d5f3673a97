import { once } from 'node:events';
import { Option, type Command } from 'commander';
import { UsageError } from '../../util/errors.js';
import { PRODUCER_KEYS, producerPropertyOptions } from '../../tools/common/producer-properties.js';
import { verifiableProducer } from '../../tools/verifiable/verifiable-producer.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption } from '../options.js';

interface Flags {
  topic: string;
  bootstrapServer?: string;
  brokerList?: string;
  maxMessages: string;
  throughput: string;
  acks: string;
  'producer.config'?: string;
  messageCreateTime: string;
  valuePrefix?: string;
  repeatingKeys?: string;
}

const EXAMPLES = `
Examples:
  kts verifiable-producer --topic checks --max-messages 1000
  kts verifiable-producer --topic checks --throughput 100 --acks 1 --value-prefix 7 --repeating-keys 10
Prints one JSON event per line: startup_complete, producer_send_success / producer_send_error per
message, shutdown_complete and tool_data at the end (also after SIGINT/SIGTERM).`;

export function configure(cmd: Command): void {
  cmd.requiredOption('--topic <topic>', 'produce messages to this topic');
  addBootstrapOption(cmd);
  cmd
    .addOption(new Option('--broker-list <list>', 'deprecated alias of --bootstrap-server').hideHelp())
    .option('--max-messages <n>', 'produce this many messages; -1: until stopped', '-1')
    .option('--throughput <n>', 'at most about this many messages/sec; -1: no limit', '-1')
    .addOption(new Option('--acks <acks>', 'acks required on each produced message').choices(['0', '1', '-1']).default('-1'))
    .option('--producer.config <file>', 'producer properties file (wins over --acks)')
    .option('--message-create-time <ms>', 'CreateTime of the first message, in ms since the epoch', '-1')
    .option('--value-prefix <n>', 'values are <prefix>.<number>')
    .option('--repeating-keys <n>', 'keys 0, 1, ... up to n (exclusive), then 0 again');
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  const properties = new Map<string, string>([
    ['acks', flags.acks],
    ['retries', '0'],
  ]);
  for (const [k, v] of clientProperties(flags['producer.config'])) properties.set(k, v);
  const createTime = integer(flags.messageCreateTime, '--message-create-time');
  const stopped = Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]).then(() => {});
  await verifiableProducer({
    topic: flags.topic,
    maxMessages: integer(flags.maxMessages, '--max-messages'),
    throughput: integer(flags.throughput, '--throughput'),
    ...(flags.valuePrefix !== undefined ? { valuePrefix: integer(flags.valuePrefix, '--value-prefix') } : {}),
    ...(createTime !== -1 ? { createTime } : {}),
    ...(flags.repeatingKeys !== undefined ? { repeatingKeys: positive(flags.repeatingKeys, '--repeating-keys') } : {}),
    producer: producerPropertyOptions(properties),
    connect: { bootstrapServer: flags.bootstrapServer ?? flags.brokerList, properties, consumedKeys: PRODUCER_KEYS },
    print: (line) => process.stdout.write(`${line}\n`),
    stopped,
  });
}

/** argparse4j's Integer/Long conversion, with its message. */
function integer(text: string, flag: string): number {
  const n = /^[-+]?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`Error: argument ${flag}: could not convert '${text}' to Integer`);
  return n;
}

function positive(text: string, flag: string): number {
  const n = integer(text, flag);
  if (n < 1) throw new UsageError(`Error: argument ${flag}: must be at least 1`);
  return n;
}
