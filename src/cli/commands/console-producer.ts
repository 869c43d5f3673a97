import { closeSync, createReadStream, fstatSync, openSync, statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { parsePropertyArgs, readPropertiesFile } from '../../util/properties.js';
import { collect, intOption } from '../../tools/common/option-parsers.js';
import { FileChunks, type InputChunks } from '../../tools/console-producer/input-chunks.js';
import { produce } from '../../tools/console-producer/produce.js';
import { PRODUCER_KEYS } from '../../tools/common/producer-properties.js';
import { producerSettings, type ProducerFlags } from '../../tools/console-producer/producer-settings.js';
import { readerConfig } from '../../tools/console-producer/reader-properties.js';
import { INPUT_FORMATS, recordParser, valueLines, type InputFormat } from '../../tools/console-producer/record-input.js';
import type { ProducerRecord } from '../../client/producer/producer-record.js';
import { KtsError, oneLine, UsageError } from '../../util/errors.js';
import { asKafkaScript } from '../kafka-script.js';
import { log4jLine } from '../log4j.js';
import { progressBar } from '../progress.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption, addCommandConfigOption, addVerboseOption } from '../options.js';

interface Flags extends ProducerFlags {
  topic: string;
  bootstrapServer?: string;
  brokerList?: string;
  partition?: number;
  file?: string;
  inputFormat: InputFormat;
  property?: string[];
  readerProperty?: string[];
  readerConfig?: string;
  producerProperty?: string[];
  lineReader?: string;
  socketBufferSize?: number;
  'producer.config'?: string;
  verbose?: boolean;
}

const EXAMPLES = `
Examples:
  echo hello | kts console-producer --topic orders
  kts console-producer --topic orders --property parse.key=true --property key.separator=:
  kts console-producer --topic orders --compression-codec zstd --file events.txt
  kts console-consumer --topic a --from-beginning --output json --exit-at-end |
    kts console-producer --topic b --input-format json`;

const READ_CHUNK_BYTES = 1 << 20;

/** Kafka 3.9's `--line-reader` default, the only reader kts has. */
const LINE_MESSAGE_READER = 'kafka.tools.ConsoleProducer$LineMessageReader';

export function configure(cmd: Command): void {
  cmd.requiredOption('--topic <topic>', 'topic to produce to');
  addBootstrapOption(cmd);
  cmd
    .addOption(new Option('--broker-list <list>', 'deprecated alias of --bootstrap-server').hideHelp())
    .option('--partition <n>', 'send every record to this partition (default: by key, Java-compatible)', intOption(0))
    .option('--file <path>', 'read records from a file instead of standard input')
    .addOption(
      new Option('--input-format <format>', 'line: Kafka line reader; json: JSON lines as console-consumer --output json writes')
        .choices(INPUT_FORMATS)
        .default('line'),
    )
    .option(
      '--property <key=value>',
      'line reader property: parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator, null.marker, ignore.error (repeatable)',
      collect,
    )
    .addOption(new Option('--reader-property <key=value>', 'alias of --property (Kafka 4)').argParser(collect).hideHelp())
    .option('--reader-config <file>', 'line reader properties file (--property wins)')
    .option('--request-required-acks <acks>', 'acks: all/-1, 0 or 1 (default: -1)')
    .option('--compression-codec [codec]', 'none, gzip, snappy, lz4 or zstd; without a value: gzip (default: none)')
    .option('--sync', 'send records one at a time, each acknowledged before the next')
    .option('--batch-size <bytes>', 'bytes of one partition batch (default: 16384)', intOption(1))
    .option('--max-partition-memory-bytes <bytes>', 'same as --batch-size, which it overrides', intOption(1))
    .option('--timeout <ms>', 'linger: how long a partly filled batch waits for more records (default: 1000)', intOption(0))
    .option('--message-send-max-retries <n>', 'retries of a failed send (default: 3)', intOption(0))
    .option('--retry-backoff-ms <ms>', 'wait before the first retry (default: 100)', intOption(0))
    .option('--request-timeout-ms <ms>', 'how long the broker may wait for acknowledgements (default: 1500)', intOption(1))
    .option('--max-block-ms <ms>', 'how long to wait for the cluster at start (default: 60000)', intOption(1))
    .option('--metadata-expiry-ms <ms>', 'refresh topic metadata this often (default: 300000)', intOption(1))
    .option('--max-memory-bytes <bytes>', 'bytes read but not yet acknowledged before reading pauses (default: 33554432)', intOption(1))
    .option(
      '--socket-buffer-size <bytes>',
      'send.buffer.bytes: accepted for Kafka scripts, without effect in kts (default: 102400)',
      intOption(1),
    )
    .option('--line-reader <class>', `how lines become records: only Kafka's ${LINE_MESSAGE_READER} (the default)`)
    .option('--producer-property <key=value>', 'producer property (repeatable; wins over --producer.config)', collect);
  addCommandConfigOption(cmd, '--producer.config');
  addVerboseOption(cmd);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  const properties = new Map([...clientProperties(flags['producer.config']), ...parsePropertyArgs(flags.producerProperty ?? [])]);
  if (!properties.has('client.id')) properties.set('client.id', 'console-producer');
  const readerProps = new Map([
    ...(flags.readerConfig ? readPropertiesFile(flags.readerConfig) : []),
    ...parsePropertyArgs([...(flags.property ?? []), ...(flags.readerProperty ?? [])]),
  ]);
  if (flags.lineReader !== undefined && flags.lineReader.trim() !== LINE_MESSAGE_READER) {
    throw new UsageError(`Error: --line-reader '${flags.lineReader}' is not supported: kts reads lines as Kafka's ${LINE_MESSAGE_READER}`);
  }
  const settings = producerSettings(flags, properties);
  const reader = readerConfig(readerProps);
  const parse = recordParser(flags.inputFormat, reader, flags.partition, flags.topic);
  const values = flags.partition === undefined ? valueLines(flags.inputFormat, reader) : undefined;
  const interactive = flags.file === undefined && process.stdin.isTTY === true;
  const input = openInput(flags.file);
  // A file's size is known: a bar on a terminal shows how much of it was read (and sent on).
  const bar = flags.file === undefined ? undefined : progressBar(statSync(flags.file).size, 'bytes');
  try {
    await produce({
      ...(bar !== undefined ? { onRead: (bytes: number) => bar.update(bytes) } : {}),
      ...(asKafkaScript() ? { onFailure: logSendFailure } : {}),
      input,
      prompt: interactive && process.stdout.isTTY === true,
      topic: flags.topic,
      parse,
      ...(values !== undefined ? { values } : {}),
      settings,
      connect: {
        bootstrapServer: flags.bootstrapServer ?? flags.brokerList,
        properties,
        consumedKeys: PRODUCER_KEYS,
        verbose: flags.verbose,
      },
    });
  } finally {
    bar?.end();
  }
}

/**
 * A regular file (named, or redirected to standard input) is read in big chunks into reused
 * buffers. Anything else goes through a stream: process.stdin copes with terminals and with pipes
 * another process made non-blocking (plain fd reads fail with EAGAIN), and a stream's read of a
 * named pipe can be abandoned on a signal.
 */
function openInput(file: string | undefined): InputChunks {
  if (file === undefined) return fstatSync(0).isFile() ? new FileChunks(0, READ_CHUNK_BYTES, false) : process.stdin;
  const unreadable = (why: string): KtsError => new KtsError(`Error: could not read input file '${file}': ${why}`);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw unreadable(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? String(err)));
  }
  // Linux opens a directory for reading; only the first read would fail.
  const stat = fstatSync(fd);
  if (stat.isDirectory()) {
    closeSync(fd);
    throw unreadable('is a directory');
  }
  return stat.isFile() ? new FileChunks(fd, READ_CHUNK_BYTES, true) : createReadStream('', { fd, highWaterMark: READ_CHUNK_BYTES });
}

/** Kafka's ErrorLoggingCallback: one ERROR line per record the producer could not send, then the reason. */
function logSendFailure(record: ProducerRecord, err: Error): void {
  const size = (v: Buffer | string | null | undefined): string =>
    v === null || v === undefined ? 'null' : `${typeof v === 'string' ? Buffer.byteLength(v) : v.length} bytes`;
  const message = `Error when sending message to topic ${record.topic} with key: ${size(record.key)}, value: ${size(record.value)} with error:`;
  process.stderr.write(
    `${log4jLine('error', message, 'org.apache.kafka.clients.producer.internals.ErrorLoggingCallback')}${oneLine(err)}\n`,
  );
}
