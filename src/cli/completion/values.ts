import { DESERIALIZER_CLASSES } from '../../tools/console-consumer/deserializers.js';
import { FORMATTER_CLASSES } from '../../tools/console-consumer/formatter-class.js';
import { GROUP_STATES, GROUP_TYPES } from '../../tools/consumer-groups/group-states.js';
import { ENTITY_TYPES } from '../../tools/configs/configs-options.js';

/** Names `kts __complete` fetches when a shell completes an option's value. */
export const DYNAMIC_KINDS = ['topics', 'groups', 'profiles'] as const;
export type DynamicKind = (typeof DYNAMIC_KINDS)[number];

/** What a shell offers for an option's value: fixed words, or names fetched as it completes. */
export type OptionValues = { words: readonly string[] } | { dynamic: DynamicKind };

/**
 * Values of options that take one from a known set, by option name (the same in every command
 * that has the option). Options with commander choices (`--output`, …) bring their own.
 */
const BY_OPTION: Readonly<Record<string, OptionValues>> = {
  '--topic': { dynamic: 'topics' },
  '--group': { dynamic: 'groups' },
  '--profile': { dynamic: 'profiles' },
  '--time': { words: ['latest', 'earliest', 'max-timestamp', 'earliest-local', 'latest-tiered', '-1', '-2', '-3', '-4', '-5'] },
  '--compression-codec': { words: ['none', 'gzip', 'snappy', 'lz4', 'zstd'] },
  '--isolation-level': { words: ['read_committed', 'read_uncommitted'] },
  '--entity-type': { words: ENTITY_TYPES },
  '--request-required-acks': { words: ['all', '-1', '0', '1'] },
  '--offset': { words: ['earliest', 'latest'] },
  '--state': { words: GROUP_STATES },
  '--type': { words: GROUP_TYPES.map((t) => t.toLowerCase()) },
  '--formatter': { words: FORMATTER_CLASSES },
  '--key-deserializer': { words: DESERIALIZER_CLASSES },
  '--value-deserializer': { words: DESERIALIZER_CLASSES },
};

export function optionValues(flag: string, choices: readonly string[] | undefined): OptionValues | undefined {
  return choices !== undefined ? { words: choices } : BY_OPTION[flag];
}
