import {
  type AclBinding,
  type AclBindingFilter,
  CLUSTER_NAME,
  entryText,
  parsePrincipal,
  patternKey,
  patternText,
  type ResourcePattern,
} from '../../protocol/acl.js';
import { ApiError, toApiError } from '../api-error.js';
import { SerialQueue } from '../admin/serial-queue.js';
import type { MetadataStore, StoredAcls } from '../metadata/metadata-store.js';
import { AclAuthorizer, type AuthorizerSettings } from './acl-authorizer.js';
import { AclCache, entryKey } from './acl-cache.js';

export interface DeletedAcls {
  readonly error?: ApiError;
  readonly deleted: readonly AclBinding[];
}

/**
 * The ACLs of the cluster and what decides with them (Kafka's AclAuthorizer with its ZkAclStore):
 * held in memory, persisted per resource pattern through the metadata store; in a cluster each
 * change is announced on `/kafka-acl-changes` and every broker re-reads the pattern.
 */
export class AclAdmin {
  readonly cache = new AclCache();
  readonly authorizer: AclAuthorizer;
  readonly #changes = new SerialQueue();

  constructor(
    private readonly store: MetadataStore,
    stored: readonly StoredAcls[],
    settings: () => AuthorizerSettings,
  ) {
    this.authorizer = new AclAuthorizer(this.cache, settings);
    this.reload(stored);
  }

  reload(stored: readonly StoredAcls[]): void {
    this.cache.clear();
    for (const { pattern, entries } of stored) this.cache.set(pattern, entries);
  }

  /** CreateAcls: each binding answered on its own; valid ones are added to their pattern (a binding already there is no change). */
  create(bindings: readonly AclBinding[]): Promise<(ApiError | undefined)[]> {
    return this.#changes.run(async () => {
      const errors = bindings.map(invalidBinding);
      const byPattern = new Map<string, { pattern: ResourcePattern; added: AclBinding[] }>();
      bindings.forEach((binding, i) => {
        if (errors[i] !== undefined) return;
        const key = patternKey(binding.pattern);
        const group = byPattern.get(key) ?? { pattern: binding.pattern, added: [] };
        group.added.push(binding);
        byPattern.set(key, group);
      });
      for (const { pattern, added } of byPattern.values()) {
        const current = this.cache.get(pattern);
        const known = new Set(current.map(entryKey));
        const fresh = added.map((b) => b.entry).filter((e) => !known.has(entryKey(e)));
        if (fresh.length === 0) continue;
        try {
          await this.store.putAcls(pattern, [...current, ...fresh]);
          this.cache.set(pattern, [...current, ...fresh]);
        } catch (err) {
          const error = toApiError(err);
          bindings.forEach((b, i) => {
            if (added.includes(b)) errors[i] = error;
          });
        }
      }
      return errors;
    });
  }

  /** DescribeAcls: the bindings the filter matches. */
  describe(filter: AclBindingFilter): AclBinding[] {
    return this.cache.bindings(filter);
  }

  /** DeleteAcls: per filter, the bindings it matched and removed. */
  delete(filters: readonly AclBindingFilter[]): Promise<DeletedAcls[]> {
    return this.#changes.run(async () => {
      const results: DeletedAcls[] = [];
      for (const filter of filters) {
        const matched = this.cache.bindings(filter);
        const byPattern = new Map<string, { pattern: ResourcePattern; gone: Set<string> }>();
        for (const { pattern, entry } of matched) {
          const group = byPattern.get(patternKey(pattern)) ?? { pattern, gone: new Set<string>() };
          group.gone.add(entryKey(entry));
          byPattern.set(patternKey(pattern), group);
        }
        try {
          for (const { pattern, gone } of byPattern.values()) {
            const kept = this.cache.get(pattern).filter((e) => !gone.has(entryKey(e)));
            await this.store.putAcls(pattern, kept);
            this.cache.set(pattern, kept);
          }
          results.push({ deleted: matched });
        } catch (err) {
          results.push({ deleted: [], error: toApiError(err) });
        }
      }
      return results;
    });
  }
}

/** Why Kafka's AclAuthorizer refuses to store a binding, or undefined. */
function invalidBinding({ pattern, entry }: AclBinding): ApiError | undefined {
  const invalid = (why: string) =>
    new ApiError('INVALID_REQUEST', `Invalid ACL creation: ${patternText(pattern)} ${entryText(entry)}: ${why}`);
  if (pattern.resourceType === 'CLUSTER' && pattern.name !== CLUSTER_NAME)
    return invalid(`The only valid name for the CLUSTER resource is ${CLUSTER_NAME}`);
  if (pattern.name === '') return invalid('Resource name must not be empty');
  if (parsePrincipal(entry.principal) === undefined)
    return invalid(
      `Could not parse principal from \`${entry.principal}\` (no colon is present separating the principal type from the principal name)`,
    );
  return undefined;
}
