import { CLIENT_ID, IP, MATCH_DEFAULT, MATCH_EXACT, MATCH_SPECIFIED, USER } from '../../protocol/client-quotas.js';
import type { DescribeClientQuotasRequestComponentData } from '../../protocol/generated/apis/describe-client-quotas.js';
import { ApiError } from '../api-error.js';
import type { ClientQuotaEntity } from './client-quota-entity.js';

/**
 * What a DescribeClientQuotas request asks for, per entity type: a name (`null`: the default
 * entity), or `SPECIFIED`, any name including the default. With `strict`, an entity must have no
 * other types.
 */
export interface ClientQuotaFilter {
  readonly names: ReadonlyMap<string, string | null>;
  readonly specified: ReadonlySet<string>;
  readonly strict: boolean;
}

/** Kafka 3.9's ClientQuotasImage.describe checks, with its errors and messages. */
export function parseClientQuotaFilter(
  components: readonly DescribeClientQuotasRequestComponentData[],
  strict: boolean,
): ClientQuotaFilter {
  const names = new Map<string, string | null>();
  const specified = new Set<string>();
  for (const c of components) {
    const type = c.entityType;
    if (type === '') throw new ApiError('INVALID_REQUEST', 'Invalid empty entity type.');
    if (names.has(type) || specified.has(type))
      throw new ApiError('INVALID_REQUEST', `Entity type ${type} cannot appear more than once in the filter.`);
    if (type !== USER && type !== CLIENT_ID && type !== IP) throw new ApiError('UNSUPPORTED_VERSION', `Unsupported entity type ${type}`);
    if (c.matchType === MATCH_EXACT) {
      if (c.match === null) throw new ApiError('INVALID_REQUEST', 'Request specified MATCH_TYPE_EXACT, but set match string to null.');
      names.set(type, c.match);
    } else if (c.matchType === MATCH_DEFAULT || c.matchType === MATCH_SPECIFIED) {
      const name = c.matchType === MATCH_DEFAULT ? 'DEFAULT' : 'SPECIFIED';
      if (c.match !== null)
        throw new ApiError('INVALID_REQUEST', `Request specified MATCH_TYPE_${name}, but also specified a match string.`);
      if (c.matchType === MATCH_DEFAULT) names.set(type, null);
      else specified.add(type);
    } else {
      throw new ApiError('INVALID_REQUEST', `Unknown match type ${c.matchType}`);
    }
  }
  const has = (type: string) => names.has(type) || specified.has(type);
  if (has(IP) && (has(USER) || has(CLIENT_ID))) {
    throw new ApiError(
      'INVALID_REQUEST',
      'Invalid entity filter component combination. IP filter component should not be used with user or clientId filter component.',
    );
  }
  return { names, specified, strict };
}

/** Whether `entity` is one the filter asks for (ClientQuotasImage.matches). */
export function matchesFilter(entity: ClientQuotaEntity, filter: ClientQuotaFilter): boolean {
  const types = new Map<string, string | null>();
  if (entity.user !== undefined) types.set(USER, entity.user);
  if (entity.clientId !== undefined) types.set(CLIENT_ID, entity.clientId);
  if (filter.strict && types.size !== filter.names.size + filter.specified.size) return false;
  for (const [type, name] of filter.names) {
    if (!types.has(type) || types.get(type) !== name) return false;
  }
  return [...filter.specified].every((type) => types.has(type));
}
