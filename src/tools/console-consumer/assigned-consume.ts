import { KtsError } from '../../util/errors.js';
import { resolveFetcherConfig } from '../../client/consumer/consumer-config.js';
import { PartitionFetcher, type StartPosition, type TopicPartition } from '../../client/consumer/partition-fetcher.js';
import type { ConsumeJob } from './consume-job.js';
import type { ConsumeSession } from './consume-session.js';
import type { ConsumeRequest } from './consumer-options.js';
import { EndTracker, endOffsets } from './end-tracker.js';
import { runNative } from './native-run.js';
import { currentPartitions, followNewPartitions, waitForMatch } from './partition-discovery.js';
import { printRecords } from './print-records.js';

/**
 * No `--group`: reads every partition of the topics (or the one `--partition`) with kts's own
 * fetcher, as the Java console consumer's generated group would give its only member, but
 * without joining a group.
 */
export function consumeAssigned(job: ConsumeJob): Promise<void> {
  const { metadataMaxAgeMs } = resolveFetcherConfig({ ...job.fetch, bootstrap: [] });
  return runNative(
    job,
    (options) => PartitionFetcher.open(options),
    (fetcher, session) => consumeAll(job.request, fetcher, session, metadataMaxAgeMs),
  );
}

/** Resolves (undefined) when consuming ended normally, or with the error that ended it. */
async function consumeAll(req: ConsumeRequest, fetcher: PartitionFetcher, session: ConsumeSession, maxAgeMs: number): Promise<unknown> {
  if (req.maxMessages === 0) return undefined;
  // As Java's first poll, --timeout-ms covers the wait for metadata (and for a matching topic).
  session.touch();
  const partitions = await assignedPartitions(req, fetcher, session, maxAgeMs);
  if (session.stopping) return undefined;
  fetcher.assign(partitions, startPosition(req));
  let tracker: EndTracker | undefined;
  if (req.exitAtEnd) {
    const [starts, ends] = await Promise.all([fetcher.positions(), endOffsets(fetcher, partitions)]);
    tracker = new EndTracker(ends);
    tracker.assign(starts);
    if (tracker.done) return undefined;
  }
  if (req.partition === undefined) void followNewPartitions(req, fetcher, session, partitions, maxAgeMs);
  return printRecords({ next: () => fetcher.next(), read: (fetched, visit) => fetched.read(visit) }, session, tracker);
}

/** --exit-at-end reads what matches now, so it does not wait for a matching topic. */
async function assignedPartitions(
  req: ConsumeRequest,
  fetcher: PartitionFetcher,
  session: ConsumeSession,
  maxAgeMs: number,
): Promise<TopicPartition[]> {
  const { source } = req;
  if ('include' in source) return req.exitAtEnd ? currentPartitions(req, fetcher) : waitForMatch(req, fetcher, session, maxAgeMs);
  const count = (await fetcher.partitionCounts([source.topic])).get(source.topic)!;
  if (req.partition !== undefined) {
    if (req.partition >= count) throw new KtsError(`Error: topic '${source.topic}' has no partition ${req.partition} (it has ${count})`);
    return [{ topic: source.topic, partition: req.partition }];
  }
  return Array.from({ length: count }, (_, partition) => ({ topic: source.topic, partition }));
}

function startPosition(req: ConsumeRequest): StartPosition {
  return req.start.kind === 'offset' ? { kind: 'offset', offset: BigInt(req.start.offset) } : req.start;
}
