import {
  applyLogConfigOverrides,
  DEFAULT_LOG_CONFIG,
  isLogConfigName,
  type LogConfig,
  type LogConfigName,
  LONG_MAX,
} from '../log/log-config.js';
import { LogError } from '../log/log-error.js';
import { BROKER_CONFIG_DEFS, type BrokerConfigName, type BrokerConfigValues } from './broker-config-defs.js';
import { logFlushIntervalMs, logRetentionMs, logRollJitterMs, logRollMs } from './broker-config.js';
import { type ConfigType, type ConfigValue, parseConfigValue } from './config-def.js';
import { ConfigError } from './config-error.js';

/**
 * Deprecated topic configs Kafka 3.9 still accepts. The log does not see them: the difference limit
 * stands in for unset before/after limits (KIP-937), down-conversion is always on.
 */
const DEPRECATED_TOPIC_CONFIGS = {
  'message.timestamp.difference.max.ms': 'log.message.timestamp.difference.max.ms',
  'message.downconversion.enable': 'log.message.downconversion.enable',
} as const satisfies Record<string, BrokerConfigName>;

type DeprecatedTopicConfigName = keyof typeof DEPRECATED_TOPIC_CONFIGS;
export type TopicConfigName = LogConfigName | DeprecatedTopicConfigName;

/** The broker key a topic config falls back to (its synonyms follow from it), or its own type when none. */
type TopicConfigKey = { broker: BrokerConfigName; doc: string } | { broker: null; type: ConfigType; doc: string };

const TOPIC_CONFIG_KEYS: Record<TopicConfigName, TopicConfigKey> = {
  'cleanup.policy': { broker: 'log.cleanup.policy', doc: 'delete and/or compact old segments' },
  'compression.type': { broker: 'compression.type', doc: 'Compression of stored batches; producer keeps what the producer sent' },
  'compression.gzip.level': { broker: 'compression.gzip.level', doc: 'gzip level when compression.type is gzip' },
  'compression.lz4.level': { broker: 'compression.lz4.level', doc: 'lz4 level when compression.type is lz4' },
  'compression.zstd.level': { broker: 'compression.zstd.level', doc: 'zstd level when compression.type is zstd' },
  'delete.retention.ms': { broker: 'log.cleaner.delete.retention.ms', doc: 'How long tombstones are kept when compacting' },
  'file.delete.delay.ms': { broker: 'log.segment.delete.delay.ms', doc: 'Delay before a deleted segment is removed from disk' },
  'flush.messages': { broker: 'log.flush.interval.messages', doc: 'Messages appended before the log is fsynced' },
  'flush.ms': { broker: 'log.flush.interval.ms', doc: 'Most time a message stays unflushed' },
  'follower.replication.throttled.replicas': { broker: null, type: 'LIST', doc: 'Replicas throttled on the follower side' },
  'index.interval.bytes': { broker: 'log.index.interval.bytes', doc: 'Bytes of log between offset index entries' },
  'leader.replication.throttled.replicas': { broker: null, type: 'LIST', doc: 'Replicas throttled on the leader side' },
  'max.compaction.lag.ms': { broker: 'log.cleaner.max.compaction.lag.ms', doc: 'Most age of a record before it must be compacted' },
  'max.message.bytes': { broker: 'message.max.bytes', doc: 'The largest record batch accepted, in bytes' },
  'message.downconversion.enable': { broker: 'log.message.downconversion.enable', doc: 'Deprecated; accepted, no effect' },
  'message.timestamp.after.max.ms': {
    broker: 'log.message.timestamp.after.max.ms',
    doc: 'Most a CreateTime timestamp may lie in the future',
  },
  'message.timestamp.before.max.ms': {
    broker: 'log.message.timestamp.before.max.ms',
    doc: 'Most a CreateTime timestamp may lie in the past',
  },
  'message.timestamp.difference.max.ms': {
    broker: 'log.message.timestamp.difference.max.ms',
    doc: 'Deprecated: stands in for message.timestamp.before/after.max.ms while they are unset',
  },
  'message.timestamp.type': { broker: 'log.message.timestamp.type', doc: 'Timestamp stored in records: CreateTime or LogAppendTime' },
  'min.cleanable.dirty.ratio': { broker: 'log.cleaner.min.cleanable.ratio', doc: 'Dirty ratio at which the log is compacted' },
  'min.compaction.lag.ms': { broker: 'log.cleaner.min.compaction.lag.ms', doc: 'Least age of a record before it can be compacted' },
  'min.insync.replicas': { broker: 'min.insync.replicas', doc: 'In-sync replicas a produce with acks=all needs' },
  preallocate: { broker: 'log.preallocate', doc: 'Preallocate segment files' },
  'retention.bytes': { broker: 'log.retention.bytes', doc: 'Size a partition may keep before old segments are deleted (-1: unlimited)' },
  'retention.ms': { broker: 'log.retention.ms', doc: 'Age after which segments are deleted (-1: forever)' },
  'segment.bytes': { broker: 'log.segment.bytes', doc: 'Size at which a segment is rolled' },
  'segment.index.bytes': { broker: 'log.index.size.max.bytes', doc: 'Largest offset index of a segment' },
  'segment.jitter.ms': { broker: 'log.roll.jitter.ms', doc: 'Most random jitter subtracted from segment.ms' },
  'segment.ms': { broker: 'log.roll.ms', doc: 'Age at which a segment is rolled' },
  'unclean.leader.election.enable': { broker: 'unclean.leader.election.enable', doc: 'Allow an out-of-sync replica to become leader' },
};

