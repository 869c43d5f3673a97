import { describe, expect, it } from 'vitest';
import {
  decodeApiVersionsResponse,
  defaultApiVersionsResponse,
  encodeApiVersionsResponse,
} from '../../../src/protocol/generated/apis/api-versions.js';
import { defaultJoinGroupRequest, encodeJoinGroupRequest } from '../../../src/protocol/generated/apis/join-group.js';
import { defaultMetadataRequest, encodeMetadataRequest } from '../../../src/protocol/generated/apis/metadata.js';
import { defaultProduceRequest, encodeProduceRequest } from '../../../src/protocol/generated/apis/produce.js';
import { ProtocolError, type ProtocolErrorCode } from '../../../src/protocol/primitives/protocol-error.js';
import { Reader, readInt32 } from '../../../src/protocol/primitives/reader.js';
import { isUuid, randomUuid, ZERO_UUID } from '../../../src/protocol/primitives/uuid.js';
import { Writer } from '../../../src/protocol/primitives/writer.js';

function fails(code: ProtocolErrorCode, fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  expect((caught as ProtocolError).code).toBe(code);
}

const reader = (...bytes: number[]) => new Reader(Buffer.from(bytes));

describe('Reader', () => {
  it('reads big-endian integers, signed and unsigned', () => {
    const r = reader(0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xfd, 0x80, 0x00);
    expect([r.int8(), r.int16(), r.int32(), r.uint16()]).toEqual([-1, -2, -3, 0x8000]);
  });

  it('throws TRUNCATED, never RangeError, when bytes are missing', () => {
    fails('TRUNCATED', () => reader(1, 2, 3).int32());
    fails('TRUNCATED', () => reader(1).int64());
    fails('TRUNCATED', () => reader().bool());
    fails('TRUNCATED', () => reader(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).uuid());
  });

  it('decodes unsigned varints up to 32 bits and rejects longer ones', () => {
    expect(reader(0x00).uvarint()).toBe(0);
    expect(reader(0x80, 0x01).uvarint()).toBe(128);
    expect(reader(0xff, 0xff, 0xff, 0xff, 0x0f).uvarint()).toBe(0xffffffff);
    fails('INVALID_VARINT', () => reader(0xff, 0xff, 0xff, 0xff, 0x1f).uvarint());
    fails('INVALID_VARINT', () => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x01).uvarint());
    fails('TRUNCATED', () => reader(0x80).uvarint());
  });

  it('checks declared lengths against the remaining bytes before reading', () => {
    fails('TRUNCATED', () => reader(0x03, 0xe8, 0x61, 0x62).string());
    fails('TRUNCATED', () => reader(0x7f, 0xff, 0xff, 0xff, 1, 2).bytes());
    fails('INVALID_LENGTH', () => reader(0xff, 0xff, 0xff, 0xff, 0x0f).compactString());
    fails('INVALID_LENGTH', () => reader(0xff, 0xfe).nullableString());
    fails('INVALID_LENGTH', () => reader(0x3b, 0x9a, 0xca, 0x00, 0, 0).array(readInt32, 0));
    fails('INVALID_LENGTH', () => reader(0xff, 0xff, 0xff, 0xff, 0x0f).compactArray(readInt32, 0));
  });

  it('distinguishes null from empty and refuses null where the schema forbids it', () => {
    expect(reader(0xff, 0xff).nullableString()).toBeNull();
    expect(reader(0x00).compactNullableString()).toBeNull();
    expect(reader(0x01).compactString()).toBe('');
    fails('NULL_NOT_ALLOWED', () => reader(0xff, 0xff).string());
    fails('NULL_NOT_ALLOWED', () => reader(0x00).compactBytes());
    fails('NULL_NOT_ALLOWED', () => reader(0xff, 0xff, 0xff, 0xff).array(readInt32, 0));
  });

  it('returns byte strings as views of the frame, without copying', () => {
    const frame = Buffer.from([0, 0, 0, 3, 7, 8, 9]);
    const bytes = new Reader(frame).bytes();
    expect(bytes.buffer).toBe(frame.buffer);
    expect([...bytes]).toEqual([7, 8, 9]);
  });
});

