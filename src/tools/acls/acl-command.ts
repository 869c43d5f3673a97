import type { ConnectOptions } from '../../client/connect-options.js';
import { withVersionedCluster } from '../../client/versioned-cluster.js';
import type { VersionedConnection } from '../../client/versioned-connection.js';
import {
  type AclBinding,
  type AclBindingFilter,
  type AclOperation,
  ANY_ENTRY,
  bindingCodes,
  CLUSTER_NAME,
  entryText,
  nameFromText,
  nameOfCode,
  OPERATION_CODES,
  PATTERN_TYPE_CODES,
  type PatternTypeFilterName,
  PERMISSION_TYPE_CODES,
  patternText,
  type ResourcePatternFilter,
  RESOURCE_TYPE_CODES,
  type ResourceType,
  SUPPORTED_OPERATIONS,
  parsePrincipal,
} from '../../protocol/acl.js';
import { ErrorCode, errorName } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { KtsError, UsageError } from '../../util/errors.js';

/** kafka-acls.sh's options, as parsed. */
export interface AclOptions {
  action: 'add' | 'remove' | 'list';
  topics: readonly string[];
  groups: readonly string[];
  transactionalIds: readonly string[];
  cluster: boolean;
  patternType: string;
  allowPrincipals: readonly string[];
  denyPrincipals: readonly string[];
  allowHosts: readonly string[];
  denyHosts: readonly string[];
  operations: readonly string[];
  /** --list: only these principals' ACLs, each under its own heading. */
  principals: readonly string[];
  /** --producer: WRITE, DESCRIBE and CREATE on the topics, WRITE and DESCRIBE on the transactional ids. */
  producer: boolean;
  /** --idempotent (with --producer): IDEMPOTENT_WRITE on the cluster. */
  idempotent: boolean;
  /** --consumer: READ and DESCRIBE on the topics, READ on the groups. */
  consumer: boolean;
}

/** Which options were given, under kafka-acls.sh's names, for its option-combination checks. */
function givenOptions(options: AclOptions): Set<string> {
  const given: [string, boolean][] = [
    ['list', options.action === 'list'],
    ['producer', options.producer],
    ['consumer', options.consumer],
    ['operation', options.operations.length > 0],
    ['allow-principal', options.allowPrincipals.length > 0],
    ['allow-host', options.allowHosts.length > 0],
    ['deny-principal', options.denyPrincipals.length > 0],
    ['deny-host', options.denyHosts.length > 0],
  ];
  return new Set(given.filter(([, has]) => has).map(([name]) => name));
}

/** AclCommandOptions.checkArgs: option combinations kafka-acls.sh refuses, with its messages. */
function checkOptionCombinations(options: AclOptions): void {
  const given = givenOptions(options);
  const invalidWith = (used: string, ...invalid: string[]) => {
    if (!given.has(used)) return;
    const clash = invalid.find((name) => given.has(name));
    if (clash !== undefined) throw new UsageError(`Option "[${used}]" can't be used with option "[${clash}]"`);
  };
  invalidWith('list', 'producer', 'consumer', 'allow-host', 'allow-principal', 'deny-host', 'deny-principal');
  // --producer and --consumer infer the operations, and only allow.
  invalidWith('producer', 'operation', 'deny-principal', 'deny-host');
  invalidWith('consumer', 'operation', 'deny-principal', 'deny-host');
  if (options.principals.length > 0 && options.action !== 'list') {
    throw new UsageError('The --principal option is only available if --list is set');
  }
  if (options.producer && options.topics.length === 0) throw new UsageError('With --producer you must specify a --topic');
  if (options.idempotent && !options.producer) throw new UsageError('The --idempotent option is only available if --producer is set');
  const noConsumerResources = options.topics.length === 0 || options.groups.length === 0;
  if (options.consumer && (noConsumerResources || (!options.producer && (options.cluster || options.transactionalIds.length > 0)))) {
    throw new UsageError(
      'With --consumer you must specify a --topic and a --group and no --cluster or --transactional-id option should be specified.',
    );
  }
}

const fail = (message: string): never => {
  throw new KtsError(`Error while executing ACL command: ${message}`);
};

/** The resource filters the options name, with --resource-pattern-type (default literal). */
function resourceFilters(options: AclOptions): ResourcePatternFilter[] {
  const patternType = nameFromText(PATTERN_TYPE_CODES, options.patternType);
  if (patternType === undefined)
    throw new UsageError(`Error: --resource-pattern-type ${options.patternType} is not one of literal, prefixed, any, match`);
  const named = (resourceType: ResourceType, names: readonly string[]) => names.map((name) => ({ resourceType, name, patternType }));
  return [
    ...named('TOPIC', options.topics),
    ...named('GROUP', options.groups),
    ...named('TRANSACTIONAL_ID', options.transactionalIds),
    // Kafka's ClusterResourceFilter is literal: with another pattern type --cluster names nothing.
    ...((options.cluster || options.idempotent) && patternType === 'LITERAL' ? named('CLUSTER', [CLUSTER_NAME]) : []),
  ];
}

