import { resolve } from 'node:path';
import { BROKER_CONFIG_DEFS, type BrokerConfigName, type BrokerConfigValues, isBrokerConfigName } from './broker-config-defs.js';
import { type ConfigDef, parseConfigValue } from './config-def.js';
import { ConfigError, invalidValue } from './config-error.js';
import { chooseAdvertised, type Endpoint, parseListeners, parseSecurityProtocolMap } from './listeners.js';

/** The raw settings of each source, in Kafka's precedence order: dynamic broker > dynamic default > static. */
export interface BrokerConfigLayers {
  /** AlterConfigs on this broker's resource (`0`). */
  readonly dynamicBroker: ReadonlyMap<string, string>;
  /** AlterConfigs on the cluster-default resource (`''`). */
  readonly dynamicDefault: ReadonlyMap<string, string>;
  /** server.properties with `--override`s applied; unknown keys are kept, DescribeConfigs lists them. */
  readonly static: ReadonlyMap<string, string>;
}

export interface BrokerConfig {
  readonly layers: BrokerConfigLayers;
  /** Effective value of every key. */
  readonly values: BrokerConfigValues;
  /** Where to bind. */
  readonly listeners: readonly Endpoint[];
  /** What to publish, before `resolveAdvertisedEndpoints` fills in wildcard hosts and port 0. */
  readonly advertisedListeners: readonly Endpoint[];
  /** Absolute log directories. */
  readonly logDirs: readonly string[];
}

export interface LoadedBrokerConfig {
  config: BrokerConfig;
  /** Keys the broker does not know, in file order, for one warning line (Kafka logs each as "supplied but isn't a known config"). */
  unknownKeys: string[];
}

const NO_LAYER: ReadonlyMap<string, string> = new Map();

/**
 * The static configuration from server.properties and `--override key=value` pairs (overrides
 * win). A bad value, listener or missing log directory throws a one-line ConfigError.
 */
export function loadBrokerConfig(
  properties: ReadonlyMap<string, string>,
  overrides: ReadonlyMap<string, string> = NO_LAYER,
  cwd: string = process.cwd(),
): LoadedBrokerConfig {
  const layers = { ...NO_DYNAMIC_CONFIGS, static: new Map([...properties, ...overrides]) };
  const values = effectiveValues(layers);
  const protocols = parseSecurityProtocolMap(values['listener.security.protocol.map']);
  const listeners = parseListeners('listeners', values.listeners, protocols);
  if (listeners.length === 0) throw invalidValue('listeners', values.listeners, 'At least one listener is required');
  const advertisedText = values['advertised.listeners']?.trim() || null;
  const advertised = advertisedText === null ? null : parseListeners('advertised.listeners', advertisedText, protocols);
  const config: BrokerConfig = {
    layers,
    values,
    listeners,
    advertisedListeners: chooseAdvertised(listeners, advertised),
    logDirs: parseLogDirs(values, cwd),
  };
  return { config, unknownKeys: [...layers.static.keys()].filter((key) => !isBrokerConfigName(key) && !isListenerPrefixedKey(key)) };
}

/**
 * A per-listener setting (`listener.name.<listener>.<key>`, and a SASL mechanism's
 * `listener.name.<listener>.<mechanism>.sasl.jaas.config` or `.connections.max.reauth.ms`), read
 * where the listener is set up.
 */
function isListenerPrefixedKey(key: string): boolean {
  const match = /^listener\.name\.[^.]+\.(.+)$/.exec(key);
  return (
    match !== null && (isBrokerConfigName(match[1]!) || /^[a-z0-9-]+\.(sasl\.jaas\.config|connections\.max\.reauth\.ms)$/.test(match[1]!))
  );
}

/** What AlterConfigs on broker resources has set; persisting it is the broker's job. */
export type DynamicBrokerConfigs = Pick<BrokerConfigLayers, 'dynamicBroker' | 'dynamicDefault'>;

export const NO_DYNAMIC_CONFIGS: DynamicBrokerConfigs = { dynamicBroker: NO_LAYER, dynamicDefault: NO_LAYER };

