import { KtsError } from '../../util/errors.js';
import type { FetcherOptions } from '../../client/consumer/consumer-config.js';
import { ConsumerError } from '../../client/consumer/consumer-errors.js';
import { consumerConnection, openConsumer, type ConsumerConnection } from '../common/native-consumer.js';
import type { ConsumeJob } from './consume-job.js';
import { ConsumeSession } from './consume-session.js';

/**
 * Opens a kts consumer with the job's settings (an unreachable cluster is a one-line KtsError),
 * runs `work` until it ends or the session does (a signal, --max-messages, --timeout-ms, a closed
 * output), then closes the consumer. A ConsumerError that ended it becomes `Error: <message>`.
 */
export async function runNative<C extends { close(): void | Promise<void> }>(
  job: ConsumeJob,
  open: (options: FetcherOptions) => Promise<C>,
  work: (consumer: C, session: ConsumeSession) => Promise<unknown>,
): Promise<void> {
  const options = fetcherOptions(job);
  const consumer = await openConsumer(options, () => open(options));
  const session = new ConsumeSession(job.request, job.formatter, job.output, job.closedOutputNotice);
  let failure: unknown;
  try {
    // A signal or --timeout-ms may end the session while `work` still waits (for metadata, say);
    // closing the consumer then ends that wait, and its error is of no interest.
    failure = await Promise.race([work(consumer, session).catch((err: unknown) => err), session.finished]);
  } finally {
    await consumer.close();
    session.close();
  }
  if (failure instanceof ConsumerError) throw new KtsError(`Error: ${failure.message}`);
  if (failure !== undefined) throw failure;
}

function fetcherOptions(job: ConsumeJob): FetcherOptions & ConsumerConnection {
  const { request: req } = job;
  return {
    ...job.fetch,
    ...consumerConnection(job.connect, 'kts consumer'),
    readCommitted: req.readCommitted,
    autoOffsetReset: req.offsetReset,
  };
}
