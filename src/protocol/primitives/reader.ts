import { ProtocolError } from './protocol-error.js';

/** Decodes one element of an array; generated struct decoders have this shape. */
export type ReadFn<T> = (r: Reader, version: number) => T;

const MAX_STRING_BYTES = 0x7fff;

/**
 * Bounds-checked cursor over a frame. Every read checks that its bytes exist before touching or
 * allocating anything, so hostile lengths fail with a ProtocolError (cf. CVE-2022-34917).
 * `bytes` and `records` are zero-copy views: they keep the frame's memory alive.
 */
export class Reader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Claims `n` bytes and returns where they start. */
  private take(n: number): number {
    const p = this.pos;
    if (n > this.end - p) {
      throw new ProtocolError('TRUNCATED', `need ${n} bytes at offset ${p}, only ${this.end - p} left`);
    }
    this.pos = p + n;
    return p;
  }

  int8(): number {
    const p = this.take(1);
    return (this.buf[p]! << 24) >> 24;
  }

  bool(): boolean {
    return this.buf[this.take(1)] !== 0;
  }

  int16(): number {
    const p = this.take(2);
    const b = this.buf;
    return (((b[p]! << 8) | b[p + 1]!) << 16) >> 16;
  }

  uint16(): number {
    const p = this.take(2);
    return (this.buf[p]! << 8) | this.buf[p + 1]!;
  }

  int32(): number {
    const p = this.take(4);
    const b = this.buf;
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.take(8));
  }

  float64(): number {
    return this.buf.readDoubleBE(this.take(8));
  }

  uuid(): string {
    const p = this.take(16);
    return this.buf.toString('base64url', p, p + 16);
  }

  /** Unsigned LEB128, at most 5 bytes and 32 bits. */
  uvarint(): number {
    const b = this.buf;
    let p = this.pos;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (p >= this.end) throw new ProtocolError('TRUNCATED', `varint runs past the end at offset ${p}`);
      const byte = b[p++]!;
      if (shift === 28 && byte > 0x0f) break;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) {
        this.pos = p;
        return value;
      }
    }
    throw new ProtocolError('INVALID_VARINT', `unsigned varint longer than 32 bits at offset ${this.pos}`);
  }

  private utf8(length: number): string {
    if (length > MAX_STRING_BYTES) {
      throw new ProtocolError('INVALID_LENGTH', `string length ${length} exceeds ${MAX_STRING_BYTES}`);
    }
    const p = this.take(length);
    return this.buf.toString('utf8', p, p + length);
  }

  private view(length: number): Buffer {
    const p = this.take(length);
    return this.buf.subarray(p, p + length);
  }

  /** Classic int16 length: -1 means null, other negatives are invalid. */
  private classicLength(length: number, nullable: boolean): number {
    if (length >= 0) return length;
    if (length === -1) {
      if (nullable) return -1;
      throw new ProtocolError('NULL_NOT_ALLOWED', `null at offset ${this.pos} where a value is required`);
    }
    throw new ProtocolError('INVALID_LENGTH', `negative length ${length} at offset ${this.pos}`);
  }

  /** Compact uvarint N+1 length: 0 means null. */
  private compactLength(nullable: boolean): number {
    const n = this.uvarint() - 1;
    if (n === -1 && !nullable) {
      throw new ProtocolError('NULL_NOT_ALLOWED', `null at offset ${this.pos} where a value is required`);
    }
    return n;
  }

  string(): string {
    return this.utf8(this.classicLength(this.int16(), false));
  }

  nullableString(): string | null {
    const n = this.classicLength(this.int16(), true);
    return n < 0 ? null : this.utf8(n);
  }

  compactString(): string {
    return this.utf8(this.compactLength(false));
  }

  compactNullableString(): string | null {
    const n = this.compactLength(true);
    return n < 0 ? null : this.utf8(n);
  }

  bytes(): Buffer {
    return this.view(this.classicLength(this.int32(), false));
  }

  nullableBytes(): Buffer | null {
    const n = this.classicLength(this.int32(), true);
    return n < 0 ? null : this.view(n);
  }

  compactBytes(): Buffer {
    return this.view(this.compactLength(false));
  }

  compactNullableBytes(): Buffer | null {
    const n = this.compactLength(true);
    return n < 0 ? null : this.view(n);
  }

  private elements<T>(count: number, read: ReadFn<T>, version: number): T[] {
    // Every element takes at least one byte, so a count beyond the remaining bytes is a lie.
    if (count > this.end - this.pos) {
      throw new ProtocolError('INVALID_LENGTH', `array of ${count} elements with ${this.end - this.pos} bytes left`);
    }
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(read(this, version));
    return out;
  }

  array<T>(read: ReadFn<T>, version: number): T[] {
    return this.elements(this.classicLength(this.int32(), false), read, version);
  }

  nullableArray<T>(read: ReadFn<T>, version: number): T[] | null {
    const n = this.classicLength(this.int32(), true);
    return n < 0 ? null : this.elements(n, read, version);
  }

  compactArray<T>(read: ReadFn<T>, version: number): T[] {
    return this.elements(this.compactLength(false), read, version);
  }

  compactNullableArray<T>(read: ReadFn<T>, version: number): T[] | null {
    const n = this.compactLength(true);
    return n < 0 ? null : this.elements(n, read, version);
  }

  /** A nullable struct outside the tagged section is preceded by an int8: negative = null. */
  nullableStruct<T>(read: ReadFn<T>, version: number): T | null {
    return this.int8() < 0 ? null : read(this, version);
  }

  /** Reads a tagged field's size and returns where its payload ends. */
  taggedFieldEnd(): number {
    const size = this.uvarint();
    if (size > this.end - this.pos) {
      throw new ProtocolError('TRUNCATED', `tagged field of ${size} bytes with ${this.end - this.pos} left`);
    }
    return this.pos + size;
  }

  /** A known tagged field must fill exactly the size it declared. */
  endTaggedField(end: number): void {
    if (this.pos !== end) {
      throw new ProtocolError('INVALID_TAGGED_FIELD', `tagged field ends at ${this.pos}, declared end ${end}`);
    }
  }

  /** Skips a whole tagged-field section (a struct with no tags known at this version). */
  skipTaggedFields(): void {
    for (let n = this.uvarint(); n > 0; n--) {
      this.uvarint();
      this.pos = this.taggedFieldEnd();
    }
  }
}

export const readInt8: ReadFn<number> = (r) => r.int8();
export const readInt32: ReadFn<number> = (r) => r.int32();
export const readInt64: ReadFn<bigint> = (r) => r.int64();
export const readUuid: ReadFn<string> = (r) => r.uuid();
export const readString: ReadFn<string> = (r) => r.string();
export const readCompactString: ReadFn<string> = (r) => r.compactString();
