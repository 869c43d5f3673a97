import {
  type AccessControlEntry,
  type AclBinding,
  type AclBindingFilter,
  bindingFilterMatches,
  type ResourcePattern,
  type ResourceType,
  patternKey,
  WILDCARD,
} from '../../protocol/acl.js';

/** One resource pattern's ACLs, as a ZooKeeper znode (or the local store) holds them. */
export interface PatternAcls {
  readonly pattern: ResourcePattern;
  readonly entries: readonly AccessControlEntry[];
}

/** Entries are a set: the same entry twice is one (AclAuthorizer keeps a Set[AclEntry]). */
export function entryKey(entry: AccessControlEntry): string {
  return `${entry.permissionType}\0${entry.operation}\0${entry.host}\0${entry.principal}`;
}

export function uniqueEntries(entries: readonly AccessControlEntry[]): AccessControlEntry[] {
  const byKey = new Map<string, AccessControlEntry>();
  for (const entry of entries) byKey.set(entryKey(entry), entry);
  return [...byKey.values()];
}

/**
 * Every ACL the authorizer knows, by resource pattern (AclAuthorizer's aclCache), with the
 * lookups authorization needs: a literal name, the literal wildcard `*`, and every prefixed
 * pattern that is a prefix of a name (one map lookup per prefix length, not a scan).
 */
export class AclCache {
  readonly #byKey = new Map<string, PatternAcls>();

  /** Replaces a pattern's ACLs; an empty list removes the pattern. */
  set(pattern: ResourcePattern, entries: readonly AccessControlEntry[]): void {
    const key = patternKey(pattern);
    if (entries.length === 0) this.#byKey.delete(key);
    else this.#byKey.set(key, { pattern, entries: uniqueEntries(entries) });
  }

  get(pattern: ResourcePattern): readonly AccessControlEntry[] {
    return this.#byKey.get(patternKey(pattern))?.entries ?? [];
  }

  clear(): void {
    this.#byKey.clear();
  }

  patterns(): PatternAcls[] {
    return [...this.#byKey.values()];
  }

  /** The bindings a filter matches (Authorizer.acls). */
  bindings(filter: AclBindingFilter): AclBinding[] {
    const out: AclBinding[] = [];
    for (const { pattern, entries } of this.#byKey.values()) {
      for (const entry of entries) {
        const binding = { pattern, entry };
        if (bindingFilterMatches(filter, binding)) out.push(binding);
      }
    }
    return out;
  }

  /** The ACLs that apply to a resource: prefixed patterns it starts with, the literal wildcard, and its literal name. */
  applicable(resourceType: ResourceType, name: string): AccessControlEntry[] {
    const out: AccessControlEntry[] = [];
    for (let length = 1; length <= name.length; length++) {
      out.push(...this.get({ resourceType, name: name.slice(0, length), patternType: 'PREFIXED' }));
    }
    out.push(...this.get({ resourceType, name: WILDCARD, patternType: 'LITERAL' }));
    if (name !== WILDCARD) out.push(...this.get({ resourceType, name, patternType: 'LITERAL' }));
    return out;
  }
}
