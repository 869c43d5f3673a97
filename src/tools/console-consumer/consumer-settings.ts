import type { ConsumerConfig } from 'kafkajs';
import { UsageError } from '../../cli/errors.js';

/** Consumer properties kts maps to kafkajs (or decides itself), so they are not reported as unknown. */
export const CONSUMER_KEYS = [
  'group.id',
  'auto.offset.reset',
  'enable.auto.commit',
  'isolation.level',
  'session.timeout.ms',
  'heartbeat.interval.ms',
  'max.poll.interval.ms',
  'fetch.min.bytes',
  'fetch.max.bytes',
  'fetch.max.wait.ms',
  'max.partition.fetch.bytes',
  'allow.auto.create.topics',
  'key.deserializer',
  'value.deserializer',
] as const;

/** The Java consumer's fetch.max.wait.ms; kafkajs's own default (5 s) would slow every idle poll. */
const FETCH_MAX_WAIT_MS = 500;

export type ConsumerTuning = Omit<ConsumerConfig, 'groupId' | 'partitionAssigners' | 'readUncommitted'>;

/** kafkajs consumer settings from Kafka consumer properties, with the Java client's defaults where they matter. */
export function consumerTuning(props: ReadonlyMap<string, string>): ConsumerTuning {
  const int = (key: string): number | undefined => {
    const text = props.get(key)?.trim();
    if (text === undefined || text === '') return undefined;
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value)) throw new UsageError(`Error: invalid value for ${key}: '${text}' (expected a non-negative integer)`);
    return value;
  };
  const pick = <K extends keyof ConsumerTuning>(field: K, value: ConsumerTuning[K] | undefined) =>
    value === undefined ? {} : { [field]: value };
  const autoCreate = props.get('allow.auto.create.topics');
  return {
    maxWaitTimeInMs: int('fetch.max.wait.ms') ?? FETCH_MAX_WAIT_MS,
    ...pick('sessionTimeout', int('session.timeout.ms')),
    ...pick('heartbeatInterval', int('heartbeat.interval.ms')),
    ...pick('rebalanceTimeout', int('max.poll.interval.ms')),
    ...pick('minBytes', int('fetch.min.bytes')),
    ...pick('maxBytes', int('fetch.max.bytes')),
    ...pick('maxBytesPerPartition', int('max.partition.fetch.bytes')),
    ...pick('allowAutoTopicCreation', autoCreate === undefined ? undefined : autoCreate.trim().toLowerCase() === 'true'),
  };
}
