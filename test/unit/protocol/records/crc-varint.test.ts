import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../src/protocol/primitives/protocol-error.js';
import { crc32, crc32c } from '../../../../src/protocol/records/crc.js';
import {
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
} from '../../../../src/protocol/records/varint.js';
import { xxhash32 } from '../../../../src/protocol/records/xxhash32.js';

const cursor = (bytes: number[] | Buffer) => {
  const buf = Buffer.from(bytes);
  return { buf, pos: 0, end: buf.length };
};

describe('checksums', () => {
  it('match the published check values', () => {
    const check = Buffer.from('123456789');
    expect(crc32c(check)).toBe(0xe3069283);
    expect(crc32(check)).toBe(0xcbf43926);
  });

  it('continue from an initial value', () => {
    const all = Buffer.from('hello, world');
    expect(crc32c(all.subarray(5), crc32c(all.subarray(0, 5)))).toBe(crc32c(all));
  });

  it('xxhash32 matches reference vectors', () => {
    expect(xxhash32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxhash32(Buffer.from('abc'))).toBe(0x32d153ff);
    // 16+ bytes takes the four-lane path.
    expect(xxhash32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });
});

describe('zig-zag varints', () => {
  it('encode the README examples', () => {
    const cases: [number, number[]][] = [
      [0, [0x00]],
      [-1, [0x01]],
      [1, [0x02]],
      [-2, [0x03]],
      [64, [0x80, 0x01]],
      [2147483647, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
      [-2147483648, [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ];
    for (const [n, bytes] of cases) {
      const buf = Buffer.alloc(5);
      expect(writeVarint(buf, 0, n)).toBe(bytes.length);
      expect([...buf.subarray(0, bytes.length)]).toEqual(bytes);
      expect(sizeOfVarint(n)).toBe(bytes.length);
      expect(readVarint(cursor(bytes))).toBe(n);
    }
  });

  it('round-trip every int32 and int64', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), (n) => {
        const buf = Buffer.alloc(5);
        const end = writeVarint(buf, 0, n);
        const c = { buf, pos: 0, end };
        expect(readVarint(c)).toBe(n);
        expect(c.pos).toBe(sizeOfVarint(n));
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const buf = Buffer.alloc(10);
        const end = writeVarlong(buf, 0, n);
        expect(end).toBe(sizeOfVarlong(n));
        expect(readVarlong({ buf, pos: 0, end })).toBe(n);
      }),
    );
  });

  it('round-trip the int64 extremes', () => {
    for (const n of [2n ** 63n - 1n, -(2n ** 63n), 2n ** 49n, -(2n ** 49n) - 1n]) {
      const buf = Buffer.alloc(10);
      const end = writeVarlong(buf, 0, n);
      expect(readVarlong({ buf, pos: 0, end })).toBe(n);
    }
  });

  it('reject encodings longer than 32 or 64 bits', () => {
    expect(() => readVarint(cursor([0xff, 0xff, 0xff, 0xff, 0x1f]))).toThrow(/longer than 32 bits/);
    expect(() => readVarint(cursor([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]))).toThrow(/longer than 32 bits/);
    expect(() => readVarlong(cursor([...Array(9).fill(0xff), 0x02]))).toThrow(/longer than 64 bits/);
    expect(() => readVarlong(cursor([...Array(10).fill(0x80), 0x00]))).toThrow(/longer than 64 bits/);
  });

  it('reject truncated input with a ProtocolError', () => {
    for (const read of [readVarint, readVarlong]) {
      expect(() => read(cursor([0x80, 0x80]))).toThrow(ProtocolError);
      expect(() => read(cursor([]))).toThrow(/past the end/);
    }
    // The end bound is honoured even when the buffer goes on.
    expect(() => readVarint({ buf: Buffer.from([0x80, 0x01]), pos: 0, end: 1 })).toThrow(/past the end/);
  });
});
