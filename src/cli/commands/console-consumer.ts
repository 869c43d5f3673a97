import { Option, type Command } from 'commander';
import { parsePropertyArgs, readPropertiesFile } from '../../util/properties.js';
import { collect, intOption } from '../../tools/common/option-parsers.js';
import { consume } from '../../tools/console-consumer/consume.js';
import { validateConsumerFlags, type ConsumeRequest, type ConsumerFlags } from '../../tools/console-consumer/consumer-options.js';
import { coordinatorFormatter } from '../../tools/console-consumer/coordinator-formatters.js';
import { formatterClass } from '../../tools/console-consumer/formatter-class.js';
import { CONSUMER_KEYS, fetchSettings, groupSettings } from '../../tools/console-consumer/consumer-settings.js';
import { defaultFormatter, defaultFormatterConfig } from '../../tools/console-consumer/default-formatter.js';
import { jsonFormatter } from '../../tools/console-consumer/json-format.js';
import { kcatFormatter } from '../../tools/console-consumer/kcat-format.js';
import type { RecordFormatter } from '../../tools/console-consumer/output-chunks.js';
import { UsageError } from '../../util/errors.js';
import { asKafkaScript } from '../kafka-script.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption, addCommandConfigOption, addVerboseOption } from '../options.js';
import { addOutputOption, type OutputFormat } from '../output.js';

interface Flags extends ConsumerFlags {
  bootstrapServer?: string;
  whitelist?: string;
  property?: string[];
  formatterProperty?: string[];
  formatterConfig?: string;
  format?: string;
  formatter?: string;
  keyDeserializer?: string;
  valueDeserializer?: string;
  enableSystestEvents?: boolean;
  consumerProperty?: string[];
  'consumer.config'?: string;
  output: OutputFormat;
  verbose?: boolean;
}

const EXAMPLES = `
Examples:
  kts console-consumer --topic orders --from-beginning --max-messages 10
  kts console-consumer --topic orders --from-beginning --property print.key=true --property print.timestamp=true
  kts console-consumer --include 'orders|payments' --from-beginning --format '%t [%p] @%o: %k=%s\\n'
  kts console-consumer --topic orders --partition 0 --offset 42 --exit-at-end
  kts console-consumer --topic orders --from-beginning --output json --exit-at-end > orders.jsonl
  kts console-consumer --topic orders --group billing --timeout-ms 5000`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  cmd
    .option('--topic <topic>', 'topic to read')
    .option('--include <regex>', 'read every topic this regex fully matches (instead of --topic)')
    .addOption(new Option('--whitelist <regex>', 'deprecated alias of --include').hideHelp())
    .option('--partition <n>', 'read only this partition (starts at the end unless --offset/--from-beginning)', intOption(0))
    .option('--offset <offset>', 'with --partition: earliest, latest or an offset (default: latest)')
    .option('--from-beginning', 'start at the earliest offset when there is no committed one')
    .option('--group <id>', 'consumer group to join (default: none, read every partition without a group)')
    .option('--max-messages <n>', 'exit after this many messages (-1: no limit, the default)', intOption())
    .option('--timeout-ms <ms>', 'exit when no message arrives for this long', intOption())
    .option('--exit-at-end', 'exit once every partition is read up to the end it had at start')
    .option('--isolation-level <level>', 'read_committed or read_uncommitted (default)')
    .option('--skip-message-on-error', 'skip a message that cannot be formatted instead of stopping')
    .option(
      '--property <key=value>',
      'formatter property: print.topic, print.timestamp, print.partition, print.offset, print.headers, print.key, print.value, key.separator, line.separator, headers.separator, null.literal (repeatable)',
      collect,
    )
    .addOption(new Option('--formatter-property <key=value>', 'alias of --property (Kafka 4)').argParser(collect).hideHelp())
    .option('--formatter-config <file>', 'formatter properties file (--property wins)')
    .option('--format <format>', 'kcat-style format: %t %p %o %k %s %T %h %K %S %R %%, escapes \\n \\t \\xHH')
    .option(
      '--formatter <class>',
      "Kafka's formatter class in org.apache.kafka.tools.consumer: DefaultMessageFormatter (default), LoggingMessageFormatter, NoOpMessageFormatter, or OffsetsMessageFormatter, GroupMetadataMessageFormatter, TransactionLogMessageFormatter for the coordinators' topics",
    )
    .option(
      '--key-deserializer <class>',
      'print keys through this Kafka deserializer (org.apache.kafka.common.serialization.IntegerDeserializer, ...)',
    )
    .option('--value-deserializer <class>', 'print values through this Kafka deserializer')
    .option('--enable-systest-events', "print Kafka's system-test lifecycle event (shutdown_complete) on exit")
    .option('--consumer-property <key=value>', 'consumer property (repeatable; wins over --consumer.config)', collect);
  addCommandConfigOption(cmd, '--consumer.config');
  addOutputOption(cmd);
  addVerboseOption(cmd);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  const properties = new Map([...clientProperties(flags['consumer.config']), ...parsePropertyArgs(flags.consumerProperty ?? [])]);
  if (!properties.has('client.id')) properties.set('client.id', 'console-consumer');
  const request = validateConsumerFlags({ ...flags, include: flags.include ?? flags.whitelist }, properties);
  try {
    await consumeWith(flags, request, properties);
  } finally {
    // ConsoleConsumer's shutdown hook.
    if (flags.enableSystestEvents) process.stdout.write('shutdown_complete\n');
  }
}

async function consumeWith(flags: Flags, request: ConsumeRequest, properties: Map<string, string>): Promise<void> {
  await consume({
    request,
    formatter: formatter(flags),
    fetch: fetchSettings(properties),
    group: groupSettings(properties),
    connect: { bootstrapServer: flags.bootstrapServer, properties, consumedKeys: CONSUMER_KEYS, verbose: flags.verbose },
    output: process.stdout,
    closedOutputNotice: asKafkaScript(),
  });
}

function formatter(flags: Flags): RecordFormatter {
  const chosen = [
    flags.format !== undefined && '--format',
    flags.output === 'json' && '--output json',
    flags.formatter !== undefined && '--formatter',
  ].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`Error: ${chosen.join(' and ')} cannot be used together`);
  if (flags.output === 'json') return jsonFormatter;
  if (flags.format !== undefined) return kcatFormatter(flags.format);
  const props = new Map([
    ...(flags.formatterConfig ? readPropertiesFile(flags.formatterConfig) : []),
    ...parsePropertyArgs([...(flags.property ?? []), ...(flags.formatterProperty ?? [])]),
  ]);
  // Kafka passes the deserializer options to the formatter as its properties, over --property.
  if (flags.keyDeserializer !== undefined) props.set('key.deserializer', flags.keyDeserializer);
  if (flags.valueDeserializer !== undefined) props.set('value.deserializer', flags.valueDeserializer);
  const chosenClass = flags.formatter === undefined ? undefined : formatterClass(flags.formatter);
  if (chosenClass?.warning !== undefined) process.stderr.write(`${chosenClass.warning}\n`);
  if (chosenClass === undefined || chosenClass.kind === 'default') return defaultFormatter(defaultFormatterConfig(props));
  if (chosenClass.kind === 'no-op') return () => {};
  return coordinatorFormatter(chosenClass.kind);
}
