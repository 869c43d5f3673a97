import { CliError } from '../../cli/errors.js';
import { bootstrapBrokers } from '../../client/bootstrap.js';
import { BrokerConnectionError } from '../../client/broker-connections.js';
import { clientConfig } from '../../client/config.js';
import { describeConnectionError } from '../../client/connection-error.js';
import { ConsumerError } from '../../client/consumer/consumer-errors.js';
import { LATEST_TIMESTAMP } from '../../client/consumer/list-offsets.js';
import { PartitionFetcher, type StartPosition, type TopicPartition } from '../../client/consumer/partition-fetcher.js';
import { filterTopics } from '../common/topic-filter.js';
import type { ConsumeJob } from './consume.js';
import { ConsumeSession } from './consume-session.js';
import type { ConsumeRequest } from './consumer-options.js';
import { EndTracker, partitionKey, type PartitionRange } from './end-tracker.js';
import { OutputChunks } from './output-chunks.js';

/**
 * No `--group`: reads every partition of the topics (or the one `--partition`) with kts's own
 * fetcher, as the Java console consumer's generated group would give its only member, but
 * without joining a group. Each fetched partition's records are formatted from views and
 * written with one write.
 */
export async function consumeAssigned(job: ConsumeJob): Promise<void> {
  const { request: req, connect } = job;
  const brokers = bootstrapBrokers(connect);
  const client = clientConfig(connect.properties ?? new Map(), { consumedKeys: connect.consumedKeys });
  let fetcher: PartitionFetcher;
  try {
    fetcher = await PartitionFetcher.open({
      ...job.fetch,
      bootstrap: brokers,
      clientId: client.clientId,
      connectionTimeoutMs: client.connectionTimeout,
      requestTimeoutMs: client.requestTimeout,
      retryBackoffMs: client.retry.initialRetryTime,
      ...(client.ssl ? { tls: client.ssl } : {}),
      ...(client.sasl ? { sasl: client.sasl } : {}),
      readCommitted: req.readCommitted,
      autoOffsetReset: req.offsetReset,
      ...(connect.verbose ? { log: (line: string) => process.stderr.write(`[kts consumer] ${line}\n`) } : {}),
    });
  } catch (err) {
    if (err instanceof BrokerConnectionError) throw new CliError(describeConnectionError(err, brokers));
    throw err;
  }
  const session = new ConsumeSession(req, job.formatter, job.output);
  let failure: unknown;
  try {
    // A signal or --timeout-ms may end the session while consumeAll still waits (for metadata,
    // say); closing the fetcher then ends that wait, and its error is of no interest.
    const work = consumeAll(req, fetcher, session).catch((err: unknown) => err);
    failure = await Promise.race([work, session.finished]);
  } finally {
    fetcher.close();
    session.close();
  }
  if (failure instanceof ConsumerError) throw new CliError(`Error: ${failure.message}`);
  if (failure !== undefined) throw failure;
}

/** Resolves (undefined) when consuming ended normally, or with the error that ended it. */
async function consumeAll(req: ConsumeRequest, fetcher: PartitionFetcher, session: ConsumeSession): Promise<unknown> {
  const partitions = await assignedPartitions(req, fetcher);
  if (req.maxMessages === 0) return undefined;
  fetcher.assign(partitions, startPosition(req));
  const tracker = req.exitAtEnd ? await endTracker(fetcher, partitions) : undefined;
  if (tracker?.done) return undefined;
  session.touch();
  const stopped = session.finished.then(() => null);
  while (!session.stopping) {
    const fetched = await Promise.race([fetcher.next(), stopped]);
    if (fetched === null) break;
    session.touch();
    const out = new OutputChunks(fetched.size);
    fetched.read((record) => session.format(record, out) && !session.stopping);
    await session.write(out);
    tracker?.reached(fetched.topic, fetched.partition, String(fetched.nextOffset - 1n));
    if (tracker?.done) session.stop();
  }
  return session.finished;
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

/** `--exit-at-end`: each partition is done once read from its start position up to its end offset now. */
async function endTracker(fetcher: PartitionFetcher, partitions: readonly TopicPartition[]): Promise<EndTracker> {
  const [starts, ends] = await Promise.all([fetcher.positions(), fetcher.offsets(partitions, LATEST_TIMESTAMP)]);
  const ranges = new Map<string, PartitionRange>();
  const startOf = new Map(starts.map((s) => [partitionKey(s.topic, s.partition), s.offset]));
  for (const end of ends) {
    const key = partitionKey(end.topic, end.partition);
    ranges.set(key, { start: String(startOf.get(key) ?? end.offset), end: String(end.offset) });
  }
  const tracker = new EndTracker(ranges);
  tracker.assign(partitions);
  return tracker;
}
