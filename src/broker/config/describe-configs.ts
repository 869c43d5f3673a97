import { BROKER_CONFIG_DEFS, type BrokerConfigName, brokerSynonyms, isBrokerConfigName } from './broker-config-defs.js';
import type { BrokerConfig, BrokerConfigLayers } from './broker-config.js';
import { type ConfigType, formatConfigValue, isSensitiveType } from './config-def.js';
import type { DynamicScope } from './dynamic-broker-config.js';
import { TOPIC_CONFIG_NAMES, type TopicConfigName, topicConfigKey, topicConfigType, topicLogConfig, topicValue } from './topic-config.js';

/** DescribeConfigs' ConfigSource (v1+), by wire code. */
export const CONFIG_SOURCE_CODE = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
} as const;

export type ConfigSource = keyof typeof CONFIG_SOURCE_CODE;

export interface ConfigSynonym {
  name: string;
  value: string | null;
  source: ConfigSource;
}

/** One DescribeConfigs result entry; v0's IsDefault is `source === 'DEFAULT_CONFIG'`. */
export interface DescribedConfig {
  name: string;
  /** null for a sensitive or unset key. */
  value: string | null;
  readOnly: boolean;
  /** Where the value comes from: the first synonym's source, else DEFAULT_CONFIG. */
  source: ConfigSource;
  isSensitive: boolean;
  /** Every setting that could supply the value, the one in force first (empty unless asked for). */
  synonyms: ConfigSynonym[];
  /** UNKNOWN for a key the broker does not know. */
  type: ConfigType | 'UNKNOWN';
  documentation: string | null;
}

export interface DescribeOptions {
  /** Only these keys (DescribeConfigs' ConfigurationKeys); null: all. */
  names: readonly string[] | null;
  includeSynonyms: boolean;
  includeDocumentation: boolean;
}

/**
 * A broker resource as Kafka describes it: this broker (`dynamicBroker`) lists every key it knows
 * plus any unknown key someone set (sensitive, value hidden); the cluster default (`dynamicDefault`)
 * lists only what AlterConfigs set there.
 */
export function describeBrokerConfigs(config: BrokerConfig, scope: DynamicScope, options: DescribeOptions): DescribedConfig[] {
  const { layers } = config;
  const perBroker = scope === 'dynamicBroker';
  const names = perBroker
    ? new Set<string>([
        ...Object.keys(BROKER_CONFIG_DEFS),
        ...layers.static.keys(),
        ...layers.dynamicDefault.keys(),
        ...layers.dynamicBroker.keys(),
      ])
    : new Set(layers.dynamicDefault.keys());
  return selected([...names].sort(), options.names).map((name) => {
    if (!isBrokerConfigName(name)) {
      return entry(
        options,
        { name, value: null, readOnly: true, isSensitive: true, type: 'UNKNOWN', documentation: null },
        chain(layers, [name], perBroker, true),
      );
    }
    const def = BROKER_CONFIG_DEFS[name];
    const isSensitive = isSensitiveType(def.type);
    // As Kafka's ConfigHelper: a password's value is never answered, only that it is one.
    const value = isSensitive ? null : perBroker ? formatConfigValue(def.type, config.values[name]) : layers.dynamicDefault.get(name)!;
    return entry(
      options,
      { name, value, readOnly: !def.dynamic, isSensitive, type: def.type, documentation: def.doc },
      chain(layers, brokerSynonyms(name), perBroker, isSensitive),
    );
  });
}

/** A topic as Kafka describes it: every topic config with its effective value and its broker-side synonyms. */
export function describeTopicConfigs(
  config: BrokerConfig,
  overrides: ReadonlyMap<string, string>,
  options: DescribeOptions,
): DescribedConfig[] {
  const logConfig = topicLogConfig(config.values, overrides);
  return selected(TOPIC_CONFIG_NAMES, options.names).map((name: TopicConfigName) => {
    const type = topicConfigType(name);
    const key = topicConfigKey(name);
    const value = formatConfigValue(type, topicValue(config.values, overrides, logConfig, name));
    const synonyms: ConfigSynonym[] = overrides.has(name) ? [{ name, value, source: 'TOPIC_CONFIG' }] : [];
    if (key.broker !== null) synonyms.push(...chain(config.layers, brokerSynonyms(key.broker), true, false));
    return entry(options, { name, value, readOnly: false, isSensitive: false, type, documentation: key.doc }, synonyms);
  });
}

function selected<T extends string>(names: readonly T[], wanted: readonly string[] | null): T[] {
  return wanted === null ? [...names] : names.filter((name) => wanted.includes(name));
}

function entry(options: DescribeOptions, fields: Omit<DescribedConfig, 'source' | 'synonyms'>, synonyms: ConfigSynonym[]): DescribedConfig {
  return {
    ...fields,
    source: synonyms[0]?.source ?? 'DEFAULT_CONFIG',
    synonyms: options.includeSynonyms ? synonyms : [],
    documentation: options.includeDocumentation ? fields.documentation : null,
  };
}

/**
 * Kafka's order: source by source (dynamic broker, dynamic default, static, default), and within a
 * source the synonyms most specific first.
 */
function chain(layers: BrokerConfigLayers, names: readonly string[], perBroker: boolean, sensitive: boolean): ConfigSynonym[] {
  const sources: (readonly [ReadonlyMap<string, string>, ConfigSource])[] = [
    [layers.dynamicDefault, 'DYNAMIC_DEFAULT_BROKER_CONFIG'],
    [layers.static, 'STATIC_BROKER_CONFIG'],
  ];
  if (perBroker) sources.unshift([layers.dynamicBroker, 'DYNAMIC_BROKER_CONFIG']);
  const out: ConfigSynonym[] = [];
  for (const [layer, source] of sources) {
    for (const name of names) {
      const raw = layer.get(name);
      if (raw !== undefined) out.push({ name, value: sensitive ? null : raw, source });
    }
  }
  for (const name of names.filter(isBrokerConfigName)) {
    const value = defaultText(name);
    if (value !== null) out.push({ name, value: sensitive ? null : value, source: 'DEFAULT_CONFIG' });
  }
  // Kafka (ConfigHelper.configSynonyms) drops every synonym before the first named like the config
  // itself: a topic's retention.ms under log.retention.hours alone is a default.
  const own = out.findIndex((s) => s.name === names[0]);
  return own < 0 ? [] : out.slice(own);
}

function defaultText(name: BrokerConfigName): string | null {
  const def = BROKER_CONFIG_DEFS[name];
  return formatConfigValue(def.type, def.default);
}
