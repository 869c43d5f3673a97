import { InvalidArgumentError, type Command } from 'commander';
import { withVersionedCluster } from '../../client/versioned-cluster.js';
import { readUserFile } from '../../util/read-file.js';
import { collect, intOption } from '../../tools/common/option-parsers.js';
import { runAction } from '../../tools/consumer-groups/actions.js';
import { validateConsumerGroupsFlags, type ConsumerGroupsFlags } from '../../tools/consumer-groups/consumer-groups-options.js';
import { GroupCluster } from '../../tools/consumer-groups/group-cluster.js';
import { asConsumerGroupsError } from '../../tools/consumer-groups/kafka-errors.js';
import { KtsError, UsageError } from '../../util/errors.js';
import { EXIT_RUNTIME } from '../errors.js';
import { asKafkaScript } from '../kafka-script.js';
import { progressBar, type Progress } from '../progress.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';
import { addOutputOption, type OutputFormat } from '../output.js';

interface Flags extends Omit<ConsumerGroupsFlags, 'json'> {
  bootstrapServer?: string;
  commandConfig?: string;
  timeout?: number;
  output: OutputFormat;
}

const EXAMPLES = `
Examples:
  kts consumer-groups --list --state stable,empty
  kts consumer-groups --describe --group billing
  kts consumer-groups --describe --group billing --members --verbose
  kts consumer-groups --describe --all-groups --watch 5
  kts consumer-groups --reset-offsets --group billing --topic orders:0,1 --to-earliest --dry-run
  kts consumer-groups --reset-offsets --group billing --all-topics --by-duration PT1H --execute
  kts consumer-groups --delete-offsets --group billing --topic orders`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  cmd
    .option('--list', 'list consumer groups')
    .option('--describe', 'describe groups: offsets and lag (default), --members or --state')
    .option('--delete', 'delete whole groups (they must have no members)')
    .option('--reset-offsets', 'reset committed offsets of inactive groups (dry run unless --execute)')
    .option('--delete-offsets', "delete a group's offsets for topics it no longer subscribes to")
    .option('--group <group>', 'group to act on (repeatable)', collect)
    .option('--all-groups', 'act on every consumer group')
    .option('--topic <topic>', 'reset/delete-offsets scope: topic or topic:0,1,2 (repeatable)', collect)
    .option('--all-topics', 'reset scope: every topic the group has offsets for')
    .option('--offsets', 'describe: partitions with offsets and lag (the default)')
    .option('--members', 'describe: members and their partition counts')
    .option('--state [states]', 'describe: group state and coordinator; list: add a STATE column, filtered by a comma list')
    .option('--type [types]', 'list: add a TYPE column (Classic or Consumer), filtered by a comma list')
    .option('--verbose', "describe --members: add each member's assignment")
    .option('--timeout <ms>', 'time limit of each request to the cluster', intOption(1, 2 ** 31 - 1))
    .option('--dry-run', 'reset: only show the new offsets (the default)')
    .option('--execute', 'reset: commit the new offsets')
    .option('--export', 'reset: print the plan as CSV, for --from-file')
    .option('--to-earliest', 'reset to the earliest offset')
    .option('--to-latest', 'reset to the latest offset')
    .option('--to-current', 'reset to the committed offset (the latest where none)')
    .option('--to-offset <offset>', 'reset to this offset', intOption())
    .option('--shift-by <n>', 'reset by moving the committed offset n (negative: back)', intOption())
    .option('--to-datetime <datetime>', 'reset to the first record at or after YYYY-MM-DDTHH:mm:SS.sss[Z|±hh:mm] (no zone: UTC)')
    .option('--by-duration <duration>', 'reset to the first record at most this long ago: PnDTnHnMnS')
    .option('--from-file <csv>', 'reset to the offsets of a CSV file (as --export writes)')
    .option('--watch [seconds]', 'describe: refresh the offsets table, with time lag, every few seconds (default 2)', seconds)
    .option('--time-lag', 'describe: add TIME-LAG, the age of the next unconsumed record');
  addOutputOption(cmd);
  cmd.addHelpText('after', EXAMPLES).action(run);
}

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n < 0.1 || n > 86_400) throw new InvalidArgumentError('expected seconds from 0.1 to 86400');
  return n;
}

async function run(flags: Flags): Promise<void> {
  const json = flags.output === 'json';
  const req = validateConsumerGroupsFlags({ ...flags, json });
  const properties = clientProperties(flags.commandConfig);
  if (flags.timeout !== undefined && !properties.has('request.timeout.ms')) properties.set('request.timeout.ms', String(flags.timeout));
  const stop = new AbortController();
  const abort = () => stop.abort();
  // Only --watch runs until interrupted; it stops cleanly (exit 0) on Ctrl-C.
  const watching = req.action === 'describe' && req.watchMs !== undefined;
  if (watching) process.once('SIGINT', abort).once('SIGTERM', abort);
  const kafka = asKafkaScript();
  let bar: Progress | undefined;
  try {
    const io = {
      out: (text: string) => void process.stdout.write(text),
      err: (text: string) => void (kafka && /^\n?Error: /.test(text) ? process.stdout.write(kafkaError(text)) : process.stderr.write(text)),
      json,
      isTTY: process.stdout.isTTY === true,
      readFile: (path: string) => readUserFile(path, 'reset plan'),
      now: Date.now,
      signal: stop.signal,
      progress: (done: number, total: number) => {
        bar ??= progressBar(total, 'groups');
        bar.update(done);
      },
    };
    const ok = await withVersionedCluster({ bootstrapServer: flags.bootstrapServer, properties }, (cluster) =>
      runAction(new GroupCluster(cluster), req, io),
    ).catch((err: unknown) => {
      const failure = asConsumerGroupsError(err);
      if (!kafka || !(failure instanceof KtsError) || failure instanceof UsageError) throw failure;
      // ConsumerGroupCommand.printError, and the JVM exits 0 all the same.
      process.stdout.write(
        kafkaError(`${failure.message.replace(/^Error: (?!Executing)/, 'Error: Executing consumer group command failed due to ')}\n`),
      );
      return true;
    });
    // Kafka's consumer-groups exits 0 after its errors.
    if (!ok && !kafka) process.exitCode = EXIT_RUNTIME;
  } finally {
    bar?.end();
    process.off('SIGINT', abort).off('SIGTERM', abort);
  }
}

/** Kafka's printError: `\nError: <message>` on stdout. */
function kafkaError(text: string): string {
  return text.startsWith('\n') ? text : `\n${text}`;
}
