import { KtsError } from '../../util/errors.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { commandFailure } from './command-failure.js';
import type { ConfigCluster } from './config-cluster.js';

/** Java's ConfigEntry.ConfigSource names, by DescribeConfigs wire code (TOPIC_CONFIG reads DYNAMIC_TOPIC_CONFIG there). */
const SOURCE_NAMES: Readonly<Record<number, string>> = {
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
  7: 'DYNAMIC_CLIENT_METRICS_CONFIG',
  8: 'DYNAMIC_GROUP_CONFIG',
};

/** ConfigResource.Type wire codes of the entity types configs describes through DescribeConfigs. */
export const RESOURCE_TYPE = { topics: 2, brokers: 4, 'broker-loggers': 8, 'client-metrics': 16 } as const;
export type ResourceEntityType = keyof typeof RESOURCE_TYPE;

export interface ConfigSynonym {
  source: string;
  name: string;
  value: string | null;
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  sensitive: boolean;
  source: string;
  synonyms: ConfigSynonym[];
}

/** The source of what `--describe` (without --all) shows and `--alter` may delete: the entity's own dynamic settings. */
export function dynamicSource(type: ResourceEntityType, name: string): string {
  if (type === 'topics') return 'DYNAMIC_TOPIC_CONFIG';
  if (type === 'broker-loggers') return 'DYNAMIC_BROKER_LOGGER_CONFIG';
  if (type === 'client-metrics') return 'DYNAMIC_CLIENT_METRICS_CONFIG';
  return name === '' ? 'DYNAMIC_DEFAULT_BROKER_CONFIG' : 'DYNAMIC_BROKER_CONFIG';
}

/** Broker and broker-logger configs live on the broker they name; the rest on any broker. */
export function brokerOf(type: ResourceEntityType, name: string): number | undefined {
  return (type === 'brokers' || type === 'broker-loggers') && name !== '' ? Number(name) : undefined;
}

/**
 * A topic's or broker's configs sorted by name, as ConfigCommand.getResourceConfig gets them:
 * everything with `all`, else only the entity's dynamic settings.
 */
export async function resourceConfigs(
  cluster: ConfigCluster,
  type: ResourceEntityType,
  name: string,
  all: boolean,
): Promise<ConfigEntry[]> {
  const id = brokerOf(type, name);
  const conn = id === undefined ? cluster.bootstrap : await cluster.broker(id);
  const response = await conn.request(ApiKey.DescribeConfigs, {
    resources: [{ resourceType: RESOURCE_TYPE[type], resourceName: name, configurationKeys: null }],
    includeSynonyms: true,
    includeDocumentation: false,
  });
  const result = response.results[0];
  if (result === undefined) throw new KtsError(`Error while executing config command: no answer for ${name}`);
  if (result.errorCode !== ErrorCode.NONE) throw commandFailure(result.errorCode, result.errorMessage);
  const wanted = all ? null : dynamicSource(type, name);
  return result.configs
    .map((c) => ({
      name: c.name,
      value: c.value,
      sensitive: c.isSensitive,
      source: sourceName(c.configSource),
      synonyms: c.synonyms.map((s) => ({ source: sourceName(s.source), name: s.name, value: s.value })),
    }))
    .filter((c) => wanted === null || c.source === wanted)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function sourceName(code: number): string {
  return SOURCE_NAMES[code] ?? 'UNKNOWN';
}

/** `Dynamic configs for topic t are:` / `All configs for broker 0 are:` / `Default configs for brokers in the cluster are:`. */
export function describeHeader(type: ResourceEntityType, name: string, all: boolean): string {
  if (name === '') return `Default configs for ${type} in the cluster are:`;
  return `${all ? 'All' : 'Dynamic'} configs for ${type.slice(0, -1)} ${name} are:`;
}

/** `  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000, DEFAULT_CONFIG:log.retention.hours=168}`. */
export function entryLine(e: ConfigEntry): string {
  const synonyms = e.synonyms.map((s) => `${s.source}:${s.name}=${s.value}`).join(', ');
  return `  ${e.name}=${e.value} sensitive=${e.sensitive} synonyms={${synonyms}}`;
}
