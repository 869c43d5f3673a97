import type { ConnectOptions } from '../../client/connect-options.js';
import { ProducerError, ProducerTimeoutError } from '../../client/producer/producer-errors.js';
import type { ProducerRecord, RecordMetadata } from '../../client/producer/producer-record.js';
import { javaExceptionClass } from '../common/kafka-exceptions.js';
import { openNativeProducer, type ProducerChoices } from '../common/native-producer.js';
import { SenderTurns } from '../common/sender-turns.js';
import { ThroughputThrottler } from '../common/throughput-throttler.js';
import { JsonDouble, eventJson, type EventValue } from './event-json.js';

export interface VerifiableProducerJob {
  topic: string;
  /** Negative: until stopped. */
  maxMessages: number;
  /** Messages per second; negative: no limit. */
  throughput: number;
  /** Values are `<prefix>.<n>` instead of `<n>`. */
  valuePrefix?: number;
  /** CreateTime of the first message; later ones move on with the clock, as Kafka's tool does. */
  createTime?: number;
  /** Keys count 0, 1, ... up to this (exclusive), then start again at 0. */
  repeatingKeys?: number;
  producer: ProducerChoices;
  connect: ConnectOptions;
  /** One JSON event per line. */
  print: (line: string) => void;
  /** Resolves when the run should stop (a signal). */
  stopped: Promise<void>;
}

/**
 * VerifiableProducer: sends increasing integers and prints a JSON event for every outcome
 * (producer_send_success / producer_send_error) between startup_complete and shutdown_complete,
 * then tool_data with the counts, so a test harness can check which messages were acknowledged.
 */
export async function verifiableProducer(job: VerifiableProducerJob): Promise<void> {
  const { producer } = await openNativeProducer(job.connect, { ...job.producer, topics: [job.topic] }, 'kts verifiable-producer');
  const event = (name: string, fields: Record<string, EventValue> = {}) => job.print(eventJson({ timestamp: Date.now(), name, ...fields }));
  let stop = false;
  void job.stopped.then(() => (stop = true));
  let sent = 0;
  let acked = 0;
  let keyCounter = 0;
  let createTime = job.createTime;
  const startMs = Date.now();
  const throttler = new ThroughputThrottler(job.throughput, startMs);
  const turns = new SenderTurns();
  event('startup_complete');
  const max = job.maxMessages < 0 ? Number.POSITIVE_INFINITY : job.maxMessages;
  try {
    for (let i = 0; i < max && !stop; i++) {
      const sendStartMs = Date.now();
      let key: string | null = null;
      if (job.repeatingKeys !== undefined) {
        key = String(keyCounter++);
        if (keyCounter === job.repeatingKeys) keyCounter = 0;
      }
      const value = job.valuePrefix === undefined ? String(i) : `${job.valuePrefix}.${i}`;
      const record: ProducerRecord = { topic: job.topic, key, value };
      if (createTime !== undefined) {
        record.timestamp = createTime;
        createTime += Date.now() - startMs;
      }
      sent++;
      const accepted = producer.send(record, (err: Error | null, metadata: RecordMetadata | null) => {
        if (err === null) {
          acked++;
          const m = metadata!;
          event('producer_send_success', { key, value, topic: m.topic, partition: m.partition, offset: Number(m.offset) });
        } else {
          const timeout = err instanceof ProducerTimeoutError;
          const code = err instanceof ProducerError ? err.code : null;
          event('producer_send_error', {
            key,
            value,
            topic: job.topic,
            exception: `class ${javaExceptionClass(code, timeout)}`,
            message: err.message,
          });
        }
      });
      if (throttler.shouldThrottle(i, sendStartMs)) await throttler.throttle();
      else if (!accepted) await producer.ready();
      else if (turns.due()) await turns.turn();
    }
  } finally {
    await producer.close();
    event('shutdown_complete');
    const stopMs = Date.now();
    event('tool_data', {
      sent,
      acked,
      target_throughput: job.throughput,
      avg_throughput: new JsonDouble(1000 * (acked / (stopMs - startMs))),
    });
  }
}
