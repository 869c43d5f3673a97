import type { ApiCodec } from '../../protocol/api-descriptor.js';
import type { ApiMessages } from '../../protocol/generated/apis.js';
import { API_INFO, type ApiKey } from '../../protocol/generated/api-info.js';
import type { RequestHeader } from '../../protocol/generated/headers.js';
import type { AclOperation, ResourceType } from '../../protocol/acl.js';
import type { ConnectionInfo } from '../network/connection.js';

/** Whether the connection's principal may do `operation` on the resource; always true without an authorizer. */
export type Authorize = (operation: AclOperation, resourceType: ResourceType, name: string) => boolean;

export interface RequestContext {
  readonly apiVersion: number;
  readonly header: RequestHeader;
  readonly connection: ConnectionInfo;
  readonly authorize: Authorize;
  /** Authorizer.authorizeByResourceType (KIP-679): whether the principal may do `operation` on some resource of the type. */
  readonly authorizeAny: (operation: AclOperation, resourceType: ResourceType) => boolean;
  /**
   * Kafka's AuthHelper.authorizedOperations: a bit (1 << code) for each operation the resource type
   * supports that the principal may do on the resource; without an authorizer, all of them.
   */
  readonly authorizedOperations: (resourceType: ResourceType, name: string) => number;
}

type Response<K extends ApiKey> = ApiMessages[K]['response'];

/** Answers one API's requests; null means "send no response" (Produce with acks=0). */
export type Handler<K extends ApiKey> = (
  request: ApiMessages[K]['request'],
  ctx: RequestContext,
) => Promise<Response<K> | null> | Response<K> | null;

/**
 * One API the broker answers: the versions its handler serves (pinned beside it, as franz-go's
 * kfake registers each key with its min and max), the codecs its requests and responses need, and
 * what answers them.
 */
export interface ServedApi<K extends ApiKey> {
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly codec: ApiCodec<ApiMessages[K]['request'], Response<K>>;
  readonly handle: Handler<K>;
}

/**
 * A handler behind one authorization of the whole request (Kafka's KafkaApis checks these first):
 * `check` names the operation and resource the request needs; refused, the request is answered
 * by `denied` and the handler never runs.
 */
export function authorized<K extends ApiKey>(
  check: (request: ApiMessages[K]['request']) => [AclOperation, ResourceType, string],
  denied: (request: ApiMessages[K]['request']) => Response<K>,
  handle: Handler<K>,
): Handler<K> {
  return (request, ctx) => (ctx.authorize(...check(request)) ? handle(request, ctx) : denied(request));
}

/** The APIs the broker serves; only these are advertised in ApiVersions, and only their codecs are loaded. */
export type HandlerTable = { [K in ApiKey]?: ServedApi<K> };

/** The versions of `apiKey` the broker serves: its handler's range within the generated codecs'. */
export function servedVersions(handlers: HandlerTable, apiKey: ApiKey): { minVersion: number; maxVersion: number } | undefined {
  const served = handlers[apiKey];
  if (served === undefined) return undefined;
  const api = API_INFO[apiKey];
  const minVersion = Math.max(served.minVersion, api.minVersion);
  const maxVersion = Math.min(served.maxVersion, api.maxVersion);
  return minVersion <= maxVersion ? { minVersion, maxVersion } : undefined;
}
