import type { ApiKey, ApiMessages } from '../../protocol/generated/apis.js';
import type { RequestHeader } from '../../protocol/generated/headers.js';
import type { ConnectionInfo } from '../network/connection.js';

export interface RequestContext {
  readonly apiVersion: number;
  readonly header: RequestHeader;
  readonly connection: ConnectionInfo;
}

type Response<K extends ApiKey> = ApiMessages[K]['response'];

/** Answers one API's requests; null means "send no response" (Produce with acks=0). */
export type Handler<K extends ApiKey> = (
  request: ApiMessages[K]['request'],
  ctx: RequestContext,
) => Promise<Response<K> | null> | Response<K> | null;

/** The APIs the broker serves; only these are advertised in ApiVersions. */
export type HandlerTable = { [K in ApiKey]?: Handler<K> };
