import { APIS, type ApiKey } from './generated/apis.js';
import type { Reader } from './primitives/reader.js';
import type { Writer } from './primitives/writer.js';

/** Server roles that accept an API (`listeners` in the request schema). */
export type Listener = 'zkBroker' | 'broker' | 'controller';

/** One API key: its version range and the generated codecs of its request and response bodies. */
export interface ApiDescriptor<Req = unknown, Res = unknown> {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First version using compact encodings and tagged fields, or null when none does. */
  readonly flexibleFrom: number | null;
  /** The highest version is still in development (left out of ApiVersions by default). */
  readonly latestVersionUnstable: boolean;
  readonly listeners: readonly Listener[];
  encodeRequest(w: Writer, m: Req, v: number): void;
  decodeRequest(r: Reader, v: number): Req;
  encodeResponse(w: Writer, m: Res, v: number): void;
  decodeResponse(r: Reader, v: number): Res;
}

export function isApiKey(apiKey: number): apiKey is ApiKey {
  return Object.hasOwn(APIS, apiKey);
}

/** The descriptor for a key read off the wire, or undefined when no such API exists. */
export function apiDescriptor(apiKey: number): ApiDescriptor | undefined {
  return isApiKey(apiKey) ? (APIS[apiKey] as ApiDescriptor) : undefined;
}