/**
 * `config` under new dynamic settings (listeners and log directories are read-only, so they stay).
 * Settings from `alterDynamicBrokerConfigs` are valid; a bad value in hand-edited persisted state
 * throws a ConfigError.
 */
export function withDynamicConfigs(config: BrokerConfig, dynamic: DynamicBrokerConfigs): BrokerConfig {
  const layers = { ...dynamic, static: config.layers.static };
  return { ...config, layers, values: effectiveValues(layers) };
}

/**
 * Where a key's value comes from; `undefined` when it is unset everywhere (its default applies).
 * Dynamic layers count only for dynamic keys, so a read-only key smuggled into persisted dynamic
 * state is ignored, as Kafka ignores it.
 */
function layerOf(layers: BrokerConfigLayers, name: string, dynamic: boolean): keyof BrokerConfigLayers | undefined {
  if (dynamic && layers.dynamicBroker.has(name)) return 'dynamicBroker';
  if (dynamic && layers.dynamicDefault.has(name)) return 'dynamicDefault';
  if (layers.static.has(name)) return 'static';
  return undefined;
}

function effectiveValues(layers: BrokerConfigLayers): BrokerConfigValues {
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(BROKER_CONFIG_DEFS) as BrokerConfigName[]) {
    const def: ConfigDef = BROKER_CONFIG_DEFS[name];
    const layer = layerOf(layers, name, def.dynamic);
    values[name] = layer === undefined ? def.default : parseConfigValue(name, def, layers[layer].get(name)!);
  }
  return values as BrokerConfigValues;
}

function parseLogDirs(values: BrokerConfigValues, cwd: string): string[] {
  const dirs = (values['log.dirs'] ?? values['log.dir'])
    .split(',')
    .map((dir) => dir.trim())
    .filter((dir) => dir !== '');
  if (dirs.length === 0) throw new ConfigError('invalid-value', 'At least one log directory must be defined via log.dirs or log.dir.');
  return dirs.map((dir) => resolve(cwd, dir));
}

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;

/** log.retention.ms, else .minutes, else .hours; any negative means "forever" (-1), as in Kafka. */
export function logRetentionMs(values: BrokerConfigValues): number {
  const ms =
    values['log.retention.ms'] ??
    (values['log.retention.minutes'] !== null
      ? values['log.retention.minutes'] * MS_PER_MINUTE
      : values['log.retention.hours'] * MS_PER_HOUR);
  return ms < 0 ? -1 : ms;
}

export function logRollMs(values: BrokerConfigValues): number {
  return values['log.roll.ms'] ?? values['log.roll.hours'] * MS_PER_HOUR;
}

export function logRollJitterMs(values: BrokerConfigValues): number {
  return values['log.roll.jitter.ms'] ?? values['log.roll.jitter.hours'] * MS_PER_HOUR;
}

export function logFlushIntervalMs(values: BrokerConfigValues): number {
  return values['log.flush.interval.ms'] ?? values['log.flush.scheduler.interval.ms'];
}

export function zookeeperConnectionTimeoutMs(values: BrokerConfigValues): number {
  return values['zookeeper.connection.timeout.ms'] ?? values['zookeeper.session.timeout.ms'];
}

/**
 * The listener brokers reach each other on, as Kafka's KafkaConfig.interBrokerListenerName:
 * `inter.broker.listener.name`, else the listener named after `security.inter.broker.protocol`;
 * it must be one of the advertised listeners.
 */
export function interBrokerListenerName(config: BrokerConfig): string {
  const { values, layers } = config;
  const named = values['inter.broker.listener.name'];
  if (named !== null && layers.static.has('security.inter.broker.protocol')) {
    throw new ConfigError('invalid-value', 'Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.');
  }
  const name = named?.toUpperCase() ?? values['security.inter.broker.protocol'];
  const advertised = config.advertisedListeners.map((e) => e.listenerName);
  if (!advertised.includes(name)) {
    throw new ConfigError(
      'invalid-value',
      `inter.broker.listener.name must be a listener name defined in advertised.listeners. The valid options based on currently configured listeners are ${advertised.join(',')}`,
    );
  }
  return name;
}
