import { type AccessControlEntry, type AclOperation, type ResourceType, WILDCARD, WILDCARD_PRINCIPAL } from '../../protocol/acl.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { ConfigError } from '../config/config-error.js';
import type { AclCache } from './acl-cache.js';

/** Who asks: the authenticated principal (`User:alice`, `User:ANONYMOUS`) and the client's IP address. */
export interface Requester {
  readonly principal: string;
  readonly host: string;
}

export interface AuthorizerSettings {
  /** `super.users`: principals allowed everything. */
  readonly superUsers: ReadonlySet<string>;
  /** `allow.everyone.if.no.acl.found`. */
  readonly allowEveryoneIfNoAclFound: boolean;
}

/**
 * Allowing any of these implies the operation (AclOperation's documented inheritance): Describe
 * follows from Read, Write, Delete or Alter; DescribeConfigs from AlterConfigs.
 */
const IMPLIED_BY: Partial<Record<AclOperation, readonly AclOperation[]>> = {
  DESCRIBE: ['DESCRIBE', 'READ', 'WRITE', 'DELETE', 'ALTER'],
  DESCRIBE_CONFIGS: ['DESCRIBE_CONFIGS', 'ALTER_CONFIGS'],
};

/** Whether an entry speaks for this requester and operation: its principal or `User:*`, its host or `*`, the operation or ALL. */
function entryApplies(entry: AccessControlEntry, who: Requester, operation: AclOperation): boolean {
  return (
    (entry.principal === who.principal || entry.principal === WILDCARD_PRINCIPAL) &&
    (entry.host === who.host || entry.host === WILDCARD) &&
    (entry.operation === operation || entry.operation === 'ALL')
  );
}

/**
 * Kafka's AclAuthorizer decisions over the ACLs in an AclCache: super users may do anything; a
 * resource no ACL applies to is allowed only with `allow.everyone.if.no.acl.found`; otherwise a
 * DENY for the operation wins over any ALLOW, and an ALLOW of the operation (or of one implying
 * it) is needed.
 */
export class AclAuthorizer {
  constructor(
    readonly acls: AclCache,
    private readonly settings: () => AuthorizerSettings,
  ) {}

  isSuperUser(principal: string): boolean {
    return this.settings().superUsers.has(principal);
  }

  authorize(who: Requester, operation: AclOperation, resourceType: ResourceType, name: string): boolean {
    if (this.isSuperUser(who.principal)) return true;
    const entries = this.acls.applicable(resourceType, name);
    if (entries.length === 0) return this.settings().allowEveryoneIfNoAclFound;
    if (entries.some((e) => e.permissionType === 'DENY' && entryApplies(e, who, operation))) return false;
    const allowing = IMPLIED_BY[operation] ?? [operation];
    return entries.some((e) => e.permissionType === 'ALLOW' && allowing.some((op) => entryApplies(e, who, op)));
  }

  /**
   * Authorizer.authorizeByResourceType (KIP-679): whether the requester may do `operation` on
   * some resource of the type, e.g. WRITE on any topic for an idempotent producer. A literal DENY
   * of `*` refuses; with `allow.everyone.if.no.acl.found` anything else is allowed; else an ALLOW
   * (literal or prefixed) not dominated by a DENY of the same name or of a prefix of it is needed.
   */
  authorizeByResourceType(who: Requester, operation: AclOperation, resourceType: ResourceType): boolean {
    if (this.isSuperUser(who.principal)) return true;
    const names = (permission: 'ALLOW' | 'DENY', patternType: 'LITERAL' | 'PREFIXED') =>
      this.acls
        .patterns()
        .filter(
          ({ pattern, entries }) =>
            pattern.resourceType === resourceType &&
            pattern.patternType === patternType &&
            entries.some((e) => e.permissionType === permission && entryApplies(e, who, operation)),
        )
        .map(({ pattern }) => pattern.name);
    const denyLiterals = new Set(names('DENY', 'LITERAL'));
    if (denyLiterals.has(WILDCARD)) return false;
    if (this.settings().allowEveryoneIfNoAclFound) return true;
    const denyPrefixes = new Set(names('DENY', 'PREFIXED'));
    const dominatedByPrefix = (name: string) => [...name].some((_, i) => denyPrefixes.has(name.slice(0, i + 1)));
    const allowLiterals = names('ALLOW', 'LITERAL');
    const allowPrefixes = names('ALLOW', 'PREFIXED');
    if (denyLiterals.size === 0 && denyPrefixes.size === 0) return allowLiterals.length > 0 || allowPrefixes.length > 0;
    return (
      allowPrefixes.some((prefix) => !dominatedByPrefix(prefix)) ||
      allowLiterals.some((literal) => literal === WILDCARD || (!denyLiterals.has(literal) && !dominatedByPrefix(literal)))
    );
  }
}

/** The authorizer kts implements, by Kafka's class name (the ZooKeeper-mode AclAuthorizer). */
export const ACL_AUTHORIZER_CLASS = 'kafka.security.authorizer.AclAuthorizer';

/** Whether `authorizer.class.name` asks for ACLs; any other class is a one-line configuration error. */
export function authorizerEnabled(config: BrokerConfig): boolean {
  const name = config.values['authorizer.class.name'].trim();
  if (name === '') return false;
  if (name !== ACL_AUTHORIZER_CLASS) {
    throw new ConfigError(
      'invalid-value',
      `Invalid value ${name} for configuration authorizer.class.name: kts provides ${ACL_AUTHORIZER_CLASS} only`,
    );
  }
  return true;
}

/** `super.users` (semicolon-separated principals) and `allow.everyone.if.no.acl.found`, read on every decision: both are dynamic in Kafka. */
export function authorizerSettings(config: BrokerConfig): AuthorizerSettings {
  const superUsers = config.values['super.users']
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return { superUsers: new Set(superUsers), allowEveryoneIfNoAclFound: config.values['allow.everyone.if.no.acl.found'] };
}
