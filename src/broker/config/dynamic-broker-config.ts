import { BROKER_CONFIG_DEFS, isBrokerConfigName } from './broker-config-defs.js';
import type { DynamicBrokerConfigs } from './broker-config.js';
import { type ConfigDef, parseConfigValue } from './config-def.js';
import { ConfigError } from './config-error.js';

/** Which broker resource AlterConfigs named: this broker's id, or '' for the cluster default. */
export type DynamicScope = keyof DynamicBrokerConfigs;

export function dynamicScopeOf(resourceName: string): DynamicScope {
  return resourceName === '' ? 'dynamicDefault' : 'dynamicBroker';
}

/**
 * The dynamic configuration after `entries` replace everything set at `scope` (AlterConfigs
 * semantics; for IncrementalAlterConfigs pass the result of `applyIncrementalOps`). Read-only keys
 * and bad values are refused in Kafka's words; keys the broker does not know are kept, as Kafka
 * keeps them (DescribeConfigs then shows them as sensitive).
 */
export function alterDynamicBrokerConfigs(
  state: DynamicBrokerConfigs,
  scope: DynamicScope,
  entries: ReadonlyMap<string, string>,
): DynamicBrokerConfigs {
  const known = [...entries.keys()].filter(isBrokerConfigName);
  const readOnly = known.filter((name) => !BROKER_CONFIG_DEFS[name].dynamic);
  if (readOnly.length > 0) {
    // Scala's Set.toString, as Kafka's message prints it.
    throw new ConfigError('not-dynamic', `Cannot update these configs dynamically: Set(${readOnly.join(', ')})`);
  }
  for (const name of known) {
    const def: ConfigDef = BROKER_CONFIG_DEFS[name];
    parseConfigValue(name, def, entries.get(name)!);
  }
  return { ...state, [scope]: new Map(entries) };
}
