import type { Readable } from 'node:stream';
import { CliError, oneLine } from '../../cli/errors.js';
import { createKafka, createProducer, type ConnectOptions } from '../../client/connect.js';
import { COMPRESSION } from '../../protocol/records/batch-header.js';
import { connectClient, explainConnectionFailure } from '../common/connect-client.js';
import { registerCompressionCodecs } from '../common/kafkajs-codecs.js';
import { LineSplitter } from './line-splitter.js';
import { InputError, messageBytes, type RecordParser } from './record-input.js';
import type { ProducerSettings } from './producer-settings.js';
import { SendPipeline, type SendOutcome } from './send-pipeline.js';

/**
 * kafkajs groups a send's records per partition by copying the partition's array for every
 * record (quadratic), so sends stay this small even when the byte limit would allow more.
 */
const MAX_RECORDS_PER_SEND = 1000;

export interface ProduceJob {
  topic: string;
  input: Readable;
  /** Kafka prints a `>` prompt before each line only on an interactive console. */
  prompt: boolean;
  parse: RecordParser;
  settings: ProducerSettings;
  connect: ConnectOptions;
}

/**
 * Reads records line by line and sends them in batches. At end of input (or on SIGINT/SIGTERM)
 * everything read is flushed; unlike Kafka, any record not acknowledged makes this fail.
 */
export async function produce(job: ProduceJob): Promise<void> {
  registerCompressionCodecs();
  const { settings } = job;
  const producer = createProducer(createKafka(job.connect), {
    idempotent: settings.idempotent,
    allowAutoTopicCreation: true,
    metadataMaxAge: settings.metadataMaxAgeMs,
    retry: { retries: settings.retries, initialRetryTime: settings.retryBackoffMs },
  });
  await withTimeout(connectClient(producer, job.connect), settings.maxBlockMs);

  const pipeline = new SendPipeline(
    (messages) =>
      producer.send({
        topic: job.topic,
        messages,
        acks: settings.acks,
        timeout: settings.requestTimeoutMs,
        compression: COMPRESSION[settings.compression],
      }),
    { ...settings, batchRecords: MAX_RECORDS_PER_SEND },
  );
  let inputError: string | undefined;
  const stop = (): void => {
    job.input.destroy();
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    inputError = await readInto(job, pipeline);
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
  const outcome = await pipeline.close();
  await producer.disconnect().catch(() => {});
  const lost = notAcknowledged(outcome, job.connect);
  if (inputError !== undefined) throw new CliError(`Error: ${inputError}${lost ? ` (also ${lost})` : ''}`);
  if (lost) throw new CliError(`Error: ${lost}`);
}

/** Feeds every complete line to the pipeline; returns the reason reading stopped early, if any. */
async function readInto(job: ProduceJob, pipeline: SendPipeline): Promise<string | undefined> {
  const splitter = new LineSplitter();
  let lineNumber = 0;
  const handle = async (line: string): Promise<void> => {
    const message = job.parse(line, ++lineNumber);
    pipeline.add(message, messageBytes(message));
    if (pipeline.needsRoom) await pipeline.waitForRoom();
    if (job.prompt) process.stdout.write('>');
  };
  if (job.prompt) process.stdout.write('>');
  try {
    for await (const chunk of job.input) {
      for (const line of splitter.push(chunk as string)) await handle(line);
    }
    for (const line of splitter.end()) await handle(line);
  } catch (err) {
    if (err instanceof InputError) return err.message;
    // A signal destroys the input mid-read: what was read is still sent.
    if (!job.input.destroyed) throw err;
  }
  return undefined;
}

/** `N of M messages were not acknowledged: why`, or undefined when all were. */
function notAcknowledged(outcome: SendOutcome, connect: ConnectOptions): string | undefined {
  if (outcome.failed === 0) return undefined;
  const total = outcome.failed + outcome.acknowledged;
  const why = oneLine(explainConnectionFailure(outcome.firstError, connect)).replace(/^Error: /, '');
  return `${outcome.failed} of ${total} messages were not acknowledged: ${why}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CliError(`Error: could not connect within max.block.ms (${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
