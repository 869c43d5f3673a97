import { CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { Authorize } from './handler.js';
import { ApiError, toApiError } from '../api-error.js';
import type { ConfigResourceType } from '../config/config-error.js';

/** Java's ConfigResource.Type, by wire code. */
const RESOURCE_TYPES: Readonly<Record<number, string>> = { 2: 'TOPIC', 4: 'BROKER', 8: 'BROKER_LOGGER', 16: 'CLIENT_METRICS', 32: 'GROUP' };

/** The resource types whose configs this broker keeps; undefined for the others. */
export function configResourceType(code: number): ConfigResourceType | undefined {
  const name = RESOURCE_TYPES[code];
  return name === 'TOPIC' || name === 'BROKER' ? name : undefined;
}

/** The type's name as Kafka prints it in messages (`UNKNOWN` for a code it does not know). */
export function resourceTypeName(code: number): string {
  return RESOURCE_TYPES[code] ?? 'UNKNOWN';
}

/**
 * A topic's configs need the operation on the topic, a broker's on the cluster
 * (TOPIC_AUTHORIZATION_FAILED / CLUSTER_AUTHORIZATION_FAILED), as KafkaApis authorizes them.
 */
export function checkConfigAccess(
  type: ConfigResourceType,
  name: string,
  operation: 'DESCRIBE_CONFIGS' | 'ALTER_CONFIGS',
  authorize: Authorize,
): void {
  if (type === 'TOPIC' && !authorize(operation, 'TOPIC', name))
    throw new ApiError('TOPIC_AUTHORIZATION_FAILED', 'Topic authorization failed.');
  if (type === 'BROKER' && !authorize(operation, 'CLUSTER', CLUSTER_NAME)) {
    throw new ApiError('CLUSTER_AUTHORIZATION_FAILED', 'Cluster authorization failed.');
  }
}

interface RequestedResource {
  resourceType: number;
  resourceName: string;
}

export interface AlterResourceResult extends RequestedResource {
  errorCode: number;
  errorMessage: string | null;
}

/**
 * AlterConfigs and IncrementalAlterConfigs: each resource altered on its own, in request order.
 * A resource named twice fails both times and a type without configs here fails, as Kafka's
 * ConfigAdminManager refuses them before anything is changed.
 */
export async function alterEach<R extends RequestedResource>(
  resources: readonly R[],
  authorize: Authorize,
  alter: (type: ConfigResourceType, resource: R) => Promise<void>,
): Promise<AlterResourceResult[]> {
  const key = (r: RequestedResource) => `${r.resourceType}:${r.resourceName}`;
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  const results: AlterResourceResult[] = [];
  for (const r of resources) {
    const result = { resourceType: r.resourceType, resourceName: r.resourceName, errorCode: ErrorCode.NONE, errorMessage: null };
    try {
      if (counts.get(key(r))! > 1) throw new ApiError('INVALID_REQUEST', 'Each resource must appear at most once.');
      const type = configResourceType(r.resourceType);
      if (type === undefined) throw new ApiError('INVALID_REQUEST', `Unknown resource type ${r.resourceType}`);
      checkConfigAccess(type, r.resourceName, 'ALTER_CONFIGS', authorize);
      await alter(type, r);
      results.push(result);
    } catch (err) {
      const error = toApiError(err);
      results.push({ ...result, errorCode: error.code, errorMessage: error.message });
    }
  }
  return results;
}
