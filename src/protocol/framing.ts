import { apiDescriptor } from './api-descriptor.js';
import { APIS, type ApiKey, type ApiMessages } from './generated/apis.js';
import {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  type RequestHeader,
} from './generated/headers.js';
import { requestHeaderVersion, responseHeaderVersion, UnsupportedRequestError } from './header.js';
import { ProtocolError } from './primitives/protocol-error.js';
import { Reader } from './primitives/reader.js';
import { Writer } from './primitives/writer.js';

/** A decoded request; switching on `apiKey` narrows `body` to that API's request type. */
export type DecodedRequest = {
  [K in ApiKey]: { readonly apiKey: K; readonly apiVersion: number; readonly header: RequestHeader; readonly body: ApiMessages[K]['request'] };
}[ApiKey];

export interface DecodedResponse<K extends ApiKey> {
  readonly correlationId: number;
  readonly body: ApiMessages[K]['response'];
}

/**
 * Decodes one request frame (without its size prefix). The header is read first, so an unknown
 * API key or version fails with an UnsupportedRequestError that still carries the header.
 */
export function decodeRequest(frame: Buffer): DecodedRequest {
  const r = new Reader(frame);
  const apiKey = r.int16();
  const apiVersion = r.int16();
  r.pos = 0;
  const header = decodeRequestHeader(r, requestHeaderVersion(apiKey, apiVersion));
  const api = apiDescriptor(apiKey);
  if (!api) throw new UnsupportedRequestError('UNKNOWN_API_KEY', `unknown api key ${apiKey}`, header);
  if (apiVersion < api.minVersion || apiVersion > api.maxVersion) {
    const message = `${api.name} v${apiVersion} is not supported (${api.minVersion}-${api.maxVersion})`;
    throw new UnsupportedRequestError('UNSUPPORTED_VERSION', message, header);
  }
  return { apiKey, apiVersion, header, body: api.decodeRequest(r, apiVersion) } as DecodedRequest;
}

function checkVersion(apiKey: ApiKey, version: number): void {
  const api = APIS[apiKey];
  if (version < api.minVersion || version > api.maxVersion) {
    throw new ProtocolError('UNSUPPORTED_VERSION', `${api.name} v${version} does not exist`);
  }
}

/** Backfills the int32 size prefix reserved at the start of the first chunk. */
function sizePrefixed(w: Writer): Buffer[] {
  const size = w.length - 4;
  const chunks = w.finish();
  chunks[0]!.writeInt32BE(size, 0);
  return chunks;
}

/** A size-prefixed response frame as chunks, ready for `socket.cork()` + writes (large records are not copied). */
export function encodeResponse<K extends ApiKey>(
  apiKey: K,
  version: number,
  correlationId: number,
  body: ApiMessages[K]['response'],
): Buffer[] {
  checkVersion(apiKey, version);
  const w = new Writer();
  w.int32(0);
  encodeResponseHeader(w, { correlationId }, responseHeaderVersion(apiKey, version));
  APIS[apiKey].encodeResponse(w, body, version);
  return sizePrefixed(w);
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
