import { LogError } from './log-error.js';

/**
 * Kafka's Long.MAX_VALUE, the "never" default of flush.* and some time limits. A double cannot hold
 * 2^63 - 1, so the value is 2^63: it compares as "never" and "9223372036854775807" parses to it.
 */
export const LONG_MAX = 2 ** 63;

/**
 * Per-topic log configuration under Kafka's topic-level names (tiered-storage and deprecated
 * message-format settings left out). The broker-wide `log.*` settings supply the defaults and a
 * topic's overrides (CreateTopics, AlterConfigs) replace them; a Log reads its config on every
 * operation, so swapping the object applies a change at once.
 */
export interface LogConfig {
  'cleanup.policy': string;
  'compression.type': string;
  'compression.gzip.level': number;
  'compression.lz4.level': number;
  'compression.zstd.level': number;
  'delete.retention.ms': number;
  'file.delete.delay.ms': number;
  'flush.messages': number;
  'flush.ms': number;
  'follower.replication.throttled.replicas': string;
  'index.interval.bytes': number;
  'leader.replication.throttled.replicas': string;
  'max.compaction.lag.ms': number;
  'max.message.bytes': number;
  'message.timestamp.after.max.ms': number;
  'message.timestamp.before.max.ms': number;
  'message.timestamp.type': string;
  'min.cleanable.dirty.ratio': number;
  'min.compaction.lag.ms': number;
  'min.insync.replicas': number;
  preallocate: boolean;
  'retention.bytes': number;
  'retention.ms': number;
  'segment.bytes': number;
  'segment.index.bytes': number;
  'segment.jitter.ms': number;
  'segment.ms': number;
  'unclean.leader.election.enable': boolean;
}

export type LogConfigName = keyof LogConfig;

type Spec =
  | { type: 'int' | 'long' | 'double'; default: number; min?: number; max?: number }
  | { type: 'boolean'; default: boolean }
  | { type: 'string'; default: string; oneOf?: readonly string[] };

const INT_MAX = 0x7fffffff;
/** Kafka's LegacyRecord.RECORD_OVERHEAD_V0, the smallest segment.bytes it accepts. */
const MIN_SEGMENT_BYTES = 14;

/** Types, defaults and ranges as Kafka's LogConfig defines them. */
const SPECS: { [K in LogConfigName]: Spec & { default: LogConfig[K] } } = {
  'cleanup.policy': { type: 'string', default: 'delete', oneOf: ['delete', 'compact', 'delete,compact', 'compact,delete'] },
  'compression.type': {
    type: 'string',
    default: 'producer',
    oneOf: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'],
  },
  'compression.gzip.level': { type: 'int', default: -1, min: -1, max: 9 },
  'compression.lz4.level': { type: 'int', default: 9, min: 1, max: 17 },
  'compression.zstd.level': { type: 'int', default: 3, min: -131072, max: 22 },
  'delete.retention.ms': { type: 'long', default: 86_400_000, min: 0 },
  'file.delete.delay.ms': { type: 'long', default: 60_000, min: 0 },
  'flush.messages': { type: 'long', default: LONG_MAX, min: 1 },
  'flush.ms': { type: 'long', default: LONG_MAX, min: 0 },
  'follower.replication.throttled.replicas': { type: 'string', default: '' },
  'index.interval.bytes': { type: 'int', default: 4096, min: 0 },
  'leader.replication.throttled.replicas': { type: 'string', default: '' },
  'max.compaction.lag.ms': { type: 'long', default: LONG_MAX, min: 1 },
  'max.message.bytes': { type: 'int', default: 1_048_588, min: 0 },
  'message.timestamp.after.max.ms': { type: 'long', default: LONG_MAX, min: 0 },
  'message.timestamp.before.max.ms': { type: 'long', default: LONG_MAX, min: 0 },
  'message.timestamp.type': { type: 'string', default: 'CreateTime', oneOf: ['CreateTime', 'LogAppendTime'] },
  'min.cleanable.dirty.ratio': { type: 'double', default: 0.5, min: 0, max: 1 },
  'min.compaction.lag.ms': { type: 'long', default: 0, min: 0 },
  'min.insync.replicas': { type: 'int', default: 1, min: 1 },
  preallocate: { type: 'boolean', default: false },
  'retention.bytes': { type: 'long', default: -1 },
  'retention.ms': { type: 'long', default: 604_800_000, min: -1 },
  'segment.bytes': { type: 'int', default: 1_073_741_824, min: MIN_SEGMENT_BYTES },
  'segment.index.bytes': { type: 'int', default: 10_485_760, min: 4 },
  'segment.jitter.ms': { type: 'long', default: 0, min: 0 },
  'segment.ms': { type: 'long', default: 604_800_000, min: 1 },
  'unclean.leader.election.enable': { type: 'boolean', default: false },
};

export const LOG_CONFIG_NAMES = Object.keys(SPECS) as LogConfigName[];

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze(
  Object.fromEntries(LOG_CONFIG_NAMES.map((name) => [name, SPECS[name].default])) as unknown as LogConfig,
);

/** cleanup.policy `compact` or `compact,delete`: the log cleaner keeps each key's latest record. */
export function isCompacted(config: LogConfig): boolean {
  return config['cleanup.policy'].split(',').includes('compact');
}

export function isLogConfigName(name: string): name is LogConfigName {
  return Object.hasOwn(SPECS, name);
}

/**
 * `base` with string-valued overrides applied (CreateTopics configs, AlterConfigs, ZooKeeper's
 * /config/topics). Unknown names and bad values are an INVALID_CONFIG LogError worded as Kafka's.
 */
export function applyLogConfigOverrides(base: Readonly<LogConfig>, overrides: Iterable<readonly [string, string]>): LogConfig {
  const config = { ...base };
  const target = config as Record<LogConfigName, unknown>;
  for (const [name, text] of overrides) {
    if (!isLogConfigName(name)) throw new LogError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
    target[name] = parseValue(name, SPECS[name], text);
  }
  return config;
}

function parseValue(name: string, spec: Spec, raw: string): number | boolean | string {
  const text = raw.trim();
  const invalid = (why: string) => new LogError('INVALID_CONFIG', `Invalid value ${raw} for configuration ${name}: ${why}`);
  switch (spec.type) {
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalid('Expected value to be either true or false');
      return lower === 'true';
    }
    case 'string':
      if (spec.oneOf && !spec.oneOf.includes(text)) throw invalid(`String must be one of: ${spec.oneOf.join(', ')}`);
      return text;
    default: {
      const integral = spec.type !== 'double';
      const value = Number(text);
      const shape = integral ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
      const upper = spec.type === 'int' ? INT_MAX : spec.type === 'long' ? LONG_MAX : Infinity;
      if (!shape.test(text) || !Number.isFinite(value) || value > upper || value < -upper - 1) {
        throw invalid(`Not a number of type ${spec.type.toUpperCase()}`);
      }
      if (spec.min !== undefined && value < spec.min) throw invalid(`Value must be at least ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) throw invalid(`Value must be no more than ${spec.max}`);
      return value;
    }
  }
}
