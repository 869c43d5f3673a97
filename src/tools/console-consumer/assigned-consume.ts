import { CliError } from '../../cli/errors.js';
import { PartitionFetcher, type StartPosition, type TopicPartition } from '../../client/consumer/partition-fetcher.js';
import { filterTopics } from '../common/topic-filter.js';
import type { ConsumeJob } from './consume.js';
import type { ConsumeSession } from './consume-session.js';
import type { ConsumeRequest } from './consumer-options.js';
import { EndTracker, endOffsets } from './end-tracker.js';
import { runNative } from './native-run.js';
import { printRecords } from './print-records.js';

/**
 * No `--group`: reads every partition of the topics (or the one `--partition`) with kts's own
 * fetcher, as the Java console consumer's generated group would give its only member, but
 * without joining a group.
 */
export function consumeAssigned(job: ConsumeJob): Promise<void> {
  return runNative(job, (options) => PartitionFetcher.open(options), (fetcher, session) => consumeAll(job.request, fetcher, session));
}

/** Resolves (undefined) when consuming ended normally, or with the error that ended it. */
async function consumeAll(req: ConsumeRequest, fetcher: PartitionFetcher, session: ConsumeSession): Promise<unknown> {
  const partitions = await assignedPartitions(req, fetcher);
  if (req.maxMessages === 0) return undefined;
  fetcher.assign(partitions, startPosition(req));
  let tracker: EndTracker | undefined;
  if (req.exitAtEnd) {
    const [starts, ends] = await Promise.all([fetcher.positions(), endOffsets(fetcher, partitions)]);
    tracker = new EndTracker(ends);
    tracker.assign(starts);
    if (tracker.done) return undefined;
  }
  return printRecords({ next: () => fetcher.next(), read: (fetched, visit) => fetched.read(visit) }, session, tracker);
}

async function assignedPartitions(req: ConsumeRequest, fetcher: PartitionFetcher): Promise<TopicPartition[]> {
  const { source } = req;
  // Kafka's pattern subscription leaves internal topics out.
  const topics = 'topic' in source ? [source.topic] : filterTopics((await fetcher.listTopics()).sort(), source.include, true);
  if (topics.length === 0) throw new CliError('Error: no topic matches the --include pattern');
  const counts = await fetcher.partitionCounts(topics);
  if (req.partition !== undefined) {
    const count = counts.get(topics[0]!)!;
    if (req.partition >= count) throw new CliError(`Error: topic '${topics[0]}' has no partition ${req.partition} (it has ${count})`);
    return [{ topic: topics[0]!, partition: req.partition }];
  }
  return topics.flatMap((topic) => Array.from({ length: counts.get(topic)! }, (_, partition) => ({ topic, partition })));
}

function startPosition(req: ConsumeRequest): StartPosition {
  return req.start.kind === 'offset' ? { kind: 'offset', offset: BigInt(req.start.offset) } : req.start;
}
