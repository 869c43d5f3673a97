import { describe, expect, it } from 'vitest';
import { APIS } from '../../../src/protocol/generated/apis.js';
import { decodeRequest } from '../../../src/protocol/framing.js';
import { ProtocolError } from '../../../src/protocol/primitives/protocol-error.js';
import { Reader } from '../../../src/protocol/primitives/reader.js';
import { Writer } from '../../../src/protocol/primitives/writer.js';
import { randomStruct, rng } from './schema-values.js';
import { messageSpecs, versionsOf } from './schemas.js';

const BUDGET_MS = 2000;

interface Target {
  label: string;
  valid: Buffer;
  decode: (frame: Buffer) => unknown;
}

/** One valid encoding per API, version and direction, plus the decoder to attack with it. */
function targets(): Target[] {
  const out: Target[] = [];
  const next = rng(4242);
  for (const spec of messageSpecs('messages')) {
    if (spec.type !== 'request' && spec.type !== 'response') continue;
    const api = APIS[spec.apiKey as keyof typeof APIS];
    // A union of every API's encoder takes only what all of them take: this value fits the one picked.
    const encode = (spec.type === 'request' ? api.encodeRequest : api.encodeResponse) as (w: Writer, m: unknown, v: number) => void;
    const decode = spec.type === 'request' ? api.decodeRequest : api.decodeResponse;
    for (const v of versionsOf(spec)) {
      const w = new Writer();
      encode(w, randomStruct(spec.root, v, next), v);
      const label = `${spec.name} v${v}`;
      out.push({ label, valid: w.toBuffer(), decode: (b) => decode(new Reader(b), v) });
      if (spec.type === 'request') {
        const head = Buffer.alloc(8);
        head.writeInt16BE(spec.apiKey!, 0);
        head.writeInt16BE(v, 2);
        // Header v1 layout with an empty client id; flexible versions get a tagged-field byte.
        const flexible = api.flexibleFrom !== null && v >= api.flexibleFrom;
        const frame = Buffer.concat([head, Buffer.from(flexible ? [0] : []), w.toBuffer()]);
        out.push({ label: `frame ${label}`, valid: frame, decode: decodeRequest });
      }
    }
  }
  return out;
}

function mutate(valid: Buffer, next: () => number): Buffer {
  const b = Buffer.from(valid);
  const pick = (n: number) => Math.floor(next() * n);
  switch (pick(4)) {
    case 0:
      return b.subarray(0, pick(b.length + 1));
    case 1:
      for (let i = 0, n = 1 + pick(4); i < n && b.length; i++) b[pick(b.length)] = pick(256);
      return b;
    case 2:
      for (let i = 0, n = 1 + pick(3); i < n && b.length; i++) b[pick(b.length)] = [0x00, 0x7f, 0x80, 0xff][pick(4)]!;
      return b;
    default:
      return Buffer.from(Array.from({ length: pick(64) }, () => pick(256)));
  }
}

describe('decoders under random and mutated input', () => {
  it(`throw only ProtocolError within ${BUDGET_MS} ms`, () => {
    const all = targets();
    expect(all.length).toBeGreaterThan(400);
    const next = rng(1);
    const deadline = Date.now() + BUDGET_MS;
    let runs = 0;
    const unexpected: string[] = [];
    while (Date.now() < deadline && unexpected.length === 0) {
      for (const t of all) {
        const input = mutate(t.valid, next);
        try {
          t.decode(input);
        } catch (err) {
          if (!(err instanceof ProtocolError)) unexpected.push(`${t.label} ${input.toString('hex')}: ${String(err)}`);
        }
        runs++;
      }
    }
    expect(unexpected).toEqual([]);
    expect(runs).toBeGreaterThan(all.length);
  });
});
