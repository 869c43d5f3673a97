import { Option, type Command } from 'commander';
import { UsageError } from '../../util/errors.js';
import { CONSUMER_KEYS, fetchSettings, groupSettings } from '../../tools/console-consumer/consumer-settings.js';
import { simpleDateFormat } from '../../tools/common/java-format.js';
import { consumerPerf } from '../../tools/consumer-perf-test/consumer-perf.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption } from '../options.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';
import { progressBar } from '../progress.js';

interface Flags {
  bootstrapServer?: string;
  brokerList?: string;
  topic?: string;
  messages?: string;
  group?: string;
  fetchSize: string;
  fromLatest?: boolean;
  socketBufferSize: string;
  threads?: string;
  numFetchThreads?: string;
  'consumer.config'?: string;
  printMetrics?: boolean;
  showDetailedStats?: boolean;
  timeout: string | true;
  reportingInterval: string;
  dateFormat: string;
  hideHeader?: boolean;
  output: OutputFormat;
  verbose?: boolean;
}

const EXAMPLES = `
Examples:
  kts consumer-perf-test --topic perf --messages 1000000
  kts consumer-perf-test --topic perf --messages 1000000 --show-detailed-stats --reporting-interval 1000
  kts consumer-perf-test --topic perf --messages 500000 --group bench --from-latest --timeout 30000`;

const DEFAULT_TIMEOUT_MS = 10_000;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  cmd
    .addOption(new Option('--broker-list <list>', 'deprecated alias of --bootstrap-server').hideHelp())
    .option('--topic <topic>', 'REQUIRED: the topic to consume from')
    .option('--messages <n>', 'REQUIRED: the number of messages to consume')
    .option('--group <gid>', 'the group id to consume in (default: perf-consumer-<random>)')
    .option('--fetch-size <bytes>', 'the amount of data to fetch in a single request (max.partition.fetch.bytes)', '1048576')
    .option('--from-latest', 'without a committed offset, start at the end of the log rather than its start')
    .option('--socket-buffer-size <bytes>', 'the TCP receive buffer size (accepted; the OS default is used)', '2097152')
    .addOption(new Option('--threads <count>', 'deprecated and ignored').hideHelp())
    .addOption(new Option('--num-fetch-threads <count>', 'deprecated and ignored').hideHelp())
    .option('--consumer.config <file>', 'consumer properties file')
    .option('--print-metrics', 'accepted; kts prints no consumer metrics')
    .option('--show-detailed-stats', 'print stats every reporting interval instead of totals at the end')
    .option('--timeout [ms]', 'the longest wait between records, in ms', String(DEFAULT_TIMEOUT_MS))
    .option('--reporting-interval <ms>', 'how often --show-detailed-stats prints, in ms', '5000')
    .option('--date-format <pattern>', 'java.text.SimpleDateFormat pattern of the time fields', 'yyyy-MM-dd HH:mm:ss:SSS')
    .option('--hide-header', 'do not print the CSV header');
  addOutputOption(cmd);
  cmd.option('--verbose', 'log consumer activity to stderr');
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  if (flags.threads !== undefined || flags.numFetchThreads !== undefined) {
    process.stdout.write('WARNING: option [threads] and [num-fetch-threads] have been deprecated and will be ignored by the test\n');
  }
  if (flags.topic === undefined) throw new UsageError('Missing required argument "[topic]"');
  if (flags.messages === undefined) throw new UsageError('Missing required argument "[messages]"');
  const messages = whole(flags.messages, 'messages');
  const reportingIntervalMs = /^\d+$/.test(flags.reportingInterval) ? Number(flags.reportingInterval) : NaN;
  if (Number.isNaN(reportingIntervalMs)) throw new UsageError(`Value [${flags.reportingInterval}] did not match regex [^\\d+$]`);
  if (reportingIntervalMs <= 0) throw new UsageError('Reporting interval must be greater than 0.');
  let formatDate: (ms: number) => string;
  try {
    formatDate = simpleDateFormat(flags.dateFormat);
  } catch (err) {
    throw new UsageError(`Error: --date-format: ${(err as Error).message}`);
  }
  const properties = clientProperties(flags['consumer.config']);
  if (!properties.has('client.id')) properties.set('client.id', 'perf-consumer-client');
  const json = flags.output === 'json';
  const progress = json || flags.showDetailedStats ? undefined : progressBar(messages, 'messages');
  const print = (line: string) => {
    progress?.end();
    process.stdout.write(`${line}\n`);
  };
  try {
    const summary = await consumerPerf({
      topic: flags.topic,
      messages,
      group: flags.group ?? `perf-consumer-${Math.floor(Math.random() * 100_000)}`,
      autoCommit: properties.get('enable.auto.commit')?.trim().toLowerCase() !== 'false',
      fetch: {
        ...fetchSettings(properties),
        maxPartitionFetchBytes: whole(flags.fetchSize, 'fetch-size'),
        autoOffsetReset: flags.fromLatest ? 'latest' : 'earliest',
        checkCrcs: false,
      },
      groupSettings: groupSettings(properties),
      connect: {
        bootstrapServer: flags.bootstrapServer ?? flags.brokerList,
        properties,
        consumedKeys: [...CONSUMER_KEYS, 'receive.buffer.bytes'],
        verbose: flags.verbose,
      },
      timeoutMs: flags.timeout === true ? DEFAULT_TIMEOUT_MS : whole(flags.timeout, 'timeout'),
      reportingIntervalMs,
      showDetailedStats: flags.showDetailedStats === true && !json,
      hideHeader: flags.hideHeader === true || json,
      formatDate,
      print: json ? () => {} : print,
      ...(progress ? { progress: (n: number) => progress.update(n) } : {}),
    });
    if (json) printJson(summary);
  } finally {
    progress?.end();
  }
}

/** jopt's Long/Integer conversion. */
function whole(text: string, option: string): number {
  const n = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`Cannot parse argument '${text}' of option ${option}`);
  return n;
}
