import type { Admin, Consumer, EachBatchPayload } from 'kafkajs';
import { CliError } from '../../cli/errors.js';
import { createKafka, withAdmin } from '../../client/connect.js';
import { connectClient } from '../common/connect-client.js';
import { registerCompressionCodecs } from '../common/kafkajs-codecs.js';
import { filterTopics } from '../common/topic-filter.js';
import type { ConsumeJob } from './consume.js';
import { ConsumeSession } from './consume-session.js';
import { consumedRecord } from './consumed-from-kafkajs.js';
import type { ConsumeRequest } from './consumer-options.js';
import { EndTracker } from './end-tracker.js';
import { OutputChunks } from './output-chunks.js';
import { partitionRanges } from './start-positions.js';

/**
 * `--group`: consumes as a member of the group through kafkajs (joining, committing offsets),
 * writing each fetched batch with one write.
 */
export async function consumeInGroup(job: ConsumeJob): Promise<void> {
  registerCompressionCodecs();
  await withAdmin(job.connect, async (admin) => {
    const topics = await subscribedTopics(admin, job.request);
    const tracker = job.request.exitAtEnd ? new EndTracker(await partitionRanges(admin, job.request, group(job).id, topics)) : undefined;
    const consumer = createConsumer(job);
    const session = new ConsumeSession(job.request, job.formatter, job.output);
    let failure: unknown;
    try {
      failure = await runUntilDone(job, consumer, session, topics, tracker);
    } finally {
      await consumer.disconnect().catch(() => {});
      session.close();
    }
    if (failure !== undefined) throw failure;
  });
}

async function subscribedTopics(admin: Admin, req: ConsumeRequest): Promise<string[]> {
  const { source } = req;
  if ('topic' in source) return [source.topic];
  // Kafka's pattern subscription leaves internal topics out.
  const topics = filterTopics((await admin.listTopics()).sort(), source.include, true);
  if (topics.length === 0) throw new CliError('Error: no topic matches the --include pattern');
  return topics;
}

function createConsumer(job: ConsumeJob): Consumer {
  const { request: req } = job;
  return createKafka(job.connect).consumer({
    ...job.tuning,
    groupId: group(job).id,
    readUncommitted: !req.readCommitted,
    // A CLI reports a failure and exits instead of restarting forever.
    retry: { restartOnFailure: async () => false },
  });
}

/** Runs the consumer; resolves with the error that ended it, or undefined for a normal end. */
async function runUntilDone(
  job: ConsumeJob,
  consumer: Consumer,
  session: ConsumeSession,
  topics: string[],
  tracker: EndTracker | undefined,
): Promise<unknown> {
  const { request: req } = job;
  consumer.on(consumer.events.CRASH, (e) => session.stop(e.payload.error));
  if (tracker !== undefined) {
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const assigned = Object.entries(e.payload.memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => ({ topic, partition })),
      );
      tracker.assign(assigned);
      if (tracker.done) session.stop();
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      tracker.reached(e.payload.topic, e.payload.partition, e.payload.lastOffset);
      if (tracker.done) session.stop();
    });
  }

  const eachBatch = async ({ batch, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    session.touch();
    const out = new OutputChunks();
    for (const message of batch.messages) {
      if (session.stopping || !isRunning() || isStale()) break;
      if (!session.format(consumedRecord(batch.topic, batch.partition, message), out)) break;
      resolveOffset(message.offset);
    }
    await session.write(out);
  };

  if (req.maxMessages === 0) return undefined;
  await connectClient(consumer, job.connect);
  await consumer.subscribe({ topics, fromBeginning: req.start.kind === 'earliest' });
  await consumer.run({ autoCommit: group(job).autoCommit, eachBatchAutoResolve: false, eachBatch });
  session.touch();
  return await session.finished;
}

/** This path runs only for a request with a group (see consume.ts). */
function group(job: ConsumeJob): { id: string; autoCommit: boolean } {
  if (job.request.group === null) throw new Error('group consumption without a group');
  return job.request.group;
}
