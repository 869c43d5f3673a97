import type { ApiCodec } from './api-descriptor.js';
import { isApiKey } from './api-keys.js';
import { API_INFO, type ApiKey } from './generated/api-info.js';
import type { ApiMessages } from './generated/apis.js';
import { decodeRequestHeader, encodeResponseHeader, type RequestHeader } from './generated/headers.js';
import { requestHeaderVersion, responseHeaderVersion, UnsupportedRequestError } from './header.js';
import { ProtocolError } from './primitives/protocol-error.js';
import { Reader } from './primitives/reader.js';
import { Writer } from './primitives/writer.js';

/** A decoded request; switching on `apiKey` narrows `body` to that API's request type. */
export type DecodedRequest = {
  [K in ApiKey]: {
    readonly apiKey: K;
    readonly apiVersion: number;
    readonly header: RequestHeader;
    readonly body: ApiMessages[K]['request'];
  };
}[ApiKey];

/** How a server answers one API: its codecs and the versions it serves (within those the codecs cover). */
export interface ServedCodec {
  readonly codec: ApiCodec;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** The APIs a server answers; undefined for any other key. */
export type CodecLookup = (apiKey: ApiKey) => ServedCodec | undefined;

/**
 * Decodes one request frame (without its size prefix) with the codecs of the APIs this server
 * answers. The header is read first, so an API key it does not answer, or a version it does not
 * serve, fails with an UnsupportedRequestError that still carries the header.
 */
export function decodeServedRequest(frame: Buffer, codecOf: CodecLookup): DecodedRequest {
  const r = new Reader(frame);
  const apiKey = r.int16();
  const apiVersion = r.int16();
  r.pos = 0;
  const header = decodeRequestHeader(r, requestHeaderVersion(apiKey, apiVersion));
  if (!isApiKey(apiKey)) throw new UnsupportedRequestError('UNKNOWN_API_KEY', `unknown api key ${apiKey}`, header);
  const info = API_INFO[apiKey];
  const served = codecOf(apiKey);
  if (!served) throw new UnsupportedRequestError('UNKNOWN_API_KEY', `${info.name} is not supported by this server`, header);
  if (apiVersion < served.minVersion || apiVersion > served.maxVersion) {
    const message = `${info.name} v${apiVersion} is not supported (${served.minVersion}-${served.maxVersion})`;
    throw new UnsupportedRequestError('UNSUPPORTED_VERSION', message, header);
  }
  return { apiKey, apiVersion, header, body: served.codec.decodeRequest(r, apiVersion) } as DecodedRequest;
}

/** A size-prefixed response frame as chunks, ready for `socket.cork()` + writes (large records are not copied). */
export function encodeServedResponse(codec: ApiCodec, apiKey: ApiKey, version: number, correlationId: number, body: unknown): Buffer[] {
  checkVersion(apiKey, version);
  const w = new Writer();
  w.int32(0);
  encodeResponseHeader(w, { correlationId }, responseHeaderVersion(apiKey, version));
  codec.encodeResponse(w, body, version);
  return sizePrefixed(w);
}

export function checkVersion(apiKey: ApiKey, version: number): void {
  const api = API_INFO[apiKey];
  if (version < api.minVersion || version > api.maxVersion) {
    throw new ProtocolError('UNSUPPORTED_VERSION', `${api.name} v${version} does not exist`);
  }
}

/** Backfills the int32 size prefix reserved at the start of the first chunk. */
export function sizePrefixed(w: Writer): Buffer[] {
  const size = w.length - 4;
  const chunks = w.finish();
  chunks[0]!.writeInt32BE(size, 0);
  return chunks;
}
