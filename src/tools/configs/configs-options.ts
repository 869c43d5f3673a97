import { isIP } from 'node:net';
import { UsageError } from '../../util/errors.js';

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** The entity types kts configs handles: Kafka's ConfigType.ALL, then broker-loggers and client-metrics, as its message lists them. */
export const ENTITY_TYPES = ['topics', 'clients', 'users', 'brokers', 'ips', 'broker-loggers', 'client-metrics'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface ConfigsFlags {
  describe?: boolean;
  alter?: boolean;
  all?: boolean;
  entityType?: string[];
  /** In command-line order; the CLI puts a `''` where each --entity-default was (without one, the default goes last). */
  entityName?: string[];
  entityDefault?: boolean;
  topic?: string;
  broker?: string;
  /** `--broker-logger <id>`: shorthand for --entity-type broker-loggers --entity-name <id>. */
  brokerLogger?: string;
  bootstrapServer?: string;
  bootstrapController?: string;
  brokerDefaults?: boolean;
  user?: string;
  userDefaults?: boolean;
  ip?: string;
  ipDefaults?: boolean;
  client?: string;
  clientDefaults?: boolean;
  addConfig?: string;
  addConfigFile?: string;
  deleteConfig?: string[];
}

export interface ConfigsRequest {
  action: 'describe' | 'alter';
  /** One type, or users and clients together. */
  entityTypes: EntityType[];
  /** In the order given; `''` is the default entity (`--entity-default`, `--*-defaults`). */
  entityNames: string[];
  describeAll: boolean;
}

/** Shorthand entity flags and the type each stands for, in Kafka's order. */
const ENTITY_FLAGS = [
  ['topic', 'topics'],
  ['client', 'clients'],
  ['user', 'users'],
  ['broker', 'brokers'],
  ['brokerLogger', 'broker-loggers'],
  ['ip', 'ips'],
] as const;
const DEFAULTS_FLAGS = [
  ['clientDefaults', 'clients'],
  ['userDefaults', 'users'],
  ['brokerDefaults', 'brokers'],
  ['ipDefaults', 'ips'],
] as const;

/**
 * ConfigCommandOptions.checkArgs with Kafka's wording: one action, one entity type (or users with
 * clients), names where --alter needs them, broker ids that are integers, and something to change.
 * All are usage errors (exit 2).
 */
export function validateConfigsFlags(flags: ConfigsFlags): ConfigsRequest {
  if (flags.bootstrapController !== undefined) {
    if (flags.bootstrapServer !== undefined) throw new UsageError('You cannot specify both --bootstrap-controller and --bootstrap-server.');
    throw new UsageError(
      'Error: --bootstrap-controller reaches the controllers of a KRaft cluster; kts brokers run as a ZooKeeper-mode cluster, where configs go through --bootstrap-server',
    );
  }
  if ((flags.describe === true) === (flags.alter === true))
    throw new UsageError('Command must include exactly one action: --describe, --alter');
  const action = flags.describe ? 'describe' : 'alter';
  if (action === 'describe') {
    const invalid = flags.addConfig !== undefined ? 'add-config' : flags.deleteConfig !== undefined ? 'delete-config' : undefined;
    if (invalid) throw new UsageError(`Option "[describe]" can't be used with option "[${invalid}]"`);
  }

  const shorthand = ENTITY_FLAGS.filter(([flag]) => flags[flag] !== undefined);
  const defaults = DEFAULTS_FLAGS.filter(([flag]) => flags[flag] === true);
  const generic = flags.entityType !== undefined || flags.entityName !== undefined || flags.entityDefault === true;
  const types = [...(flags.entityType ?? []), ...shorthand.map(([, type]) => type), ...defaults.map(([, type]) => type)];
  const duplicates = types.filter((t, i) => types.indexOf(t) !== i);
  if (duplicates.length > 0) throw new UsageError(`Duplicate entity type(s) specified: ${[...new Set(duplicates)].join(',')}`);
  for (const type of types) {
    if (!(ENTITY_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(
        `Invalid entity type ${type}, the entity type must be one of ${ENTITY_TYPES.join(', ')} with a --bootstrap-server or --bootstrap-controller argument`,
      );
    }
  }
  if (types.length === 0) throw new UsageError('At least one entity type must be specified');
  if (types.length > 1 && !(types.length === 2 && types.includes('users') && types.includes('clients'))) {
    throw new UsageError("Only 'users' and 'clients' entity types may be specified together");
  }
  if (generic && (shorthand.length > 0 || defaults.length > 0)) {
    throw new UsageError('--entity-{type,name,default} should not be used in conjunction with specific entity flags');
  }
  const entityTypes = types as EntityType[];
  const entityNames = [
    ...(flags.entityName ?? []),
    ...(flags.entityDefault && !flags.entityName?.includes('') ? [''] : []),
    ...shorthand.map(([flag]) => flags[flag]!),
    ...defaults.map(() => ''),
  ];

  for (const type of ['brokers', 'broker-loggers'] as const) {
    if (!entityTypes.includes(type)) continue;
    const id = entityNames.find((name) => name !== '' && !/^[+-]?\d{1,10}$/.test(name));
    if (id !== undefined) throw new UsageError(`The entity name for ${type} must be a valid integer broker id, but it is: ${id}`);
  }
  if (entityTypes.includes('ips')) {
    const bad = entityNames.find((name) => name !== '' && isIP(name) === 0 && !HOST_NAME.test(name));
    if (bad !== undefined) throw new UsageError(`The entity name for ips must be a valid IP or resolvable host, but it is: ${bad}`);
  }
  if (action === 'describe' && entityTypes.includes('broker-loggers') && entityNames.length === 0) {
    throw new UsageError('an entity name must be specified with --describe of broker-loggers');
  }
  if (action === 'describe' && (entityTypes[0] === 'users' || entityTypes[0] === 'clients') && entityNames.length > entityTypes.length) {
    throw new UsageError('More entity names specified than entity types');
  }
  if (action === 'alter') {
    if (entityTypes[0] === 'topics' && !entityNames.some((n) => n !== '')) {
      throw new UsageError('an entity name must be specified with --alter of topics');
    }
    if (entityNames.length === 0)
      throw new UsageError('an entity-name or default entity must be specified with --alter of users, clients, brokers or ips');
    if (flags.addConfig !== undefined && flags.addConfigFile !== undefined)
      throw new UsageError('Only one of --add-config or --add-config-file must be specified');
    if (flags.addConfig === undefined && flags.addConfigFile === undefined && flags.deleteConfig === undefined) {
      throw new UsageError('At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
    }
    if (entityTypes.length !== entityNames.length) throw new UsageError('An entity name must be specified for every entity type');
  }
  return { action, entityTypes, entityNames, describeAll: flags.all === true };
}
