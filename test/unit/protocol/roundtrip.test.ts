import { describe, expect, it } from 'vitest';
import { APIS } from '../../../src/protocol/generated/apis.js';
import { fileName } from '../../../generator/naming.js';
import type { MessageSpec } from '../../../generator/schema.js';
import { Reader } from '../../../src/protocol/primitives/reader.js';
import { Writer } from '../../../src/protocol/primitives/writer.js';
import { randomStruct, rng } from './schema-values.js';
import { messageSpecs, versionsOf } from './schemas.js';

type Encode = (w: Writer, m: unknown, v: number) => void;
type Decode = (r: Reader, v: number) => unknown;

const SAMPLES = 6;

/** decode(encode(x)) deep-equals x, consumes every byte, and re-encoding gives the same bytes. */
function checkRoundTrip(spec: MessageSpec, encode: Encode, decode: Decode): void {
  for (const v of versionsOf(spec)) {
    for (let seed = 0; seed < SAMPLES; seed++) {
      const value = randomStruct(spec.root, v, rng(seed * 1000 + v));
      const w = new Writer(32);
      encode(w, value, v);
      const bytes = w.toBuffer();
      const r = new Reader(bytes);
      const back = decode(r, v);
      expect(back, `${spec.name} v${v} seed ${seed}`).toEqual(value);
      expect(r.remaining, `${spec.name} v${v} leftover bytes`).toBe(0);
      const again = new Writer();
      encode(again, back, v);
      expect(again.toBuffer().equals(bytes), `${spec.name} v${v} re-encoding`).toBe(true);
    }
  }
}

const messages = messageSpecs('messages');

describe('every API key, version, request and response round-trips', () => {
  const apis = Object.values(APIS);
  it('covers 88 API keys, 0 to 87', () => {
    expect(apis.map((a) => a.apiKey)).toEqual(Array.from({ length: 88 }, (_, i) => i));
  });
  for (const api of apis) {
    it(`${api.apiKey} ${api.name} v${api.minVersion}-${api.maxVersion}`, () => {
      const find = (type: string) => messages.find((m) => m.apiKey === api.apiKey && m.type === type)!;
      checkRoundTrip(find('request'), api.encodeRequest as Encode, api.decodeRequest);
      checkRoundTrip(find('response'), api.encodeResponse as Encode, api.decodeResponse);
    });
  }
});

describe('headers, data and internal record schemas round-trip', () => {
  const cases: [string, MessageSpec][] = [
    ...messages.filter((m) => m.type === 'header').map((m): [string, MessageSpec] => ['headers', m]),
    ...messages.filter((m) => m.type === 'data').map((m): [string, MessageSpec] => [`data/${fileName(m.name)}`, m]),
    ...(['group-coordinator', 'transaction-coordinator'] as const).flatMap((dir) =>
      messageSpecs(dir).map((m): [string, MessageSpec] => [`${dir}/${fileName(m.name)}`, m]),
    ),
  ];
  for (const [module, spec] of cases) {
    it(spec.name, async () => {
      const url = new URL(`../../../src/protocol/generated/${module}.ts`, import.meta.url).href;
      const mod = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
      checkRoundTrip(spec, mod[`encode${spec.name}`] as Encode, mod[`decode${spec.name}`] as Decode);
    });
  }
});