export const TOPIC_CONFIG_NAMES = Object.keys(TOPIC_CONFIG_KEYS).sort() as TopicConfigName[];

export function isTopicConfigName(name: string): name is TopicConfigName {
  return Object.hasOwn(TOPIC_CONFIG_KEYS, name);
}

export function topicConfigKey(name: TopicConfigName): TopicConfigKey {
  return TOPIC_CONFIG_KEYS[name];
}

export function topicConfigType(name: TopicConfigName): ConfigType {
  const key = TOPIC_CONFIG_KEYS[name];
  return key.broker === null ? key.type : BROKER_CONFIG_DEFS[key.broker].type;
}

/**
 * Checks CreateTopics / AlterConfigs topic configs and returns them as a map. Refusals are
 * ConfigErrors worded as Kafka's: `Null value not supported for topic configs: a,b`,
 * `Unknown topic config name: foo`, `Invalid value x for configuration retention.ms: ...`.
 */
export function validateTopicConfigs(entries: Iterable<readonly [string, string | null]>): Map<TopicConfigName, string> {
  const all = [...entries];
  const nulls = all.filter(([, value]) => value === null).map(([name]) => name);
  if (nulls.length > 0) throw new ConfigError('null-value', `Null value not supported for topic configs: ${nulls.join(',')}`);
  const valid = new Map<TopicConfigName, string>();
  for (const [name, value] of all as [string, string][]) {
    if (!isTopicConfigName(name)) throw new ConfigError('unknown-name', `Unknown topic config name: ${name}`);
    if (isLogConfigName(name)) checkLogValue(name, value);
    else parseConfigValue<ConfigValue>(name, BROKER_CONFIG_DEFS[DEPRECATED_TOPIC_CONFIGS[name]], value);
    valid.set(name, value);
  }
  return valid;
}

/**
 * The LogConfig of a topic: its overrides (already validated), else the broker's effective
 * (dynamic or static) settings, else defaults.
 */
