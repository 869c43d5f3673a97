import { KtsError, oneLine } from '../../util/errors.js';
import type { BrokerAddress } from '../../client/bootstrap.js';
import { BrokerConnectionError } from '../../client/broker-connections.js';
import type { ConnectOptions } from '../../client/connect-options.js';
import { describeConnectionError } from '../../client/connection-error.js';
import type { NativeProducer } from '../../client/producer/producer.js';
import type { DeliveryCallback, ProducerRecord } from '../../client/producer/producer-record.js';
import { openNativeProducer } from '../common/native-producer.js';
import { SenderTurns } from '../common/sender-turns.js';
import type { InputChunks } from './input-chunks.js';
import { LineSplitter } from './line-splitter.js';
import { InputError, type RecordParser, type ValueLines } from './record-input.js';
import type { ProducerSettings } from './producer-settings.js';

export interface ProduceJob {
  /** A chunk may be reused once the next is asked for: lines are sent (or copied) before that. */
  input: InputChunks;
  /** Kafka prints a `>` prompt before each line only on an interactive console. */
  prompt: boolean;
  /** Where `parse` sends records: looked up as the producer starts. */
  topic: string;
  parse: RecordParser;
  /**
   * Set when every line is its record's value as it is (ValueLines) and the partitioner picks
   * the partition: such lines are then sent without `parse`.
   */
  values?: ValueLines;
  settings: ProducerSettings;
  connect: ConnectOptions;
  /**
   * Set as Kafka's console producer: each record that fails is reported here (its
   * ErrorLoggingCallback) and failures do not fail the run. Without it they are counted, and any
   * failure fails the run with how many and why.
   */
  onFailure?: (record: ProducerRecord, err: Error) => void;
  /** Told the bytes of input read so far, after each chunk (a progress bar for a file). */
  onRead?: (bytes: number) => void;
}

/** Every record's outcome; the first failure usually explains the others. */
interface Outcome {
  acknowledged: number;
  failed: number;
  firstError?: Error;
}

/**
 * Reads records line by line and hands them to the native producer, pausing while its buffer
 * is full. At end of input (or on SIGINT/SIGTERM) everything read is flushed; unlike Kafka, any
 * record not acknowledged makes this fail.
 */
