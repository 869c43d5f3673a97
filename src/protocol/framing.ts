import type { ApiKey } from './generated/api-info.js';
import { APIS, type ApiMessages } from './generated/apis.js';
import { decodeResponseHeader, encodeRequestHeader } from './generated/headers.js';
import { requestHeaderVersion, responseHeaderVersion } from './header.js';
import { Reader } from './primitives/reader.js';
import { Writer } from './primitives/writer.js';
import { checkVersion, decodeServedRequest, encodeServedResponse, sizePrefixed, type DecodedRequest } from './server-framing.js';

export type { DecodedRequest } from './server-framing.js';

export interface DecodedResponse<K extends ApiKey> {
  readonly correlationId: number;
  readonly body: ApiMessages[K]['response'];
}

/** A size-prefixed request frame as chunks (client side: tests and kts tools). */
export function encodeRequest<K extends ApiKey>(
  apiKey: K,
  version: number,
  correlationId: number,
  clientId: string | null,
  body: ApiMessages[K]['request'],
): Buffer[] {
  checkVersion(apiKey, version);
  const w = new Writer();
  w.int32(0);
  const header = { requestApiKey: apiKey, requestApiVersion: version, correlationId, clientId };
  encodeRequestHeader(w, header, requestHeaderVersion(apiKey, version));
  APIS[apiKey].encodeRequest(w, body, version);
  return sizePrefixed(w);
}

/** Decodes a response frame (without its size prefix) to the request the caller sent. */
export function decodeResponse<K extends ApiKey>(apiKey: K, version: number, frame: Buffer): DecodedResponse<K> {
  checkVersion(apiKey, version);
  const r = new Reader(frame);
  const { correlationId } = decodeResponseHeader(r, responseHeaderVersion(apiKey, version));
  return { correlationId, body: APIS[apiKey].decodeResponse(r, version) };
}

/** decodeServedRequest for a peer that answers every API (test doubles, benchmarks). */
export function decodeRequest(frame: Buffer): DecodedRequest {
  return decodeServedRequest(frame, (apiKey) => {
    const api = APIS[apiKey];
    return { codec: api, minVersion: api.minVersion, maxVersion: api.maxVersion };
  });
}

/** encodeServedResponse with any API's codecs. */
export function encodeResponse<K extends ApiKey>(
  apiKey: K,
  version: number,
  correlationId: number,
  body: ApiMessages[K]['response'],
): Buffer[] {
  return encodeServedResponse(APIS[apiKey], apiKey, version, correlationId, body);
}
