/**
 * ACL vocabulary of CreateAcls / DescribeAcls / DeleteAcls (KIP-140, KIP-290), shared by the
 * broker's authorizer and `kts acls`: Kafka's enums with their wire codes, the bindings and
 * filters built from them, how a filter matches, and Java's toString of each, which Kafka's tools print.
 */

/** org.apache.kafka.common.resource.ResourceType, by wire code. */
export const RESOURCE_TYPE_CODES = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;

/** org.apache.kafka.common.resource.PatternType. */
export const PATTERN_TYPE_CODES = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;

/** org.apache.kafka.common.acl.AclOperation. */
export const OPERATION_CODES = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const;

/** org.apache.kafka.common.acl.AclPermissionType. */
export const PERMISSION_TYPE_CODES = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;

export type ResourceTypeFilterName = keyof typeof RESOURCE_TYPE_CODES;
export type PatternTypeFilterName = keyof typeof PATTERN_TYPE_CODES;
export type OperationFilterName = keyof typeof OPERATION_CODES;
export type PermissionTypeFilterName = keyof typeof PERMISSION_TYPE_CODES;

/** What an ACL can name: no UNKNOWN, no ANY (nor MATCH for patterns). */
export type ResourceType = Exclude<ResourceTypeFilterName, 'UNKNOWN' | 'ANY'>;
export type PatternType = 'LITERAL' | 'PREFIXED';
export type AclOperation = Exclude<OperationFilterName, 'UNKNOWN' | 'ANY'>;
export type PermissionType = 'ALLOW' | 'DENY';

/** Kafka's Resource.CLUSTER_NAME: the one name a CLUSTER resource may have. */
export const CLUSTER_NAME = 'kafka-cluster';
/** ResourcePattern.WILDCARD_RESOURCE and AclEntry.WILDCARD_HOST / WILDCARD_PRINCIPAL. */
export const WILDCARD = '*';
export const WILDCARD_PRINCIPAL = 'User:*';

export interface ResourcePattern {
  readonly resourceType: ResourceType;
  readonly name: string;
  readonly patternType: PatternType;
}

export interface AccessControlEntry {
  /** `Type:name`, e.g. `User:alice` or `User:*`. */
  readonly principal: string;
  /** An IP address, or `*`. */
  readonly host: string;
  readonly operation: AclOperation;
  readonly permissionType: PermissionType;
}

export interface AclBinding {
  readonly pattern: ResourcePattern;
  readonly entry: AccessControlEntry;
}

export interface ResourcePatternFilter {
  readonly resourceType: ResourceTypeFilterName;
  /** null: any name. */
  readonly name: string | null;
  readonly patternType: PatternTypeFilterName;
}

export interface AccessControlEntryFilter {
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: OperationFilterName;
  readonly permissionType: PermissionTypeFilterName;
}

export interface AclBindingFilter {
  readonly pattern: ResourcePatternFilter;
  readonly entry: AccessControlEntryFilter;
}

export const ANY_ENTRY: AccessControlEntryFilter = { principal: null, host: null, operation: 'ANY', permissionType: 'ANY' };

