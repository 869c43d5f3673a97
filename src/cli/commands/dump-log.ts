import { Option, type Command } from 'commander';
import { UsageError } from '../../util/errors.js';
import { dumpLog } from '../../tools/dump-log/dump-log.js';
import { STRING_DECODER, decoderFor, decoderParser, offsetsParser, transactionLogParser } from '../../tools/dump-log/message-parsers.js';
import { intOption } from '../../tools/common/option-parsers.js';

interface Flags {
  files?: string;
  printDataLog?: boolean;
  verifyIndexOnly?: boolean;
  indexSanityCheck?: boolean;
  maxMessageSize: number;
  maxBytes: number;
  deepIteration?: boolean;
  valueDecoderClass?: string | true;
  keyDecoderClass?: string | true;
  offsetsDecoder?: boolean;
  transactionLogDecoder?: boolean;
  clusterMetadataDecoder?: boolean;
  remoteLogMetadataDecoder?: boolean;
  skipRecordMetadata?: boolean;
}

const EXAMPLES = `
Examples:
  kts dump-log --files /tmp/kts-logs/orders-0/00000000000000000000.log
  kts dump-log --files 00000000000000000000.log --print-data-log
  kts dump-log --files 00000000000000000000.index,00000000000000000000.timeindex --verify-index-only
  kts dump-log --files /tmp/kts-logs/__consumer_offsets-12/00000000000000000000.log --offsets-decoder
  kts dump-log --files 00000000000000000000.txnindex,00000000000000000042.snapshot`;

const INT32_MAX = 2 ** 31 - 1;

export function configure(cmd: Command): void {
  cmd
    .option('--files <file1,file2,...>', 'REQUIRED: the comma separated list of data and index log files to be dumped')
    .option('--print-data-log', "print the messages' contents (implied by a decoder option)")
    .option('--verify-index-only', 'verify the index against the log without printing its content')
    .option('--index-sanity-check', 'only check the index sanity, as the broker does at start-up')
    .option('--max-message-size <size>', 'size of the largest message', intOption(1, INT32_MAX), 5 * 1024 * 1024)
    .option('--max-bytes <size>', 'read only the batches within the first this many bytes of a .log', intOption(0, INT32_MAX), INT32_MAX)
    .option('--deep-iteration', 'print every record, not only batches (implied by --print-data-log)')
    .option('--value-decoder-class [class]', `decodes values: ${STRING_DECODER} (default), IntegerDecoder, LongDecoder`)
    .option('--key-decoder-class [class]', `decodes keys: ${STRING_DECODER} (default), IntegerDecoder, LongDecoder`)
    .option('--offsets-decoder', 'parse the data as __consumer_offsets records')
    .option('--transaction-log-decoder', 'parse the data as __transaction_state records')
    .addOption(new Option('--cluster-metadata-decoder', 'KRaft metadata records: not supported by kts').hideHelp())
    .addOption(new Option('--remote-log-metadata-decoder', 'remote log metadata records: not supported by kts').hideHelp())
    .option('--skip-record-metadata', 'print records without their offsets, timestamps and sizes');
  cmd.addHelpText('after', EXAMPLES).action(run);
}

function run(flags: Flags): void {
  if (flags.files === undefined) throw new UsageError('Missing required argument "[files]"');
  if (flags.clusterMetadataDecoder || flags.remoteLogMetadataDecoder) {
    throw new UsageError(`Error: --${flags.clusterMetadataDecoder ? 'cluster' : 'remote-log'}-metadata-decoder is not supported by kts`);
  }
  const out = new LineBuffer(process.stdout);
  const print = (line: string) => out.line(line);
  const printError = (line: string) => {
    out.flush();
    process.stderr.write(`${line}\n`);
  };
  const decoderName = (given: string | true | undefined) => (typeof given === 'string' ? given : STRING_DECODER);
  const parser = flags.offsetsDecoder
    ? offsetsParser
    : flags.transactionLogDecoder
      ? transactionLogParser
      : decoderParser(decoderFor(decoderName(flags.keyDecoderClass), print), decoderFor(decoderName(flags.valueDecoderClass), print));
  const printData =
    flags.printDataLog === true ||
    flags.offsetsDecoder === true ||
    flags.transactionLogDecoder === true ||
    flags.valueDecoderClass !== undefined ||
    flags.keyDecoderClass !== undefined;
  try {
    dumpLog({
      files: flags.files.split(','),
      printData,
      deepIteration: flags.deepIteration === true || printData,
      parser,
      skipRecordMetadata: flags.skipRecordMetadata === true,
      maxBytes: flags.maxBytes,
      sanityOnly: flags.indexSanityCheck === true,
      verifyOnly: flags.verifyIndexOnly === true,
      maxMessageSize: flags.maxMessageSize,
      print,
      printError,
    });
  } finally {
    out.flush();
  }
}

/** Lines gathered into chunks of ~64 KB per write (stdout writes are synchronous on Linux). */
class LineBuffer {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  line(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= 65_536) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.stream.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
