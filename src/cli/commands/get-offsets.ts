import type { Command } from 'commander';
import { withVersionedCluster } from '../../client/versioned-cluster.js';
import { fetchOffsets } from '../../tools/get-offsets/get-offsets.js';
import { parseOffsetSpec } from '../../tools/get-offsets/offset-spec.js';
import { topicAndPartitionsFilter, topicPartitionsFilter } from '../../tools/get-offsets/partition-filter.js';
import { offsetLines, skipLines } from '../../tools/get-offsets/partition-offsets.js';
import { UsageError } from '../../util/errors.js';
import { clientProperties } from '../profiles/active-profile.js';
import { addBootstrapOption, addCommandConfigOption } from '../options.js';
import { addOutputOption, printJson, type OutputFormat } from '../output.js';

interface Flags {
  bootstrapServer?: string;
  commandConfig?: string;
  topic?: string;
  partitions?: string;
  topicPartitions?: string;
  time: string;
  excludeInternalTopics?: boolean;
  output: OutputFormat;
  verbose?: boolean;
}

const EXAMPLES = `
Examples:
  kts get-offsets --topic orders
  kts get-offsets --topic orders --time earliest
  kts get-offsets --topic orders --time max-timestamp
  kts get-offsets --topic-partitions 'orders:0-3,payments' --time 1700000000000
  kts get-offsets --exclude-internal-topics --output json`;

export function configure(cmd: Command): void {
  addBootstrapOption(cmd);
  addCommandConfigOption(cmd);
  cmd
    .option('--topic <regex>', 'topics to look up, a full-match regex (default: all)')
    .option('--partitions <ids>', 'comma-separated partition ids (default: all)')
    .option('--topic-partitions <rules>', "rules like 'topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3' (not with --topic/--partitions)")
    .option(
      '--time <time>',
      'latest/-1, earliest/-2, max-timestamp/-3 (the record with the largest timestamp), earliest-local/-4, ' +
        'latest-tiered/-5, or a timestamp in ms: the first offset at or after it',
      'latest',
    )
    .option('--exclude-internal-topics', 'leave out internal topics');
  addOutputOption(cmd, ['text', 'json', 'table']);
  cmd.option('--verbose', 'log requests and retries to stderr');
  cmd.addHelpText('after', EXAMPLES).action(run);
}

async function run(flags: Flags): Promise<void> {
  if (flags.topicPartitions !== undefined && (flags.topic !== undefined || flags.partitions !== undefined)) {
    throw new UsageError('Error occurred: --topic-partitions cannot be used with --topic or --partitions');
  }
  const spec = parseOffsetSpec(flags.time);
  const filter =
    flags.topicPartitions !== undefined
      ? topicPartitionsFilter(flags.topicPartitions)
      : topicAndPartitionsFilter(flags.topic, flags.partitions);
  const properties = clientProperties(flags.commandConfig);
  const log = flags.verbose ? (line: string) => process.stderr.write(`[kts get-offsets] ${line}\n`) : undefined;
  const { offsets, failures } = await withVersionedCluster({ bootstrapServer: flags.bootstrapServer, properties }, (cluster) =>
    fetchOffsets(cluster, spec, filter, flags.excludeInternalTopics === true, log),
  );
  process.stderr.write(skipLines(failures));
  if (flags.output === 'json') printJson(offsets.map((o) => ({ ...o, offset: Number(o.offset) })));
  else if (flags.output === 'table')
    process.stdout.write(
      (await import('../table.js')).renderTable(
        ['TOPIC', 'PARTITION', 'OFFSET'],
        offsets.map((o) => [o.topic, o.partition, o.offset]),
      ),
    );
  else process.stdout.write(offsetLines(offsets));
}
