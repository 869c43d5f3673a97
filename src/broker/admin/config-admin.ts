import { ApiError } from '../api-error.js';
import { type BrokerConfig, type DynamicBrokerConfigs, withDynamicConfigs } from '../config/broker-config.js';
import { ConfigError, configApiError, type ConfigResourceType } from '../config/config-error.js';
import { brokerConfigShape, topicConfigShape } from '../config/config-shapes.js';
import { type DescribedConfig, type DescribeOptions, describeBrokerConfigs, describeTopicConfigs } from '../config/describe-configs.js';
import { alterDynamicBrokerConfigs, type DynamicScope } from '../config/dynamic-broker-config.js';
import { type AlterConfigChange, applyIncrementalOps } from '../config/incremental-alter.js';
import { validateTopicConfigs } from '../config/topic-config.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { BrokerConfigRecords, MetadataStore } from '../metadata/metadata-store.js';
import { validateTopicName } from '../metadata/topic-name.js';
import { SerialQueue } from './serial-queue.js';
import type { TopicAdmin } from './topic-admin.js';

export interface ConfigResource {
  type: ConfigResourceType;
  /** A topic; for brokers an id, or `''` for the cluster default. */
  name: string;
}

export interface ConfigAdminOptions {
  brokerId: number;
  store: MetadataStore;
  cache: MetadataCache;
  topicAdmin: TopicAdmin;
  config: () => BrokerConfig;
  /** Puts a configuration with changed dynamic settings into effect (the broker's config and every log's). */
  applyBrokerConfig: (config: BrokerConfig) => void;
}

/** Where the store keeps a scope's dynamic configs: Kafka's `/config/brokers/<id>` and `/config/brokers/<default>`. */
function storeEntity(scope: DynamicScope, brokerId: number): string {
  return scope === 'dynamicDefault' ? '' : String(brokerId);
}

/** This broker's dynamic configs as the store keeps them. */
export function storedDynamicConfigs(records: BrokerConfigRecords, brokerId: number): DynamicBrokerConfigs {
  const layer = (scope: DynamicScope) => new Map(Object.entries(records[storeEntity(scope, brokerId)] ?? {}));
  return { dynamicBroker: layer('dynamicBroker'), dynamicDefault: layer('dynamicDefault') };
}

/**
 * DescribeConfigs, AlterConfigs and IncrementalAlterConfigs on topics and brokers (Kafka's
 * ConfigHelper, ConfigAdminManager and the config half of ZkAdminManager). Topic overrides are
 * changed through TopicAdmin, so they cannot race topic creation or deletion; dynamic broker
 * configs are persisted, then put into effect at once. Refusals are ApiErrors with Kafka 3.9's
 * codes and messages.
 */
export class ConfigAdmin {
  readonly #brokerChanges = new SerialQueue();

  constructor(private readonly options: ConfigAdminOptions) {}

  describe(resource: ConfigResource, options: DescribeOptions): DescribedConfig[] {
    const { name } = resource;
    const config = this.options.config();
    if (resource.type === 'TOPIC') {
      validateTopicName(name);
      const topic = this.options.cache.topic(name);
      if (!topic) throw new ApiError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.');
      return describeTopicConfigs(config, new Map(Object.entries(topic.configs)), options);
    }
    if (name === '') return describeBrokerConfigs(config, 'dynamicDefault', options);
    if (this.#brokerIdOf(name, 'Broker id must be an integer') !== this.options.brokerId) {
      throw new ApiError(
        'INVALID_REQUEST',
        `Unexpected broker id, expected ${this.options.brokerId} or empty string, but received ${name}`,
      );
    }
    return describeBrokerConfigs(config, 'dynamicBroker', options);
  }

  /** AlterConfigs: `entries` become everything the resource has set. */
  alter(resource: ConfigResource, entries: readonly { name: string; value: string | null }[], validateOnly: boolean): Promise<void> {
    checkChanges(entries.map((e) => ({ ...e, op: 'SET' })));
    const replacement = new Map(entries.map((e) => [e.name, e.value!]));
    return this.#change(resource, () => replacement, validateOnly);
  }

  /** IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on what the resource has set. */
  alterIncrementally(resource: ConfigResource, changes: readonly AlterConfigChange[], validateOnly: boolean): Promise<void> {
    checkChanges(changes);
    const shapeOf = resource.type === 'TOPIC' ? topicConfigShape : brokerConfigShape;
    return this.#change(resource, (current) => applyIncrementalOps(current, changes, shapeOf), validateOnly);
  }

  async #change(
    resource: ConfigResource,
    next: (current: ReadonlyMap<string, string>) => ReadonlyMap<string, string>,
    validateOnly: boolean,
  ): Promise<void> {
    try {
      if (resource.type === 'TOPIC') {
        if (resource.name === '') throw new ApiError('INVALID_REQUEST', 'Default topic resources are not allowed.');
        await this.options.topicAdmin.changeTopicConfig(resource.name, (current) => validateTopicConfigs(next(current)), validateOnly);
      } else {
        await this.#changeBroker(resource.name, next, validateOnly);
      }
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const { code, message } = configApiError(err, 'AlterConfigs', resource);
      throw new ApiError(code, message);
    }
  }

  #changeBroker(
    name: string,
    next: (current: ReadonlyMap<string, string>) => ReadonlyMap<string, string>,
    validateOnly: boolean,
  ): Promise<void> {
    const { brokerId } = this.options;
    if (name !== '' && this.#brokerIdOf(name, 'Node id must be an integer') !== brokerId) {
      throw new ApiError('INVALID_REQUEST', `Unexpected broker id, expected ${brokerId}, but received ${name}`);
    }
    const scope: DynamicScope = name === '' ? 'dynamicDefault' : 'dynamicBroker';
    return this.#brokerChanges.run(async () => {
      const config = this.options.config();
      const entries = next(config.layers[scope]);
      const current = { dynamicBroker: config.layers.dynamicBroker, dynamicDefault: config.layers.dynamicDefault };
      const dynamic = alterDynamicBrokerConfigs(current, scope, entries);
      if (validateOnly) return;
      await this.options.store.putBrokerConfigs(storeEntity(scope, brokerId), Object.fromEntries(entries));
      this.options.applyBrokerConfig(withDynamicConfigs(config, dynamic));
    });
  }

  /** Java's Integer.parseInt, as Kafka reads a broker resource name. */
  #brokerIdOf(name: string, what: string): number {
    const id = /^[+-]?\d{1,10}$/.test(name) ? Number(name) : NaN;
    if (!(id >= -(2 ** 31) && id < 2 ** 31)) throw new ApiError('INVALID_REQUEST', `${what}, but it is: ${name}`);
    return id;
  }
}

/** What Kafka refuses before looking at a resource: a key given twice, a value missing where one is needed. */
function checkChanges(changes: readonly AlterConfigChange[]): void {
  const names = changes.map((c) => c.name);
  if (new Set(names).size !== names.length) throw new ApiError('INVALID_REQUEST', 'Error due to duplicate config keys');
  const nulls = changes.filter((c) => c.op !== 'DELETE' && c.value === null).map((c) => c.name);
  if (nulls.length > 0) throw new ApiError('INVALID_REQUEST', `Null value not supported for : ${nulls.join(', ')}`);
}