function checkedPrincipal(text: string): string {
  if (parsePrincipal(text) === undefined) throw new UsageError(`Error: principal ${text} is not of the form Type:name (e.g. User:alice)`);
  return text;
}

function operationsOf(options: AclOptions): AclOperation[] {
  const texts = options.operations.length > 0 ? options.operations : ['All'];
  return texts.map((text) => {
    const op = nameFromText(OPERATION_CODES, text);
    if (op === undefined || op === 'ANY') throw new UsageError(`Error: unknown operation ${text}`);
    return op;
  });
}

/** The ACL entries of each resource, as Kafka's getResourceFilterToAcls. */
interface ResourceAcls {
  pattern: ResourcePatternFilter;
  /** Empty when no principal was given: --remove then removes every ACL of the resource. */
  entries: AclBinding['entry'][];
}

/**
 * What --add creates and --remove removes: each resource with the --operation entries, or with
 * --producer/--consumer the operations those roles need (both may be given; a topic then gets
 * the union). Every principal on each of its hosts for each operation.
 */
function resourceAcls(options: AclOptions): ResourceAcls[] {
  const filters = resourceFilters(options);
  const of = (type: ResourceType) => filters.filter((f) => f.resourceType === type);
  const acls = new Map<ResourcePatternFilter, AclOperation[]>();
  const grant = (patterns: ResourcePatternFilter[], operations: AclOperation[]) => {
    for (const p of patterns) acls.set(p, [...new Set([...operations, ...(acls.get(p) ?? [])])]);
  };
  if (!options.producer && !options.consumer) grant(filters, operationsOf(options));
  if (options.producer) {
    grant(of('TOPIC'), ['WRITE', 'DESCRIBE', 'CREATE']);
    grant(of('TRANSACTIONAL_ID'), ['WRITE', 'DESCRIBE']);
    if (options.idempotent) grant(of('CLUSTER'), ['IDEMPOTENT_WRITE']);
  }
  if (options.consumer) {
    grant(of('TOPIC'), ['READ', 'DESCRIBE']);
    grant(of('GROUP'), ['READ']);
  }
  return [...acls].map(([pattern, operations]) => {
    const type = pattern.resourceType as ResourceType;
    const unsupported = operations.filter((op) => op !== 'ALL' && !SUPPORTED_OPERATIONS[type].includes(op));
    if (unsupported.length > 0) fail(`ResourceType ${type} only supports operations ${SUPPORTED_OPERATIONS[type].join(',')},ALL`);
    return { pattern, entries: entriesOf(options, operations) };
  });
}

/** Every --allow/--deny principal on each of its hosts (default `*`) for each operation. */
function entriesOf(options: AclOptions, operations: readonly AclOperation[]): AclBinding['entry'][] {
  const entries = (permissionType: 'ALLOW' | 'DENY', principals: readonly string[], hosts: readonly string[]) =>
    principals.flatMap((principal) =>
      (hosts.length > 0 ? hosts : ['*']).flatMap((host) =>
        operations.map((operation) => ({ principal: checkedPrincipal(principal), host, operation, permissionType })),
      ),
    );
  return [...entries('ALLOW', options.allowPrincipals, options.allowHosts), ...entries('DENY', options.denyPrincipals, options.denyHosts)];
}

/** Kafka's block: header, the ACLs tab-indented, a blank line. */
function block(header: string, acls: readonly string[]): string {
  return `${header}: \n ${acls.map((a) => `\t${a}`).join('\n')} \n\n`;
}

function toWire(filter: AclBindingFilter) {
  return {
    resourceTypeFilter: RESOURCE_TYPE_CODES[filter.pattern.resourceType],
    resourceNameFilter: filter.pattern.name,
    patternTypeFilter: PATTERN_TYPE_CODES[filter.pattern.patternType],
    principalFilter: filter.entry.principal,
    hostFilter: filter.entry.host,
    operation: OPERATION_CODES[filter.entry.operation],
    permissionType: PERMISSION_TYPE_CODES[filter.entry.permissionType],
  };
}

function refused(errorCode: number, errorMessage: string | null): never {
  return fail(errorMessage || `${errorName(errorCode) ?? errorCode}`);
}

/** One ACL as AclCommand prints it: its resource pattern and its entry, with the entry's principal to filter by. */
interface ListedAcl {
  resource: string;
  entry: string;
  principal: string;
}

