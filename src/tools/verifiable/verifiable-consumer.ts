import { KtsError } from '../../util/errors.js';
import type { ConnectOptions } from '../../client/connect-options.js';
import type { FetcherOptions } from '../../client/consumer/consumer-config.js';
import { ConsumerError } from '../../client/consumer/consumer-errors.js';
import { GroupConsumer } from '../../client/consumer/group/group-consumer.js';
import type { GroupOptions } from '../../client/consumer/group/group-config.js';
import type { TopicPartition } from '../../client/consumer/partition-fetcher.js';
import { consumerConnection, openConsumer } from '../common/native-consumer.js';
import { eventJson, type EventValue } from './event-json.js';

export interface VerifiableConsumerJob {
  topic: string;
  /** Negative: until stopped. */
  maxMessages: number;
  /** --verbose: a record_data event per record. */
  verbose: boolean;
  fetch: Omit<FetcherOptions, 'bootstrap'>;
  group: GroupOptions;
  connect: ConnectOptions;
  print: (line: string) => void;
  /** Resolves when the run should stop (a signal). */
  stopped: Promise<void>;
}

interface PartitionSummary {
  topic: string;
  partition: number;
  count: number;
  minOffset: number;
  maxOffset: number;
}

/**
 * VerifiableConsumer: a group member that prints JSON events as it goes — startup_complete,
 * partitions_assigned / partitions_revoked at rebalances, records_consumed for each batch of
 * records it takes (record_data per record with --verbose), offsets_committed after each commit
 * when auto-commit is off, shutdown_complete — the lines Kafka's system tests read.
 */
export async function verifiableConsumer(job: VerifiableConsumerJob): Promise<void> {
  const event = (name: string, fields: Record<string, EventValue> = {}) => job.print(eventJson({ timestamp: Date.now(), name, ...fields }));
  const partitionsOf = (ps: readonly TopicPartition[]) =>
    [...ps]
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
      .map(({ topic, partition }) => ({ topic, partition }));
  const connection = consumerConnection(job.connect, 'kts verifiable-consumer');
  const consumer = await openConsumer(connection, () => GroupConsumer.open({ ...job.fetch, ...connection, group: job.group }));
  const autoCommit = job.group.autoCommit !== false;
  let consumed = 0;
  const finished = () => job.maxMessages >= 0 && consumed >= job.maxMessages;
  try {
    event('startup_complete');
    consumer.subscribe(
      { topics: [job.topic] },
      (positions) => event('partitions_assigned', { partitions: partitionsOf(positions) }),
      (partitions) => event('partitions_revoked', { partitions: partitionsOf(partitions) }),
    );
    const stop = job.stopped.then(() => null);
    while (!finished()) {
      const fetched = await Promise.race([consumer.next(), stop]);
      if (fetched === null) break;
      let summary: PartitionSummary | undefined;
      consumer.read(fetched, (record) => {
        if (finished()) return false;
        const offset = Number(record.offset);
        if (summary === undefined)
          summary = { topic: record.topic, partition: record.partition, count: 0, minOffset: offset, maxOffset: offset };
        summary.count++;
        summary.maxOffset = offset;
        consumed++;
        if (job.verbose) {
          event('record_data', {
            key: record.key?.toString() ?? null,
            value: record.value?.toString() ?? null,
            topic: record.topic,
            partition: record.partition,
            offset,
          });
        }
        return true;
      });
      if (summary === undefined) continue;
      event('records_consumed', { count: summary.count, partitions: [{ ...summary }] });
      if (!autoCommit) {
        const { offsets, error } = await consumer.commitSync([summary]);
        event('offsets_committed', {
          offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset) })),
          ...(error === null ? {} : { error: error.message }),
          success: error === null,
        });
      }
    }
  } catch (err) {
    if (err instanceof ConsumerError) throw new KtsError(`Error: ${err.message}`);
    throw err;
  } finally {
    await consumer.close();
    event('shutdown_complete');
  }
}
