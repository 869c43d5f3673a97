import { Option, type Command } from 'commander';
import { readUserFile } from '../../util/read-file.js';
import { KtsError, UsageError } from '../../util/errors.js';
import { collect } from '../../tools/common/option-parsers.js';
import { CONSUMER_KEYS } from '../../tools/console-consumer/consumer-settings.js';
import { parseResetCsv } from '../../tools/consumer-groups/offsets-csv.js';
import { parseDateTime, parseDuration } from '../../tools/consumer-groups/reset-time.js';
import { partitionKey } from '../../tools/consumer-groups/topic-partitions.js';
import { resetStreamsApplication, type StreamsResetStrategy } from '../../tools/streams-application-reset/streams-reset.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption } from '../options.js';

interface Flags {
  applicationId?: string;
  bootstrapServer?: string;
  bootstrapServers?: string;
  inputTopics?: string[];
  intermediateTopics?: string[];
  internalTopics?: string[];
  toOffset?: string;
  toDatetime?: string;
  byDuration?: string;
  toEarliest?: boolean;
  toLatest?: boolean;
  fromFile?: string;
  shiftBy?: string;
  configFile?: string;
  force?: boolean;
  dryRun?: boolean;
  execute?: boolean;
}

const EXAMPLES = `
Examples:
  kts streams-application-reset --application-id wordcount --input-topics text --dry-run
  kts streams-application-reset --application-id wordcount --input-topics text --to-datetime 2024-01-01T00:00:00.000
  kts streams-application-reset --application-id wordcount --input-topics text --shift-by -100 --intermediate-topics words
Resets the application's consumer group (its application.id), which must have no members, and
deletes its internal topics (<application.id>-...-changelog, -repartition, ...). Without --dry-run
the changes are made (--execute says so explicitly). Local state stores are not touched.`;

/** The reset options, in Kafka's order: each excludes the others. */
const STRATEGY_FLAGS = [
  ['toOffset', 'to-offset'],
  ['toDatetime', 'to-datetime'],
  ['byDuration', 'by-duration'],
  ['toEarliest', 'to-earliest'],
  ['toLatest', 'to-latest'],
  ['fromFile', 'from-file'],
  ['shiftBy', 'shift-by'],
] as const;

export function configure(cmd: Command): void {
  cmd.option('--application-id <id>', 'REQUIRED: the Kafka Streams application ID (application.id)');
  addBootstrapOption(cmd);
  cmd
    .addOption(new Option('--bootstrap-servers <urls>', 'deprecated alias of --bootstrap-server').hideHelp())
    .option('--input-topics <list>', 'comma-separated user input topics: their offsets are reset (earliest by default)', collect)
    .option('--intermediate-topics <list>', 'comma-separated intermediate topics: their offsets move to the end', collect)
    .option('--internal-topics <list>', 'comma-separated internal topics to delete, a subset of those a dry run lists', collect)
    .option('--to-offset <offset>', 'reset input offsets to this offset')
    .option('--to-datetime <datetime>', "reset input offsets to this time: 'YYYY-MM-DDTHH:mm:SS.sss'")
    .option('--by-duration <duration>', "reset input offsets to this long ago: 'PnDTnHnMnS'")
    .option('--to-earliest', 'reset input offsets to the earliest offset (the default)')
    .option('--to-latest', 'reset input offsets to the latest offset')
    .option('--from-file <file>', 'reset input offsets to those of a CSV file: topic,partition,offset')
    .option('--shift-by <n>', 'move input offsets by n (negative: back)')
    .option('--config-file <file>', 'client properties (security, auto.offset.reset for --shift-by, ...)')
    .option('--force', "remove the group's members first (stop the application before!)")
    .option('--dry-run', 'show what would be done without doing it')
    .option('--execute', 'do it (the default without --dry-run; kts only)');
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  if (flags.applicationId === undefined) throw new UsageError('Missing required argument "[application-id]"');
  const given = STRATEGY_FLAGS.filter(([key]) => flags[key] !== undefined);
  if (given.length > 1) throw new UsageError(`Option "[${given[0]![1]}]" can't be used with option "[${given[1]![1]}]"`);
  if (flags.dryRun && flags.execute) throw new UsageError('Option "[dry-run]" can\'t be used with option "[execute]"');
  const properties = clientProperties(flags.configFile);
  const list = (values: string[] | undefined) => (values ?? []).flatMap((v) => v.split(',')).filter((t) => t !== '');
  const code = await resetStreamsApplication({
    applicationId: flags.applicationId,
    inputTopics: list(flags.inputTopics),
    intermediateTopics: list(flags.intermediateTopics),
    internalTopics: list(flags.internalTopics),
    strategy: strategy(flags),
    dryRun: flags.dryRun === true,
    force: flags.force === true,
    offsetReset: properties.get('auto.offset.reset')?.trim() === 'earliest' ? 'earliest' : 'latest',
    connect: {
      bootstrapServer: flags.bootstrapServer ?? flags.bootstrapServers,
      properties,
      consumedKeys: CONSUMER_KEYS,
    },
    print: (line) => process.stdout.write(`${line}\n`),
  });
  process.exitCode = code;
}

function strategy(flags: Flags): StreamsResetStrategy {
  if (flags.toOffset !== undefined) return { kind: 'to-offset', offset: long(flags.toOffset, 'to-offset') };
  if (flags.shiftBy !== undefined) return { kind: 'shift-by', shift: long(flags.shiftBy, 'shift-by') };
  if (flags.toLatest) return { kind: 'to-latest' };
  if (flags.toDatetime !== undefined) return { kind: 'timestamp', timestamp: parseDateTime(flags.toDatetime) };
  if (flags.byDuration !== undefined) return { kind: 'timestamp', timestamp: Date.now() - parseDuration(flags.byDuration) };
  if (flags.fromFile !== undefined) {
    const text = readUserFile(flags.fromFile, 'reset plan');
    if (text === '') throw new KtsError('ERROR: Error parsing reset plan CSV file. It is empty,');
    const offsets = parseResetCsv(text, '').get('') ?? [];
    return { kind: 'from-file', offsets: new Map(offsets.map((o) => [partitionKey(o), o.offset])) };
  }
  return { kind: 'to-earliest' };
}

/** jopt's Long conversion. */
function long(text: string, option: string): number {
  const n = /^[-+]?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`Cannot parse argument '${text}' of option ${option}`);
  return n;
}
