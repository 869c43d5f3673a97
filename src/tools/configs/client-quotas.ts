import { KtsError } from '../../util/errors.js';
import type { VersionedConnection } from '../../client/versioned-connection.js';
import { CLIENT_ID, IP, MATCH_DEFAULT, MATCH_EXACT, MATCH_SPECIFIED, USER } from '../../protocol/client-quotas.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { commandFailure } from './command-failure.js';
import type { QuotaChanges, QuotaEntityType } from './quota-changes.js';

/** One quota entity as DescribeClientQuotas lists it: Kafka's entity types (`user`, `client-id`), `null` for a default. */
export interface QuotaEntityEntry {
  entity: { entityType: string; entityName: string | null }[];
  values: { key: string; value: number }[];
}

const WIRE_TYPE: Readonly<Record<QuotaEntityType, string>> = { users: USER, clients: CLIENT_ID, ips: IP };

/**
 * ConfigCommand.getAllClientQuotasConfigs: each type with its name (`''`: the default entity) or,
 * past the names given, any name; strict, so entities with other types are left out.
 */
export async function describeClientQuotas(
  conn: VersionedConnection,
  types: readonly QuotaEntityType[],
  names: readonly string[],
): Promise<QuotaEntityEntry[]> {
  const components = types.map((type, i) => {
    const name = names[i];
    const entityType = WIRE_TYPE[type];
    if (name === undefined) return { entityType, matchType: MATCH_SPECIFIED, match: null };
    return name === '' ? { entityType, matchType: MATCH_DEFAULT, match: null } : { entityType, matchType: MATCH_EXACT, match: name };
  });
  const response = await conn.request(ApiKey.DescribeClientQuotas, { components, strict: true });
  if (response.errorCode !== ErrorCode.NONE) throw commandFailure(response.errorCode, response.errorMessage);
  return response.entries ?? [];
}

/** The entity the types and names name together: `''` is the type's default (null on the wire). */
export function quotaEntity(types: readonly QuotaEntityType[], names: readonly string[]): QuotaEntityEntry['entity'] {
  return types.map((type, i) => ({ entityType: WIRE_TYPE[type], entityName: names[i] === '' ? null : names[i]! }));
}

/**
 * ConfigCommand.alterQuotaConfigs: a key to delete must be set on the entity (`Invalid config(s): k`);
 * then one AlterClientQuotas entry, the values to set followed by the keys to remove.
 */
export async function alterClientQuotas(
  conn: VersionedConnection,
  types: readonly QuotaEntityType[],
  names: readonly string[],
  changes: QuotaChanges,
): Promise<void> {
  const [current] = await describeClientQuotas(conn, types, names);
  const invalid = changes.delete.filter((key) => !current?.values.some((v) => v.key === key));
  if (invalid.length > 0) throw new KtsError(`Invalid config(s): ${invalid.join(',')}`);
  const response = await conn.request(ApiKey.AlterClientQuotas, {
    validateOnly: false,
    entries: [
      {
        entity: quotaEntity(types, names),
        ops: [
          ...[...changes.set].map(([key, value]) => ({ key, value, remove: false })),
          ...changes.delete.map((key) => ({ key, value: 0, remove: true })),
        ],
      },
    ],
  });
  const result = response.entries[0];
  if (result === undefined) throw new KtsError('Error while executing config command: the broker did not answer for the entity');
  if (result.errorCode !== ErrorCode.NONE) throw commandFailure(result.errorCode, result.errorMessage);
}
