/**
 * Signed zig-zag varints (protobuf sint32/sint64) as records inside v2 batches use them. These are
 * not the protocol's unsigned varints (primitives/reader.ts): -1 is `01` here, not `ff ff ff ff 0f`.
 */
import { ProtocolError } from '../primitives/protocol-error.js';

/** Read position over a buffer; the primitives Reader has this shape. */
export interface Cursor {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;
}

function truncated(p: number): ProtocolError {
  return new ProtocolError('TRUNCATED', `varint runs past the end at offset ${p}`);
}

/** At most 5 bytes; the fifth may only carry the top 4 bits of 32. */
export function readVarint(c: Cursor): number {
  const { buf, end } = c;
  let p = c.pos;
  let raw = 0;
  for (let shift = 0; ; shift += 7) {
    if (p >= end) throw truncated(p);
    const byte = buf[p++]!;
    if (shift === 28 && byte > 0x0f) {
      throw new ProtocolError('INVALID_VARINT', `varint longer than 32 bits at offset ${c.pos}`);
    }
    raw |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      c.pos = p;
      return (raw >>> 1) ^ -(raw & 1);
    }
  }
}

/**
 * At most 10 bytes; the tenth may only carry the top bit of 64. Values below 2^49 (every
 * realistic timestamp delta) are summed as numbers; only longer encodings touch bigint math.
 */
export function readVarlong(c: Cursor): bigint {
  const { buf, end } = c;
  let p = c.pos;
  let low = 0;
  for (let i = 0; i < 7; i++) {
    if (p >= end) throw truncated(p);
    const byte = buf[p++]!;
    low += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      c.pos = p;
      return BigInt(low % 2 === 0 ? low / 2 : -(low + 1) / 2);
    }
  }
  let raw = BigInt(low);
  for (let i = 7; ; i++) {
    if (p >= end) throw truncated(p);
    const byte = buf[p++]!;
    if (i === 9 && byte > 0x01) {
      throw new ProtocolError('INVALID_VARINT', `varlong longer than 64 bits at offset ${c.pos}`);
    }
    raw |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if (byte < 0x80) {
      c.pos = p;
      return (raw >> 1n) ^ -(raw & 1n);
    }
  }
}

function zigzag32(v: number): number {
  return ((v << 1) ^ (v >> 31)) >>> 0;
}

export function sizeOfVarint(v: number): number {
  const z = zigzag32(v);
  return z < 0x80 ? 1 : z < 0x4000 ? 2 : z < 0x200000 ? 3 : z < 0x10000000 ? 4 : 5;
}

/** Writes `v` (an int32) at `pos`; returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, v: number): number {
  let z = zigzag32(v);
  while (z >= 0x80) {
    buf[pos++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  buf[pos++] = z;
  return pos;
}

function zigzag64(v: bigint): bigint {
  return BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
}

function fitsInt32(v: bigint): boolean {
  return v >= -0x80000000n && v <= 0x7fffffffn;
}

export function sizeOfVarlong(v: bigint): number {
  // An int32's zig-zag form is the same in 32 and 64 bits.
  if (fitsInt32(v)) return sizeOfVarint(Number(v));
  let z = zigzag64(v);
  let n = 1;
  while (z >= 0x80n) {
    z >>= 7n;
    n++;
  }
  return n;
}

export function writeVarlong(buf: Buffer, pos: number, v: bigint): number {
  if (fitsInt32(v)) return writeVarint(buf, pos, Number(v));
  let z = zigzag64(v);
  while (z >= 0x80n) {
    buf[pos++] = Number(z & 0x7fn) | 0x80;
    z >>= 7n;
  }
  buf[pos++] = Number(z);
  return pos;
}