describe('Writer', () => {
  it('passes large byte strings through as their own chunk and copies small ones', () => {
    const big = Buffer.alloc(4096, 1);
    const small = Buffer.from([1, 2, 3]);
    const w = new Writer(16);
    w.int32(7);
    w.bytes(big);
    w.compactBytes(small);
    w.int16(-1);
    const chunks = w.finish();
    expect(chunks).toContain(big);
    expect(chunks).not.toContain(small);
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(4 + 4 + 4096 + 1 + 3 + 2);
  });

  it('keeps bytes in order across buffer growth', () => {
    const w = new Writer(8);
    const expected: number[] = [];
    for (let i = 0; i < 1000; i++) {
      w.int32(i);
      expected.push(0, 0, (i >> 8) & 0xff, i & 0xff);
    }
    expect(w.length).toBe(4000);
    expect([...w.toBuffer()]).toEqual(expected);
  });

  it('writes varints and UUIDs that the reader reads back', () => {
    const w = new Writer();
    for (const n of [0, 1, 127, 128, 300, 2 ** 31, 0xffffffff]) w.uvarint(n);
    w.uuid(ZERO_UUID);
    w.uuid('AQIDBAUGBwgJCgsMDQ4PEA');
    const r = new Reader(w.toBuffer());
    expect([0, 1, 2, 3, 4, 5, 6].map(() => r.uvarint())).toEqual([0, 1, 127, 128, 300, 2 ** 31, 0xffffffff]);
    expect([r.uuid(), r.uuid()]).toEqual([ZERO_UUID, 'AQIDBAUGBwgJCgsMDQ4PEA']);
  });

  it('makes random ids in the wire form, distinct and never taken for an option', () => {
    const ids = Array.from({ length: 200 }, randomUuid);
    expect(new Set(ids).size).toBe(200);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(id.startsWith('-')).toBe(false);
    }
  });

  it('rejects values the wire cannot carry', () => {
    fails('INVALID_VALUE', () => new Writer().uuid('not-a-uuid'));
    fails('INVALID_VALUE', () => new Writer().string('x'.repeat(0x8000)));
  });
});

describe('generated codecs: version rules', () => {
  it('refuses a non-default value in a version that lacks a non-ignorable field', () => {
    const produce = { ...defaultProduceRequest(), transactionalId: 'txn' };
    fails('UNSUPPORTED_FIELD', () => encodeProduceRequest(new Writer(), produce, 2));
    expect(() => encodeProduceRequest(new Writer(), produce, 3)).not.toThrow();
  });

  it('drops an ignorable field silently', () => {
    const join = { ...defaultJoinGroupRequest(), reason: 'because' };
    const w = new Writer();
    encodeJoinGroupRequest(w, join, 7);
    const plain = new Writer();
    encodeJoinGroupRequest(plain, defaultJoinGroupRequest(), 7);
    expect(w.toBuffer()).toEqual(plain.toBuffer());
  });

  it('refuses null in a version where the field is not nullable', () => {
    fails('NULL_NOT_ALLOWED', () => encodeMetadataRequest(new Writer(), { ...defaultMetadataRequest(), topics: null }, 0));
  });

  it('skips unknown tagged fields and rejects known ones whose size is wrong', () => {
    const w = new Writer();
    encodeApiVersionsResponse(w, { ...defaultApiVersionsResponse(), throttleTimeMs: 5 }, 3);
    const plain = w.toBuffer();
    expect(plain[plain.length - 1]).toBe(0);
    const body = plain.subarray(0, plain.length - 1);
    // One unknown tag (99, 3 bytes), then ZkMigrationReady (tag 3) declared as 2 bytes but a bool is 1.
    const unknown = Buffer.concat([body, Buffer.from([1, 99, 3, 0xaa, 0xbb, 0xcc])]);
    expect(decodeApiVersionsResponse(new Reader(unknown), 3).throttleTimeMs).toBe(5);
    const badSize = Buffer.concat([body, Buffer.from([1, 3, 2, 1, 0])]);
    fails('INVALID_TAGGED_FIELD', () => decodeApiVersionsResponse(new Reader(badSize), 3));
    const known = Buffer.concat([body, Buffer.from([1, 3, 1, 1])]);
    expect(decodeApiVersionsResponse(new Reader(known), 3).zkMigrationReady).toBe(true);
  });
});
