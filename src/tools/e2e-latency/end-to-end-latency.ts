import { KtsError } from '../../util/errors.js';
import type { ConnectOptions } from '../../client/connect-options.js';
import { ConsumerError } from '../../client/consumer/consumer-errors.js';
import { PartitionFetcher } from '../../client/consumer/partition-fetcher.js';
import { ProducerError } from '../../client/producer/producer-errors.js';
import type { Acks } from '../../client/producer/producer-config.js';
import { CoordinatorRequests } from '../consumer-groups/coordinator-requests.js';
import { javaFixed } from '../common/java-format.js';
import { javaDoubleText } from '../common/java-double-text.js';
import { JavaRandom } from '../common/java-random.js';
import { consumerConnection, openConsumer } from '../common/native-consumer.js';
import { openNativeProducer, type ProducerChoices } from '../common/native-producer.js';
import { Poller, TIMED_OUT } from '../common/poller.js';
import { createTopic } from '../topics/create.js';
import { withTopicsCluster } from '../topics/topics-cluster.js';
import { openBootstrap } from '../../client/versioned-connection.js';
import type { FetchedPartition } from '../../client/consumer/fetched-partition.js';

export interface EndToEndJob {
  topic: string;
  messages: number;
  acks: Acks;
  messageSize: number;
  /** Producer settings from the properties file (EndToEndLatency's own win: linger.ms 0, the acks given). */
  producer: ProducerChoices;
  connect: ConnectOptions;
  print: (line: string) => void;
}

export interface EndToEndSummary {
  avgLatencyMs: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
}

/** EndToEndLatency.POLL_TIMEOUT_MS: how long one message may take to come back. */
const POLL_TIMEOUT_MS = 60_000;

/**
 * EndToEndLatency: sends one message at a time, waits for its acknowledgement and then for the
 * consumer (reading the topic's partitions from their end, fetch.max.wait.ms 0) to see it; prints
 * every 1000th latency, then the average and percentiles. A missing topic is created with one
 * partition. At the end the consumer's positions are committed for group `test-group-<ms>`, as
 * Kafka's tool does.
 */
export async function endToEndLatency(job: EndToEndJob): Promise<EndToEndSummary> {
  const connection = consumerConnection(job.connect, 'kts e2e-latency');
  // The properties were checked once, just now: the producer and the final commit read them quietly.
  const quiet: ConnectOptions = { ...job.connect, consumedKeys: [...(job.connect.properties?.keys() ?? [])] };
  const group = `test-group-${Date.now()}`;
  const fetcher = await openConsumer(connection, () =>
    PartitionFetcher.open({ ...connection, fetchMaxWaitMs: 0, autoOffsetReset: 'latest' }),
  );
  let producer: Awaited<ReturnType<typeof openNativeProducer>>['producer'] | undefined;
  try {
    producer = (await openNativeProducer(quiet, { ...job.producer, lingerMs: 0, acks: job.acks }, 'kts e2e-latency')).producer;
    if (!(await fetcher.listTopics()).includes(job.topic)) await createMissingTopic(job, quiet);
    const counts = await fetcher.partitionCounts([job.topic]);
    const partitions = Array.from({ length: counts.get(job.topic) ?? 0 }, (_, partition) => ({ topic: job.topic, partition }));
    fetcher.assign(partitions, { kind: 'latest' });
    await fetcher.positions();
    const poller = new Poller(() => fetcher.next());
    const random = new JavaRandom(0);
    const latencies = new Float64Array(job.messages);
    let totalNs = 0;
    for (let i = 0; i < job.messages; i++) {
      const message = Buffer.alloc(job.messageSize, random.nextInt(26) + 65);
      const begin = process.hrtime.bigint();
      await producer.sendAsync({ topic: job.topic, value: message });
      const values = await pollRecords(poller);
      const elapsedNs = Number(process.hrtime.bigint() - begin);
      validate(message, values);
      if (i % 1000 === 0) job.print(`${i}\t${javaDoubleText(elapsedNs / 1000 / 1000)}`);
      totalNs += elapsedNs;
      latencies[i] = Math.trunc(elapsedNs / 1000 / 1000);
    }
    latencies.sort();
    const at = (p: number) => latencies[Math.floor(job.messages * p)] ?? 0;
    const summary = { avgLatencyMs: totalNs / job.messages / 1000 / 1000, p50Ms: at(0.5), p99Ms: at(0.99), p999Ms: at(0.999) };
    job.print(`Avg latency: ${javaFixed(summary.avgLatencyMs, 4)} ms`);
    job.print(`Percentiles: 50th = ${summary.p50Ms}, 99th = ${summary.p99Ms}, 99.9th = ${summary.p999Ms}`);
    await commitPositions(quiet, group, await fetcher.positions());
    return summary;
  } catch (err) {
    if (err instanceof ConsumerError || err instanceof ProducerError) throw new KtsError(`Error: ${err.message}`);
    throw err;
  } finally {
    fetcher.close();
    await producer?.close();
  }
}

/** Every value of the next fetch that holds records (Java's poll), within POLL_TIMEOUT_MS. */
async function pollRecords(poller: Poller<FetchedPartition>): Promise<Array<Buffer | null>> {
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  for (;;) {
    const fetched = await poller.poll(Math.max(1, deadline - Date.now()));
    if (fetched === null || fetched === TIMED_OUT) return [];
    const values: Array<Buffer | null> = [];
    fetched.read((record) => {
      values.push(record.value === null ? null : Buffer.from(record.value));
      return true;
    });
    if (values.length > 0 || Date.now() >= deadline) return values;
  }
}

function validate(sent: Buffer, values: ReadonlyArray<Buffer | null>): void {
  if (values.length === 0) throw new KtsError(`Error: poll() timed out before finding a result (timeout:[${POLL_TIMEOUT_MS}])`);
  const read = values[0]?.toString() ?? 'null';
  if (read !== sent.toString()) throw new KtsError(`Error: The message read [${read}] did not match the message sent [${sent.toString()}]`);
  if (values.length !== 1) throw new KtsError(`Error: Only one result was expected during this test. We found [${values.length}]`);
}

async function createMissingTopic(job: EndToEndJob, connect: ConnectOptions): Promise<void> {
  job.print(`Topic "${job.topic}" does not exist. Will create topic with 1 partition(s) and replication factor = 1`);
  try {
    await withTopicsCluster(connect, (cluster) =>
      createTopic(cluster, {
        action: 'create',
        topic: job.topic,
        partitions: 1,
        replicationFactor: 1,
        configs: new Map(),
        ifExists: false,
        ifNotExists: true,
        excludeInternal: false,
        healthFilters: [],
        topicsWithOverrides: false,
        partitionSizeLimitPerResponse: 0,
      }),
    );
  } catch (err) {
    job.print(`Creation of topic ${job.topic} failed`);
    throw err;
  }
}

/** consumer.commitSync() of an assigned (group-less) consumer: a commit outside any generation. */
async function commitPositions(
  connect: ConnectOptions,
  group: string,
  positions: ReadonlyArray<{ topic: string; partition: number; offset: bigint }>,
): Promise<void> {
  const { bootstrap, options } = await openBootstrap(connect);
  try {
    const offsets = positions.map((p) => ({ topic: p.topic, partition: p.partition, offset: Number(p.offset) }));
    await new CoordinatorRequests(async () => bootstrap.address, options).commit(group, offsets);
  } finally {
    bootstrap.close();
  }
}