async function describe(conn: VersionedConnection, filter: AclBindingFilter): Promise<ListedAcl[]> {
  const response = await conn.request(ApiKey.DescribeAcls, toWire(filter));
  if (response.errorCode !== ErrorCode.NONE) refused(response.errorCode, response.errorMessage);
  return response.resources.flatMap((r) => {
    const resource = patternText({
      resourceType: nameOfCode(RESOURCE_TYPE_CODES, r.resourceType) as ResourceType,
      name: r.resourceName,
      patternType: nameOfCode(PATTERN_TYPE_CODES, r.patternType) as 'LITERAL' | 'PREFIXED',
    });
    return r.acls.map((a) => ({
      resource,
      principal: a.principal,
      entry: entryText({
        principal: a.principal,
        host: a.host,
        operation: nameOfCode(OPERATION_CODES, a.operation) as AclOperation,
        permissionType: nameOfCode(PERMISSION_TYPE_CODES, a.permissionType) as 'ALLOW' | 'DENY',
      }),
    }));
  });
}

/**
 * AclCommand's listing: a block for each resource that has ACLs, its entries once each however many
 * filters matched them (Kafka gathers them in a map of sets); a resource without ACLs prints nothing.
 * Kafka's map is a hash map, so its blocks come in no set order; kts keeps the broker's.
 */
function listing(acls: readonly ListedAcl[]): string {
  const byResource = new Map<string, Set<string>>();
  for (const { resource, entry } of acls) byResource.set(resource, (byResource.get(resource) ?? new Set()).add(entry));
  return [...byResource].map(([resource, entries]) => block(`Current ACLs for resource \`${resource}\``, [...entries])).join('');
}

/**
 * Runs kafka-acls.sh's action, printing what Kafka's AclCommand prints as it goes (so what was done
 * before a refusal is on screen, as Kafka's). `confirm` asks before --remove without --force.
 */
export async function runAclCommand(
  connect: ConnectOptions,
  options: AclOptions,
  confirm: (question: string) => Promise<boolean>,
  print: (text: string) => void,
): Promise<void> {
  checkOptionCombinations(options);
  const filters = resourceFilters(options);
  await withVersionedCluster(connect, async (cluster) => {
    const conn = cluster.bootstrap;
    if (options.action === 'add') {
      if (filters.length === 0) throw new UsageError('Error: --add needs a resource (--topic, --group, --transactional-id or --cluster)');
      if (options.allowPrincipals.length + options.denyPrincipals.length === 0) {
        throw new UsageError('Error: --add needs --allow-principal or --deny-principal');
      }
      const resources = resourceAcls(options).map(({ pattern, entries }) => {
        if (pattern.patternType !== 'LITERAL' && pattern.patternType !== 'PREFIXED') {
          throw new UsageError(`Error: A '--resource-pattern-type' value of '${options.patternType}' is not valid when adding acls.`);
        }
        const resource = { resourceType: pattern.resourceType as ResourceType, name: pattern.name!, patternType: pattern.patternType };
        return { resource, entries };
      });
      // As Kafka: each resource's block, then its ACLs created, before the next resource's.
      for (const { resource, entries } of resources) {
        print(block(`Adding ACLs for resource \`${patternText(resource)}\``, entries.map(entryText)));
        const response = await conn.request(ApiKey.CreateAcls, {
          creations: entries.map((entry) => {
            const { patternType, ...codes } = bindingCodes({ pattern: resource, entry });
            return { ...codes, resourcePatternType: patternType };
          }),
        });
        const error = response.results.find((r) => r.errorCode !== ErrorCode.NONE);
        if (error) refused(error.errorCode, error.errorMessage);
      }
      return;
    }
    if (options.action === 'remove') {
      if (filters.length === 0)
        throw new UsageError('Error: --remove needs a resource (--topic, --group, --transactional-id or --cluster)');
      for (const { pattern, entries } of resourceAcls(options)) {
        const question =
          entries.length === 0
            ? `Are you sure you want to delete all ACLs for resource filter \`${patternText(pattern)}\`? (y/n)`
            : `Are you sure you want to remove ACLs: \n ${entries.map((e) => `\t${entryText(e)}`).join('\n')} \n from resource filter \`${patternText(pattern)}\`? (y/n)`;
        if (!(await confirm(question))) continue;
        const response = await conn.request(ApiKey.DeleteAcls, {
          filters: (entries.length === 0 ? [ANY_ENTRY] : entries).map((entry) => toWire({ pattern, entry })),
        });
        const error = response.filterResults.find((r) => r.errorCode !== ErrorCode.NONE);
        if (error) refused(error.errorCode, error.errorMessage);
      }
      return;
    }
    const principals = [...new Set(options.principals.map(checkedPrincipal))];
    const anyResource: ResourcePatternFilter = { resourceType: 'ANY', name: null, patternType: 'ANY' as PatternTypeFilterName };
    const acls: ListedAcl[] = [];
    for (const pattern of filters.length > 0 ? filters : [anyResource]) acls.push(...(await describe(conn, { pattern, entry: ANY_ENTRY })));
    if (principals.length === 0) print(listing(acls));
    for (const p of principals) print(`ACLs for principal \`${p}\`\n${listing(acls.filter((a) => a.principal === p))}`);
  });
}
