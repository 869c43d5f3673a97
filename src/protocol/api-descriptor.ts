import type { Reader } from './primitives/reader.js';
import type { Writer } from './primitives/writer.js';

/** Server roles that accept an API (`listeners` in the request schema). */
export type Listener = 'zkBroker' | 'broker' | 'controller';

/** What the schemas say about one API key, without its codecs. */
export interface ApiInfo {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First version using compact encodings and tagged fields, or null when none does. */
  readonly flexibleFrom: number | null;
  /** The highest version is still in development (left out of ApiVersions by default). */
  readonly latestVersionUnstable: boolean;
  readonly listeners: readonly Listener[];
}

/**
 * The generated codecs of one API's request and response bodies. Each API module exports its own,
 * so a program that serves a few APIs (the broker) loads only their code.
 */
export interface ApiCodec<Req = unknown, Res = unknown> {
  encodeRequest(w: Writer, m: Req, v: number): void;
  decodeRequest(r: Reader, v: number): Req;
  encodeResponse(w: Writer, m: Res, v: number): void;
  decodeResponse(r: Reader, v: number): Res;
}

export type ApiDescriptor<Req = unknown, Res = unknown> = ApiInfo & ApiCodec<Req, Res>;
