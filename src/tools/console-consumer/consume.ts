import type { Admin, Consumer, EachBatchPayload } from 'kafkajs';
import { CliError, oneLine } from '../../cli/errors.js';
import { createKafka, withAdmin, type ConnectOptions } from '../../client/connect.js';
import { connectClient } from '../common/connect-client.js';
import { registerCompressionCodecs } from '../common/kafkajs-codecs.js';
import { filterTopics } from '../common/topic-filter.js';
import { consumedRecord } from './consumed-from-kafkajs.js';
import type { ConsumeRequest } from './consumer-options.js';
import type { ConsumerTuning } from './consumer-settings.js';
import { EndTracker } from './end-tracker.js';
import { fixedPartitionAssigner } from './fixed-assigner.js';
import { OutputChunks, type RecordFormatter } from './output-chunks.js';
import { partitionRanges } from './start-positions.js';

export interface ConsumeJob {
  request: ConsumeRequest;
  formatter: RecordFormatter;
  tuning: ConsumerTuning;
  connect: ConnectOptions;
  output: NodeJS.WritableStream;
}

/**
 * Reads records until `--max-messages`, `--timeout-ms` idleness, `--exit-at-end`, a signal or an
 * error, writing each fetched batch with one write. Prints Kafka's `Processed a total of N
 * messages` on stderr at the end.
 */
export async function consume(job: ConsumeJob): Promise<void> {
  registerCompressionCodecs();
  await withAdmin(job.connect, async (admin) => {
    const topics = await subscribedTopics(admin, job.request);
    const tracker = job.request.exitAtEnd ? new EndTracker(await partitionRanges(admin, job.request, topics)) : undefined;
    const consumer = createConsumer(job);
    let processed = 0;
    let failure: unknown;
    try {
      failure = await runUntilDone(job, consumer, topics, tracker, () => processed++);
    } finally {
      await consumer.disconnect().catch(() => {});
      process.stderr.write(`Processed a total of ${processed} messages\n`);
    }
    if (job.request.groupGenerated && !job.request.autoCommit) {
      // The generated group holds no offsets and nobody will reuse it: leave no trace of it.
      await admin.deleteGroups([job.request.groupId]).catch(() => {});
    }
    if (failure !== undefined) throw failure;
  });
}

async function subscribedTopics(admin: Admin, req: ConsumeRequest): Promise<string[]> {
  const { source } = req;
  if ('topic' in source) {
    if (req.partition !== undefined) {
      const { topics } = await admin.fetchTopicMetadata({ topics: [source.topic] });
      const count = topics[0]?.partitions.length ?? 0;
      if (req.partition >= count) {
        throw new CliError(`Error: topic '${source.topic}' has no partition ${req.partition} (it has ${count})`);
      }
    }
    return [source.topic];
  }
  // Kafka's pattern subscription leaves internal topics out.
  const topics = filterTopics((await admin.listTopics()).sort(), source.include, true);
  if (topics.length === 0) throw new CliError('Error: no topic matches the --include pattern');
  return topics;
}

function createConsumer(job: ConsumeJob): Consumer {
  const { request: req } = job;
  const { source } = req;
  return createKafka(job.connect).consumer({
    ...job.tuning,
    groupId: req.groupId,
    readUncommitted: !req.readCommitted,
    // A CLI reports a failure and exits instead of restarting forever.
    retry: { restartOnFailure: async () => false },
    ...('topic' in source && req.partition !== undefined
      ? { partitionAssigners: [fixedPartitionAssigner(source.topic, req.partition)] }
      : {}),
  });
}

/** Runs the consumer; resolves with the error that ended it, or undefined for a normal end. */
async function runUntilDone(
  job: ConsumeJob,
  consumer: Consumer,
  topics: string[],
  tracker: EndTracker | undefined,
  count: () => void,
): Promise<unknown> {
  const { request: req } = job;
  let finish!: (failure?: unknown) => void;
  const finished = new Promise<unknown>((resolve) => (finish = resolve));
  let stopping = false;
  const stop = (failure?: unknown): void => {
    if (stopping) return;
    stopping = true;
    finish(failure);
  };
  let idle: NodeJS.Timeout | undefined;
  const touch = (): void => {
    if (req.timeoutMs === undefined) return;
    clearTimeout(idle);
    idle = setTimeout(() => stop(), req.timeoutMs);
  };
  const onSignal = (): void => stop();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);

  consumer.on(consumer.events.CRASH, (e) => stop(e.payload.error));
  if (tracker !== undefined) {
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const assigned = Object.entries(e.payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => ({ topic, partition })),
      );
      tracker.assign(assigned);
      if (tracker.done) stop();
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      tracker.reached(e.payload.topic, e.payload.partition, e.payload.lastOffset);
      if (tracker.done) stop();
    });
  }

  let remaining = req.maxMessages ?? Infinity;
  const eachBatch = async ({ batch, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    touch();
    const out = new OutputChunks();
    for (const message of batch.messages) {
      if (stopping || !isRunning() || isStale()) break;
      try {
        job.formatter(consumedRecord(batch.topic, batch.partition, message), out);
      } catch (err) {
        if (!req.skipMessageOnError) {
          stop(new CliError(`Error processing message, terminating consumer process: ${oneLine(err)}`));
          break;
        }
        process.stderr.write(`Error processing message, skipping this message: ${oneLine(err)}\n`);
      }
      count();
      resolveOffset(message.offset);
      if (--remaining <= 0) stop();
    }
    if (!out.empty) await write(job.output, out.take());
  };

  try {
    if (req.maxMessages === 0) return undefined;
    await connectClient(consumer, job.connect);
    await consumer.subscribe({ topics, fromBeginning: req.start.kind === 'earliest' });
    await consumer.run({ autoCommit: req.autoCommit, eachBatchAutoResolve: false, eachBatch });
    if (req.start.kind === 'offset' && req.partition !== undefined) {
      consumer.seek({ topic: topics[0]!, partition: req.partition, offset: req.start.offset });
    }
    touch();
    return await finished;
  } finally {
    clearTimeout(idle);
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

function write(stream: NodeJS.WritableStream, data: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(data)) resolve();
    else stream.once('drain', resolve);
  });
}
