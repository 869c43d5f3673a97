import { Option, type Command } from 'commander';
import { parseOffsetSpec } from '../../tools/get-offsets/offset-spec.js';
import { verifyReplicas } from '../../tools/replica-verification/replica-verification.js';
import { UsageError } from '../../util/errors.js';

interface Flags {
  brokerList?: string;
  fetchSize: number;
  maxWaitMs: number;
  topicWhiteList?: string;
  topicsInclude?: string;
  time: string;
  reportIntervalMs: number;
}

const EXAMPLES = `
Examples:
  kts replica-verification --broker-list localhost:9092 --topics-include 'orders.*' --report-interval-ms 5000
Runs until interrupted; prints "<time>: max lag is <n> for partition <p> at offset <o> among <n> partitions"
every --report-interval-ms, and exits 1 when two replicas hold different offsets.`;

export function configure(cmd: Command): void {
  cmd
    .option('--broker-list <host:port,...>', 'REQUIRED: the brokers to bootstrap from')
    .addOption(new Option('--fetch-size <bytes>', 'the fetch size of each request').argParser(intArg('--fetch-size')).default(1_048_576))
    .addOption(
      new Option('--max-wait-ms <ms>', 'the max amount of time each fetch request waits').argParser(intArg('--max-wait-ms')).default(1000),
    )
    .addOption(new Option('--topic-white-list <regex>', 'deprecated: use --topics-include').hideHelp())
    .option('--topics-include <regex>', 'the topics to verify (default .*)')
    .option('--time <timestamp>', 'where to start: -1 latest, -2 earliest, or a timestamp', '-1')
    .addOption(new Option('--report-interval-ms <ms>', 'the reporting interval').argParser(intArg('--report-interval-ms')).default(30_000))
    .addHelpText('after', EXAMPLES)
    .action(run);
}

async function run(flags: Flags): Promise<void> {
  if (flags.brokerList === undefined) throw new UsageError('Missing required argument "[broker-list]"');
  const time = parseOffsetSpec(flags.time);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await verifyReplicas(
      {
        brokerList: flags.brokerList,
        topicsInclude: flags.topicsInclude ?? flags.topicWhiteList ?? '.*',
        fetchSize: flags.fetchSize,
        maxWaitMs: flags.maxWaitMs,
        time,
        reportIntervalMs: flags.reportIntervalMs,
        signal: abort.signal,
      },
      (line) => process.stdout.write(`${line}\n`),
    );
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function intArg(flag: string): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text)) throw new UsageError(`Error: invalid ${flag} '${text}': expected a whole number`);
    return Number(text);
  };
}
