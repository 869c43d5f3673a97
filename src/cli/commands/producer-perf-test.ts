import type { Command } from 'commander';
import { UsageError } from '../../util/errors.js';
import { PRODUCER_KEYS, TRANSACTION_KEYS, producerPropertyOptions } from '../../tools/common/producer-properties.js';
import { readPayloadFile, type PayloadSource } from '../../tools/producer-perf-test/payloads.js';
import { producerPerf } from '../../tools/producer-perf-test/producer-perf.js';
import { parsePerfProps } from '../../tools/producer-perf-test/perf-props.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption } from '../options.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';
import { progressBar } from '../progress.js';

interface Flags {
  topic: string;
  numRecords: string;
  recordSize?: string;
  payloadFile?: string;
  payloadMonotonic?: boolean;
  payloadDelimiter: string;
  throughput: string;
  producerProps?: string[];
  'producer.config'?: string;
  printMetrics?: boolean;
  transactionalId: string;
  transactionDurationMs: string;
  bootstrapServer?: string;
  output: OutputFormat;
  verbose?: boolean;
}

const EXAMPLES = `
Examples:
  kts producer-perf-test --topic perf --num-records 1000000 --record-size 100 --throughput -1
  kts producer-perf-test --topic perf --num-records 100000 --record-size 1024 --throughput 5000 \\
    --producer-props acks=1 linger.ms=5 compression.type=lz4
  kts producer-perf-test --topic perf --num-records 1000 --payload-file lines.txt --throughput -1
  kts producer-perf-test --topic perf --num-records 10000 --record-size 100 --throughput -1 \\
    --transaction-duration-ms 1000 --transactional-id perf-tx`;

export function configure(cmd: Command): void {
  cmd
    .requiredOption('--topic <topic>', 'produce messages to this topic')
    .requiredOption('--num-records <n>', 'number of messages to produce')
    .option('--record-size <bytes>', 'message size in bytes (exactly one of --record-size, --payload-file, --payload-monotonic)')
    .option('--payload-file <file>', 'UTF-8 text file of payloads, one picked at random per message')
    .option('--payload-monotonic', 'payload is the message number, increasing')
    .option('--payload-delimiter <regex>', 'separates payloads in --payload-file (a Java regex)', '\\n')
    .requiredOption('--throughput <n>', 'at most about this many messages/sec; -1: no limit')
    .option('--producer-props <prop=value...>', 'producer properties (bootstrap.servers, acks, linger.ms ...); win over --producer.config')
    .option('--producer.config <file>', 'producer properties file')
    .option('--print-metrics', 'print producer metrics at the end')
    .option(
      '--transactional-id <id>',
      'the transactional.id when --transaction-duration-ms > 0',
      'performance-producer-default-transactional-id',
    )
    .option('--transaction-duration-ms <ms>', 'commit a transaction every this many ms; 0: no transactions', '0');
  addBootstrapOption(cmd);
  addOutputOption(cmd);
  cmd.option('--verbose', 'log producer activity to stderr');
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  const numRecords = long(flags.numRecords, '--num-records');
  if (numRecords < 1) throw new UsageError('Error: --num-records must be at least 1');
  const throughput = double(flags.throughput, '--throughput');
  if (throughput === 0) throw new UsageError('Error: --throughput 0 would never send a message (use -1 for no limit)');
  const transactionDurationMs = long(flags.transactionDurationMs, '--transaction-duration-ms');
  const json = flags.output === 'json';
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const payload = payloadSource(flags, print);
  const properties = new Map([...clientProperties(flags['producer.config']), ...parsePerfProps(flags.producerProps ?? [])]);
  if (!properties.has('client.id')) properties.set('client.id', 'perf-producer-client');
  const transactional = transactionDurationMs > 0;
  if (transactional) properties.set('transactional.id', flags.transactionalId);
  const progress = json ? undefined : progressBar(numRecords, 'records');
  try {
    const { summary, metrics } = await producerPerf({
      topic: flags.topic,
      numRecords,
      payload,
      throughput,
      producer: producerPropertyOptions(properties),
      connect: {
        bootstrapServer: flags.bootstrapServer,
        properties,
        consumedKeys: [...PRODUCER_KEYS, ...TRANSACTION_KEYS],
        verbose: flags.verbose,
      },
      ...(transactional ? { transactionDurationMs } : {}),
      printMetrics: flags.printMetrics === true,
      print: (line) => {
        progress?.end();
        print(line);
      },
      json,
      ...(progress ? { progress: (done: number) => progress.update(done) } : {}),
    });
    if (json) printJson({ ...summary, ...(flags.printMetrics ? { metrics } : {}) });
  } finally {
    progress?.end();
  }
}

function payloadSource(flags: Flags, print: (line: string) => void): PayloadSource {
  const given = [
    flags.recordSize !== undefined && '--record-size',
    flags.payloadFile !== undefined && '--payload-file',
    flags.payloadMonotonic === true && '--payload-monotonic',
  ].filter((f): f is string => f !== false);
  if (given.length === 0) throw new UsageError('Error: one of the arguments --record-size --payload-file --payload-monotonic is required');
  if (given.length > 1) throw new UsageError(`Error: argument ${given[1]}: not allowed with argument ${given[0]}`);
  if (flags.recordSize !== undefined) {
    const size = long(flags.recordSize, '--record-size');
    if (size < 0 || size > 2 ** 31 - 1) throw new UsageError(`Error: argument --record-size: ${size} is not a record size`);
    return { kind: 'random', size };
  }
  if (flags.payloadFile !== undefined) {
    return {
      kind: 'file',
      payloads: readPayloadFile(flags.payloadFile, flags.payloadDelimiter, flags.output === 'json' ? () => {} : print),
    };
  }
  return { kind: 'monotonic' };
}

/** argparse4j's Long/Integer conversion, with its message. */
function long(text: string, flag: string): number {
  const n = /^[-+]?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`Error: argument ${flag}: could not convert '${text}' to Long`);
  return n;
}

function double(text: string, flag: string): number {
  const n = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (Number.isNaN(n)) throw new UsageError(`Error: argument ${flag}: could not convert '${text}' to Double`);
  return n;
}
