import { UsageError } from '../../util/errors.js';
import { readPropertiesFile } from '../../util/properties.js';
import { javaSplit } from '../common/java-split.js';

/** A comma or `=` outside square brackets: Kafka's `(?=[^\]]*(?:\[|$))` lookahead. */
const OUTSIDE_BRACKETS = String.raw`(?=[^\]]*(?:\[|$))`;
const ENTRY_SEPARATOR = new RegExp(`,${OUTSIDE_BRACKETS}`);
const KEY_VALUE_SEPARATOR = new RegExp(String.raw`\s*=\s*${OUTSIDE_BRACKETS}`);
const VALID_KEY = /^[a-zA-Z0-9._-]*$/;

/**
 * `--add-config 'k1=v1,k2=[v1,v2],k3='` as Kafka's ConfigCommand reads it: entries split on
 * commas outside brackets, each exactly one `key=value` (an empty value is allowed), brackets
 * dropped from values, keys and values trimmed. `--add-config-file` is a properties file.
 */
export function parseConfigsToAdd(addConfig: string | undefined, addConfigFile: string | undefined): Map<string, string> {
  const configs = new Map<string, string>(addConfigFile === undefined ? [] : readPropertiesFile(addConfigFile));
  if (addConfig !== undefined) {
    // Java's split: a trailing comma adds no empty entry.
    for (const entry of javaSplit(ENTRY_SEPARATOR, addConfig)) {
      const parts = entry.split(KEY_VALUE_SEPARATOR);
      if (parts.length !== 2) throw new UsageError('Invalid entity config: all configs to be added must be in the format "key=val".');
      configs.set(parts[0]!.trim(), parts[1]!.replace(/[[\]]/g, '').trim());
    }
  }
  for (const key of configs.keys()) {
    if (!VALID_KEY.test(key)) throw new UsageError(`Invalid character found for config key: ${key}`);
  }
  return configs;
}

/** `--delete-config k1,k2` (repeatable). */
export function parseConfigsToDelete(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((k) => k.trim());
}