export function topicLogConfig(broker: BrokerConfigValues, overrides: ReadonlyMap<string, string>): LogConfig {
  const config = applyLogConfigOverrides(
    brokerLogDefaults(broker),
    [...overrides].filter(([name]) => isLogConfigName(name)),
  );
  const differenceText = overrides.get('message.timestamp.difference.max.ms');
  const difference =
    differenceText === undefined
      ? broker['log.message.timestamp.difference.max.ms']
      : parseConfigValue(
          'message.timestamp.difference.max.ms',
          BROKER_CONFIG_DEFS['log.message.timestamp.difference.max.ms'],
          differenceText,
        );
  if (config['message.timestamp.before.max.ms'] >= LONG_MAX) config['message.timestamp.before.max.ms'] = difference;
  if (config['message.timestamp.after.max.ms'] >= LONG_MAX) config['message.timestamp.after.max.ms'] = difference;
  return config;
}

/**
 * A topic config's effective value given the topic's LogConfig (from `topicLogConfig`); the
 * deprecated keys, which LogConfig lacks, come from the overrides or the broker.
 */
export function topicValue(
  broker: BrokerConfigValues,
  overrides: ReadonlyMap<string, string>,
  config: LogConfig,
  name: TopicConfigName,
): ConfigValue {
  if (isLogConfigName(name)) return config[name];
  const synonym = DEPRECATED_TOPIC_CONFIGS[name];
  const text = overrides.get(name);
  return text === undefined ? broker[synonym] : parseConfigValue<ConfigValue>(name, BROKER_CONFIG_DEFS[synonym], text);
}

/** What a topic without overrides gets from the broker's settings, by Kafka's synonym rules. */
export function brokerLogDefaults(v: BrokerConfigValues): LogConfig {
  return {
    'cleanup.policy': v['log.cleanup.policy'].join(','),
    'compression.type': v['compression.type'],
    'compression.gzip.level': v['compression.gzip.level'],
    'compression.lz4.level': v['compression.lz4.level'],
    'compression.zstd.level': v['compression.zstd.level'],
    'delete.retention.ms': v['log.cleaner.delete.retention.ms'],
    'file.delete.delay.ms': v['log.segment.delete.delay.ms'],
    'flush.messages': v['log.flush.interval.messages'],
    'flush.ms': logFlushIntervalMs(v),
    'follower.replication.throttled.replicas': DEFAULT_LOG_CONFIG['follower.replication.throttled.replicas'],
    'index.interval.bytes': v['log.index.interval.bytes'],
    'leader.replication.throttled.replicas': DEFAULT_LOG_CONFIG['leader.replication.throttled.replicas'],
    'max.compaction.lag.ms': v['log.cleaner.max.compaction.lag.ms'],
    'max.message.bytes': v['message.max.bytes'],
    'message.timestamp.after.max.ms': v['log.message.timestamp.after.max.ms'],
    'message.timestamp.before.max.ms': v['log.message.timestamp.before.max.ms'],
    'message.timestamp.type': v['log.message.timestamp.type'],
    'min.cleanable.dirty.ratio': v['log.cleaner.min.cleanable.ratio'],
    'min.compaction.lag.ms': v['log.cleaner.min.compaction.lag.ms'],
    'min.insync.replicas': v['min.insync.replicas'],
    preallocate: v['log.preallocate'],
    'retention.bytes': v['log.retention.bytes'],
    'retention.ms': logRetentionMs(v),
    'segment.bytes': v['log.segment.bytes'],
    'segment.index.bytes': v['log.index.size.max.bytes'],
    'segment.jitter.ms': logRollJitterMs(v),
    'segment.ms': logRollMs(v),
    'unclean.leader.election.enable': v['unclean.leader.election.enable'],
  };
}

/** The log layer owns topic-level ranges; its refusal becomes ours. */
function checkLogValue(name: LogConfigName, value: string): void {
  try {
    applyLogConfigOverrides(DEFAULT_LOG_CONFIG, [[name, value]]);
  } catch (err) {
    if (err instanceof LogError) throw new ConfigError('invalid-value', err.message);
    throw err;
  }
}
