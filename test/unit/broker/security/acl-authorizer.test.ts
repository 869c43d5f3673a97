import { describe, expect, it } from 'vitest';
import type { AccessControlEntry, AclOperation, ResourcePattern, ResourceType } from '../../../../src/protocol/acl.js';
import { AclAuthorizer } from '../../../../src/broker/security/acl-authorizer.js';
import { AclCache } from '../../../../src/broker/security/acl-cache.js';

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const TYPES: ResourceType[] = ['TOPIC', 'GROUP'];
const NAMES = ['a', 'ab', 'abc', 'b', 'ba', '*'];
const PRINCIPALS = ['User:alice', 'User:bob', 'User:*'];
const HOSTS = ['10.0.0.1', '10.0.0.2', '*'];
const OPERATIONS: AclOperation[] = ['READ', 'WRITE', 'DESCRIBE', 'DELETE', 'ALTER', 'ALL', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS'];

/**
 * Kafka's documented rules, written out the slow way: every stored ACL is looked at; a pattern
 * applies when it is the literal name, the literal wildcard, or a prefix of the name.
 */
function model(acls: { pattern: ResourcePattern; entry: AccessControlEntry }[], superUsers: Set<string>, allowEveryone: boolean) {
  const implied: Record<string, AclOperation[]> = { DESCRIBE: ['READ', 'WRITE', 'DELETE', 'ALTER'], DESCRIBE_CONFIGS: ['ALTER_CONFIGS'] };
  return (principal: string, host: string, operation: AclOperation, type: ResourceType, name: string): boolean => {
    if (superUsers.has(principal)) return true;
    const applicable = acls.filter(
      ({ pattern }) =>
        pattern.resourceType === type &&
        (pattern.patternType === 'LITERAL' ? pattern.name === name || pattern.name === '*' : name.startsWith(pattern.name)),
    );
    if (applicable.length === 0) return allowEveryone;
    const matches = (e: AccessControlEntry, op: AclOperation) =>
      (e.principal === principal || e.principal === 'User:*') &&
      (e.host === host || e.host === '*') &&
      (e.operation === op || e.operation === 'ALL');
    if (applicable.some(({ entry }) => entry.permissionType === 'DENY' && matches(entry, operation))) return false;
    return applicable.some(
      ({ entry }) => entry.permissionType === 'ALLOW' && [operation, ...(implied[operation] ?? [])].some((op) => matches(entry, op)),
    );
  };
}

describe("AclAuthorizer against a model of Kafka's rules", () => {
  it('decides as the model for 10,000 random ACL sets, 4 requests each', () => {
    const decisions = { true: 0, false: 0 };
    for (let seed = 1; seed <= 10_000; seed++) {
      const r = random(seed);
      const acls = Array.from({ length: Math.floor(r() * 8) }, () => ({
        pattern: { resourceType: pick(r, TYPES), name: pick(r, NAMES), patternType: pick(r, ['LITERAL', 'PREFIXED'] as const) },
        entry: {
          principal: pick(r, PRINCIPALS),
          host: pick(r, HOSTS),
          operation: pick(r, OPERATIONS),
          permissionType: pick(r, ['ALLOW', 'DENY'] as const),
        },
      }));
      const cache = new AclCache();
      for (const { pattern, entry } of acls) cache.set(pattern, [...cache.get(pattern), entry]);
      const superUsers = new Set(r() < 0.2 ? ['User:bob'] : []);
      const allowEveryone = r() < 0.3;
      const authorizer = new AclAuthorizer(cache, () => ({ superUsers, allowEveryoneIfNoAclFound: allowEveryone }));
      const expected = model(acls, superUsers, allowEveryone);
      for (let i = 0; i < 4; i++) {
        const request = [
          pick(r, ['User:alice', 'User:bob', 'User:carol']),
          pick(r, ['10.0.0.1', '10.0.0.2']),
          pick(
            r,
            OPERATIONS.filter((o) => o !== 'ALL'),
          ),
          pick(r, TYPES),
          pick(r, ['a', 'ab', 'abc', 'b', 'ba', 'c']),
        ] as const;
        const got = authorizer.authorize({ principal: request[0], host: request[1] }, request[2], request[3], request[4]);
        decisions[String(got) as 'true' | 'false']++;
        if (got !== expected(...request))
          throw new Error(`seed ${seed}: ${JSON.stringify({ acls, request, superUsers: [...superUsers], allowEveryone })} gave ${got}`);
      }
    }
    // Both answers were exercised, not a model that agrees by always refusing.
    expect(decisions.true).toBeGreaterThan(1000);
    expect(decisions.false).toBeGreaterThan(1000);
  });
});
