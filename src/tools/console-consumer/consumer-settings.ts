import type { ConsumerConfig } from 'kafkajs';
import { UsageError } from '../../cli/errors.js';
import type { FetcherOptions } from '../../client/consumer/consumer-config.js';

/** Consumer properties kts maps to its fetcher or kafkajs (or decides itself), so they are not reported as unknown. */
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
  'check.crcs',
  'metadata.max.age.ms',
  'key.deserializer',
  'value.deserializer',
] as const;

/** The Java consumer's fetch.max.wait.ms; kafkajs's own default (5 s) would slow every idle poll. */
const FETCH_MAX_WAIT_MS = 500;

export type ConsumerTuning = Omit<ConsumerConfig, 'groupId' | 'readUncommitted'>;

/** The fetch settings of the native fetcher (no group), from Kafka consumer properties. */
export type FetchSettings = Pick<
  FetcherOptions,
  'fetchMinBytes' | 'fetchMaxBytes' | 'fetchMaxWaitMs' | 'maxPartitionFetchBytes' | 'checkCrcs' | 'allowAutoTopicCreation' | 'metadataMaxAgeMs'
>;

export function fetchSettings(props: ReadonlyMap<string, string>): FetchSettings {
  return {
    fetchMinBytes: int(props, 'fetch.min.bytes'),
    fetchMaxBytes: int(props, 'fetch.max.bytes'),
    fetchMaxWaitMs: int(props, 'fetch.max.wait.ms'),
    maxPartitionFetchBytes: int(props, 'max.partition.fetch.bytes'),
    checkCrcs: bool(props, 'check.crcs'),
    allowAutoTopicCreation: bool(props, 'allow.auto.create.topics'),
    metadataMaxAgeMs: int(props, 'metadata.max.age.ms'),
  };
}

/** kafkajs consumer settings from Kafka consumer properties, with the Java client's defaults where they matter. */
export function consumerTuning(props: ReadonlyMap<string, string>): ConsumerTuning {
  const pick = <K extends keyof ConsumerTuning>(field: K, value: ConsumerTuning[K] | undefined) =>
    value === undefined ? {} : { [field]: value };
  return {
    maxWaitTimeInMs: int(props, 'fetch.max.wait.ms') ?? FETCH_MAX_WAIT_MS,
    ...pick('sessionTimeout', int(props, 'session.timeout.ms')),
    ...pick('heartbeatInterval', int(props, 'heartbeat.interval.ms')),
    ...pick('rebalanceTimeout', int(props, 'max.poll.interval.ms')),
    ...pick('minBytes', int(props, 'fetch.min.bytes')),
    ...pick('maxBytes', int(props, 'fetch.max.bytes')),
    ...pick('maxBytesPerPartition', int(props, 'max.partition.fetch.bytes')),
    ...pick('allowAutoTopicCreation', bool(props, 'allow.auto.create.topics')),
  };
}

function int(props: ReadonlyMap<string, string>, key: string): number | undefined {
  const text = props.get(key)?.trim();
  if (text === undefined || text === '') return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`Error: invalid value for ${key}: '${text}' (expected a non-negative integer)`);
  return value;
}

function bool(props: ReadonlyMap<string, string>, key: string): boolean | undefined {
  const text = props.get(key);
  return text === undefined ? undefined : text.trim().toLowerCase() === 'true';
}
