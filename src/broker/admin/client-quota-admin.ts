import { CLIENT_ID, CLIENT_QUOTA_KEYS, IP, USER } from '../../protocol/client-quotas.js';
import { ApiError, toApiError } from '../api-error.js';
import type { ClientQuotaRecords, MetadataStore } from '../metadata/metadata-store.js';
import { type ClientQuotaEntity, entityOfPath, entityPath, entityText } from '../quota/client-quota-entity.js';
import { type ClientQuotaFilter, matchesFilter } from '../quota/client-quota-filter.js';
import { quotaValueError } from '../quota/quota-configs.js';
import { SerialQueue } from './serial-queue.js';

/** One AlterClientQuotas entry as the wire has it. */
export interface ClientQuotaAlteration {
  readonly entity: readonly { entityType: string; entityName: string | null }[];
  readonly ops: readonly { key: string; value: number; remove: boolean }[];
}

export interface DescribedClientQuota {
  entity: ClientQuotaEntity;
  /** In CLIENT_QUOTA_KEYS order. */
  values: [key: string, value: number][];
}

const KEY_ORDER = Object.keys(CLIENT_QUOTA_KEYS);

interface StoredQuota {
  entity: ClientQuotaEntity;
  values: Map<string, number>;
}

/**
 * User and client-id quotas (Kafka's ClientQuotaControlManager and ClientQuotasImage): kept in
 * memory, persisted per entity through the metadata store, as dynamic broker configs are.
 * Stored and described only: nothing is throttled by them yet.
 */
export class ClientQuotaAdmin {
  readonly #quotas = new Map<string, StoredQuota>();
  readonly #changes = new SerialQueue();

  /** `stored` is what the store loaded; an entry that no longer reads as a quota is reported through `warn` and dropped. */
  constructor(
    private readonly store: MetadataStore,
    stored: ClientQuotaRecords,
    private readonly warn: (message: string) => void,
  ) {
    this.reload(stored);
  }

  /** Replaces what is held by what the store has (another broker of the cluster changed it). */
  reload(stored: ClientQuotaRecords): void {
    this.#quotas.clear();
    for (const [path, record] of Object.entries(stored)) {
      const entity = entityOfPath(path);
      if (entity === undefined) {
        this.warn(`Ignoring stored client quotas under an unknown entity path: ${path}`);
        continue;
      }
      const values = new Map<string, number>();
      for (const [key, text] of Object.entries(record)) {
        const error = quotaValueError(key, Number(text));
        if (error === undefined) values.set(key, Number(text));
        else this.warn(`Ignoring stored client quota ${key}=${text} of ${path}: ${error}`);
      }
      if (values.size > 0) this.#quotas.set(path, { entity, values });
    }
  }

  /** The entities the filter matches, by user then client id, the default before named ones. */
  describe(filter: ClientQuotaFilter): DescribedClientQuota[] {
    return [...this.#quotas.values()]
      .filter((q) => matchesFilter(q.entity, filter))
      .sort((a, b) => compareNames(a.entity.user, b.entity.user) || compareNames(a.entity.clientId, b.entity.clientId))
      .map((q) => ({ entity: q.entity, values: KEY_ORDER.filter((key) => q.values.has(key)).map((key) => [key, q.values.get(key)!]) }));
  }

  /**
   * AlterClientQuotas: each entry on its own, in request order; per entry all its ops or none.
   * `remove` drops a key (one that is not set is ignored, unchecked, as Kafka does); a value must
   * pass `quotaValueError`. With `validateOnly` nothing changes. Resolves to each entry's error,
   * undefined where it succeeded.
   */
  alter(entries: readonly ClientQuotaAlteration[], validateOnly: boolean): Promise<(ApiError | undefined)[]> {
    return this.#changes.run(async () => {
      const seen = new Set<string>();
      const results: (ApiError | undefined)[] = [];
      for (const entry of entries) {
        try {
          const entity = toEntity(entry.entity);
          const path = entityPath(entity);
          if (seen.has(path)) throw new ApiError('INVALID_REQUEST', `Ignoring duplicate entity ${entityText(entity)}`);
          seen.add(path);
          const values = this.#altered(entity, path, entry.ops);
          if (!validateOnly) await this.#put(entity, path, values);
          results.push(undefined);
        } catch (err) {
          results.push(toApiError(err));
        }
      }
      return results;
    });
  }

  #altered(entity: ClientQuotaEntity, path: string, ops: ClientQuotaAlteration['ops']): Map<string, number> {
    const keys = ops.map((op) => op.key);
    const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
    if (duplicate !== undefined) {
      throw new ApiError('INVALID_REQUEST', `Duplicate quota key ${duplicate} not updating quota for this entity ${entityText(entity)}`);
    }
    const values = new Map(this.#quotas.get(path)?.values);
    for (const op of ops) {
      if (op.remove) {
        values.delete(op.key);
        continue;
      }
      const error = quotaValueError(op.key, op.value);
      if (error !== undefined) throw new ApiError('INVALID_REQUEST', error);
      values.set(op.key, op.value);
    }
    return values;
  }

  async #put(entity: ClientQuotaEntity, path: string, values: Map<string, number>): Promise<void> {
    await this.store.putClientQuotas(path, Object.fromEntries([...values].map(([key, value]) => [key, String(value)])));
    if (values.size > 0) this.#quotas.set(path, { entity, values });
    else this.#quotas.delete(path);
  }
}

/** Kafka's validateEntity and configKeysForEntityType checks, with their messages. */
function toEntity(components: ClientQuotaAlteration['entity']): ClientQuotaEntity {
  if (components.length === 0) throw new ApiError('INVALID_REQUEST', 'Invalid empty client quota entity');
  const names = new Map<string, string | null>();
  for (const { entityType, entityName } of components) {
    if (names.has(entityType)) throw new ApiError('INVALID_REQUEST', `Invalid client quota entity, duplicate entity entry ${entityType}`);
    if (entityType !== USER && entityType !== CLIENT_ID && entityType !== IP) {
      throw new ApiError('INVALID_REQUEST', `Unhandled client quota entity type: ${entityType}`);
    }
    if (entityName === '') throw new ApiError('INVALID_REQUEST', `Empty ${entityType} not supported`);
    names.set(entityType, entityName);
  }
  if (names.has(IP)) {
    if (names.size > 1) {
      // Kafka's message, missing space included.
      throw new ApiError('INVALID_REQUEST', 'Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId');
    }
    throw new ApiError('INVALID_REQUEST', 'IP connection quotas are not supported by this broker');
  }
  return {
    ...(names.has(USER) ? { user: names.get(USER) as string | null } : {}),
    ...(names.has(CLIENT_ID) ? { clientId: names.get(CLIENT_ID) as string | null } : {}),
  };
}

/** The default entity (null) first, then names in code-unit order; an absent type before both. */
function compareNames(a: string | null | undefined, b: string | null | undefined): number {
  const rank = (name: string | null | undefined) => (name === undefined ? 0 : name === null ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}