export async function produce(job: ProduceJob): Promise<void> {
  const { settings } = job;
  const { producer, brokers } = await openNativeProducer(
    job.connect,
    {
      acks: settings.acks,
      idempotence: settings.idempotent,
      compression: settings.compression,
      ...(settings.compressionLevel !== undefined ? { compressionLevel: settings.compressionLevel } : {}),
      batchSize: settings.batchBytes,
      lingerMs: settings.lingerMs,
      bufferMemory: settings.bufferMemory,
      maxBlockMs: settings.maxBlockMs,
      maxRequestSize: settings.maxRequestSize,
      requestTimeoutMs: settings.requestTimeoutMs,
      deliveryTimeoutMs: settings.deliveryTimeoutMs,
      retries: settings.retries,
      retryBackoffMs: settings.retryBackoffMs,
      maxInFlight: settings.maxInFlight,
      topics: [job.topic],
      metadataMaxAgeMs: settings.metadataMaxAgeMs,
      ignoreKeys: settings.ignoreKeys,
      ...(settings.partitionerClass ? { partitionerClass: settings.partitionerClass } : {}),
    },
    'kts producer',
  );

  const outcome: Outcome = { acknowledged: 0, failed: 0 };
  const onDelivery: DeliveryCallback = (err) => {
    if (err === null) outcome.acknowledged++;
    else {
      outcome.failed++;
      outcome.firstError ??= err;
    }
  };
  const interrupted = { bySignal: false };
  const stop = (): void => {
    interrupted.bySignal = true;
    job.input.destroy();
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  let inputError: string | undefined;
  try {
    inputError = await readInto(job, producer, onDelivery, interrupted);
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
    await producer.close();
  }
  const lost = job.onFailure === undefined ? notAcknowledged(outcome, brokers) : undefined;
  if (inputError !== undefined) throw new KtsError(`Error: ${inputError}${lost ? ` (also ${lost})` : ''}`);
  if (lost) throw new KtsError(`Error: ${lost}`);
}

/**
 * Sends every complete line; returns the reason reading stopped early, if any. Lines of a chunk
 * are sent synchronously: awaiting happens only when the producer asks to wait (or with --sync
 * or a prompt). A chunk's lines are all sent or copied before the next chunk is read.
 */
async function readInto(
  job: ProduceJob,
  producer: NativeProducer,
  onDelivery: DeliveryCallback,
  interrupted: { readonly bySignal: boolean },
): Promise<string | undefined> {
  const splitter = new LineSplitter();
  const { prompt, parse, topic } = job;
  const sync = job.settings.sync;
  const { onFailure } = job;
  // Lines that are their values go to sendValue: no record and no view per line. All of them
  // share onDelivery, so not where a failure is reported with its record, nor where each line
  // waits for its answer or prompts for the next.
  const values = onFailure === undefined && !sync && !prompt ? job.values : undefined;
  let lineNumber = 0;
  const turns = new SenderTurns();
  /** Waits, after a send, for what the producer or the options ask for (usually nothing). */
  const afterSend = async (accepted: boolean): Promise<void> => {
    if (!accepted) await producer.ready();
    if (sync) await producer.flush();
    if (prompt) process.stdout.write('>');
  };
  /** Sends a line; a promise only when something must be waited for. */
  const send = (line: Buffer, utf8: boolean): Promise<void> | undefined => {
    const record = parse(line, ++lineNumber, utf8);
    const callback: DeliveryCallback =
      onFailure === undefined
        ? onDelivery
        : (err, metadata) => {
            onDelivery(err, metadata);
            if (err !== null) onFailure(record, err);
          };
    const accepted = producer.send(record, callback);
    return accepted && !sync && !prompt ? undefined : afterSend(accepted);
  };
  if (prompt) process.stdout.write('>');
  try {
    let read = 0;
    for await (const chunk of job.input) {
      splitter.push(chunk);
      const utf8 = splitter.utf8;
      // The lines of a chunk arrived together: they share a timestamp, taken again after each wait
      // or turn (about once a millisecond), which spares a clock read per line.
      let now = Date.now();
      while (splitter.nextLine()) {
        const { lineSource, lineStart, lineEnd } = splitter;
        let waiting: Promise<void> | undefined;
        if (values !== undefined && utf8 && !values.isNull(lineSource, lineStart, lineEnd)) {
          lineNumber++;
          if (!producer.sendValue(topic, lineSource, lineStart, lineEnd, now, onDelivery)) waiting = producer.ready();
        } else waiting = send(splitter.line(), utf8);
        // `await` only when there is something to wait for: awaiting undefined still costs a turn.
        if (waiting !== undefined) await waiting;
        else if (turns.due()) await turns.turn();
        else continue;
        now = Date.now();
      }
      job.onRead?.((read += chunk.length));
    }
    const last = splitter.end();
    if (last !== undefined) await send(last, splitter.utf8);
  } catch (err) {
    if (err instanceof InputError) return err.message;
    // A signal destroys the input mid-read: what was read is still sent. A failed read (EIO, a
    // directory) destroys it too, and is an error.
    if (interrupted.bySignal) return undefined;
    return `could not read the input: ${oneLine(err)}`;
  }
  return undefined;
}

/** `N of M messages were not acknowledged: why`, or undefined when all were. */
function notAcknowledged(outcome: Outcome, brokers: readonly BrokerAddress[]): string | undefined {
  if (outcome.failed === 0) return undefined;
  const total = outcome.failed + outcome.acknowledged;
  const err = outcome.firstError;
  const why = oneLine(err instanceof BrokerConnectionError ? describeConnectionError(err, brokers) : err).replace(/^Error: /, '');
  return `${outcome.failed} of ${total} messages were not acknowledged: ${why}`;
}
