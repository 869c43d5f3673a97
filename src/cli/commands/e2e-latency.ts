import type { Command } from 'commander';
import { readPropertiesFile } from '../../util/properties.js';
import { UsageError } from '../../util/errors.js';
import { CONSUMER_KEYS } from '../../tools/console-consumer/consumer-settings.js';
import { PRODUCER_KEYS, producerPropertyOptions } from '../../tools/common/producer-properties.js';
import { endToEndLatency } from '../../tools/e2e-latency/end-to-end-latency.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';

interface Flags {
  output: OutputFormat;
  verbose?: boolean;
}

const USAGE = 'USAGE: kts e2e-latency broker_list topic num_messages producer_acks message_size_bytes [optional] properties_file';

const EXAMPLES = `
Arguments (Kafka's, in order):
  broker_list topic num_messages producer_acks message_size_bytes [properties_file]

Examples:
  kts e2e-latency localhost:9092 latency 10000 all 100
  kts e2e-latency localhost:9092 latency 1000 1 512 client.properties`;

export function configure(cmd: Command): void {
  cmd.argument('[args...]', 'broker_list topic num_messages producer_acks message_size_bytes [properties_file]');
  addOutputOption(cmd);
  cmd.option('--verbose', 'log client activity to stderr');
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(args: string[], flags: Flags): Promise<void> {
  if (args.length !== 5 && args.length !== 6) throw new UsageError(USAGE);
  const [brokers, topic, numText, acksText, sizeText, propertiesFile] = args as [string, string, string, string, string, string?];
  const messages = int(numText);
  const messageSize = int(sizeText);
  if (acksText !== '1' && acksText !== 'all') {
    throw new UsageError('Error: Latency testing requires synchronous acknowledgement. Please use 1 or all');
  }
  const properties = propertiesFile?.trim() ? readPropertiesFile(propertiesFile) : new Map<string, string>();
  properties.set('bootstrap.servers', brokers);
  const json = flags.output === 'json';
  const summary = await endToEndLatency({
    topic,
    messages,
    acks: acksText === 'all' ? -1 : 1,
    messageSize,
    producer: producerPropertyOptions(properties),
    connect: { properties, consumedKeys: [...PRODUCER_KEYS, ...CONSUMER_KEYS], verbose: flags.verbose },
    print: json ? () => {} : (line) => process.stdout.write(`${line}\n`),
  });
  if (json) printJson(summary);
}

/** Integer.parseInt, with Java's NumberFormatException message. */
function int(text: string): number {
  const n = /^[-+]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** 31 - 1) throw new UsageError(`Error: For input string: "${text}"`);
  return n;
}