/** AclEntry.supportedOperations, in Kafka's declaration order. */
export const SUPPORTED_OPERATIONS: Readonly<Record<ResourceType, readonly AclOperation[]>> = {
  TOPIC: ['READ', 'WRITE', 'CREATE', 'DESCRIBE', 'DELETE', 'ALTER', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS'],
  GROUP: ['READ', 'DESCRIBE', 'DELETE'],
  CLUSTER: ['CREATE', 'CLUSTER_ACTION', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE', 'ALTER', 'DESCRIBE'],
  TRANSACTIONAL_ID: ['DESCRIBE', 'WRITE'],
  DELEGATION_TOKEN: ['DESCRIBE'],
  USER: ['CREATE_TOKENS', 'DESCRIBE_TOKENS'],
};

/** The name of a code, or undefined for a code Kafka does not define. */
export function nameOfCode<T extends string>(codes: Readonly<Record<T, number>>, code: number): T | undefined {
  return (Object.keys(codes) as T[]).find((name) => codes[name] === code);
}

/** SecurityUtils.toPascalCase: `TRANSACTIONAL_ID` → `TransactionalId`, as ZooKeeper paths and JSON spell them. */
export function pascalCase(name: string): string {
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/**
 * SecurityUtils' lookup of an enum by name: PascalCase (`DescribeConfigs`) or upper case
 * (`DESCRIBE_CONFIGS`), exactly, else case-insensitively upper-cased; undefined for UNKNOWN.
 */
export function nameFromText<T extends string>(codes: Readonly<Record<T, number>>, text: string): Exclude<T, 'UNKNOWN'> | undefined {
  const names = Object.keys(codes) as T[];
  const found = names.find((name) => name === text || pascalCase(name) === text) ?? names.find((name) => name === text.toUpperCase());
  return found === 'UNKNOWN' ? undefined : (found as Exclude<T, 'UNKNOWN'> | undefined);
}

/** ResourcePatternFilter.matches. */
export function patternFilterMatches(filter: ResourcePatternFilter, pattern: ResourcePattern): boolean {
  if (filter.resourceType !== 'ANY' && filter.resourceType !== pattern.resourceType) return false;
  if (filter.patternType !== 'ANY' && filter.patternType !== 'MATCH' && filter.patternType !== pattern.patternType) return false;
  if (filter.name === null) return true;
  if (filter.patternType === 'ANY' || filter.patternType === pattern.patternType) return filter.name === pattern.name;
  // MATCH: the patterns that apply to a resource of this name.
  if (pattern.patternType === 'LITERAL') return filter.name === pattern.name || pattern.name === WILDCARD;
  return filter.name.startsWith(pattern.name);
}

/** AccessControlEntryFilter.matches. */
export function entryFilterMatches(filter: AccessControlEntryFilter, entry: AccessControlEntry): boolean {
  if (filter.principal !== null && filter.principal !== entry.principal) return false;
  if (filter.host !== null && filter.host !== entry.host) return false;
  if (filter.operation !== 'ANY' && filter.operation !== entry.operation) return false;
  return filter.permissionType === 'ANY' || filter.permissionType === entry.permissionType;
}

export function bindingFilterMatches(filter: AclBindingFilter, binding: AclBinding): boolean {
  return patternFilterMatches(filter.pattern, binding.pattern) && entryFilterMatches(filter.entry, binding.entry);
}

/** A binding's elements as their wire codes, as CreateAcls creations and DeleteAcls matches carry them. */
export function bindingCodes({ pattern, entry }: AclBinding) {
  return {
    resourceType: RESOURCE_TYPE_CODES[pattern.resourceType],
    resourceName: pattern.name,
    patternType: PATTERN_TYPE_CODES[pattern.patternType],
    principal: entry.principal,
    host: entry.host,
    operation: OPERATION_CODES[entry.operation],
    permissionType: PERMISSION_TYPE_CODES[entry.permissionType],
  };
}

/** Java's ResourcePattern.toString (and ResourcePatternFilter's, whose null name prints `<any>`). */
export function patternText(pattern: ResourcePattern | ResourcePatternFilter): string {
  return `ResourcePattern(resourceType=${pattern.resourceType}, name=${pattern.name ?? '<any>'}, patternType=${pattern.patternType})`;
}

/** Java's AccessControlEntry.toString. */
export function entryText(entry: AccessControlEntry | AccessControlEntryFilter): string {
  return `(principal=${entry.principal ?? '<any>'}, host=${entry.host ?? '<any>'}, operation=${entry.operation}, permissionType=${entry.permissionType})`;
}

/** A pattern as one string, for maps keyed by pattern. */
export function patternKey(pattern: ResourcePattern): string {
  return `${pattern.resourceType}:${pattern.patternType}:${pattern.name}`;
}

/**
 * SecurityUtils.parseKafkaPrincipal: `Type:name`, split at the first colon; undefined for text
 * that is not of that form.
 */
export function parsePrincipal(text: string): { type: string; name: string } | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { type: text.slice(0, colon), name: text.slice(colon + 1) };
}
