import { ProtocolError } from './protocol-error.js';
import { isUuid } from './uuid.js';

/** Encodes one element of an array; generated struct encoders have this shape. */
export type WriteFn<T> = (w: Writer, value: T, version: number) => void;

const MAX_STRING_BYTES = 0x7fff;
/** Byte strings at least this long become their own output chunk instead of being copied. */
const ZERO_COPY_MIN = 1024;
const MAX_CHUNK = 1 << 20;

/**
 * Append-only encoder producing a list of chunks for `socket.writev`/`cork`: small fields are
 * packed into growing scratch buffers, large byte strings (record batches) are passed through
 * untouched. Nothing is ever copied twice.
 */
export class Writer {
  private buf: Buffer;
  /** Start of the part of `buf` not yet moved to `chunks`. */
  private start = 0;
  private pos = 0;
  private flushed = 0;
  private readonly chunks: Buffer[] = [];

  constructor(initialCapacity = 512) {
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.flushed + this.pos - this.start;
  }

  private ensure(n: number): void {
    if (n > this.buf.length - this.pos) {
      this.flush();
      this.buf = Buffer.allocUnsafe(Math.max(n, Math.min(this.buf.length * 2, MAX_CHUNK)));
      this.start = this.pos = 0;
    }
  }

  private flush(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos));
      this.flushed += this.pos - this.start;
      this.start = this.pos;
    }
  }

  /** The encoded bytes, in order. The writer must not be used afterwards. */
  finish(): Buffer[] {
    this.flush();
    return this.chunks;
  }

  /** The encoded bytes as one buffer (copies when there is more than one chunk). */
  toBuffer(): Buffer {
    const chunks = this.finish();
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.flushed);
  }

  int8(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value & 0xff;
  }

  bool(value: boolean): void {
    this.int8(value ? 1 : 0);
  }

  int16(value: number): void {
    this.ensure(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = (value >>> 8) & 0xff;
    b[p + 1] = value & 0xff;
    this.pos = p + 2;
  }

  uint16(value: number): void {
    this.int16(value);
  }

  int32(value: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = (value >>> 24) & 0xff;
    b[p + 1] = (value >>> 16) & 0xff;
    b[p + 2] = (value >>> 8) & 0xff;
    b[p + 3] = value & 0xff;
    this.pos = p + 4;
  }

  int64(value: bigint): void {
    this.ensure(8);
    this.pos = this.buf.writeBigInt64BE(value, this.pos);
  }

  float64(value: number): void {
    this.ensure(8);
    this.pos = this.buf.writeDoubleBE(value, this.pos);
  }

  uuid(value: string): void {
    if (!isUuid(value)) throw new ProtocolError('INVALID_VALUE', `not a Kafka UUID: ${JSON.stringify(value)}`);
    this.ensure(16);
    this.pos += this.buf.write(value, this.pos, 16, 'base64url');
  }

  uvarint(value: number): void {
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    while (value >= 0x80) {
      b[p++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    b[p++] = value;
    this.pos = p;
  }

  private utf8(value: string, compact: boolean): void {
    const n = Buffer.byteLength(value, 'utf8');
    if (n > MAX_STRING_BYTES) {
      throw new ProtocolError('INVALID_VALUE', `string of ${n} bytes exceeds ${MAX_STRING_BYTES}`);
    }
    if (compact) this.uvarint(n + 1);
    else this.int16(n);
    this.ensure(n);
    this.pos += this.buf.write(value, this.pos, n, 'utf8');
  }

  private raw(value: Buffer): void {
    if (value.length >= ZERO_COPY_MIN) {
      this.flush();
      this.chunks.push(value);
      this.flushed += value.length;
      return;
    }
    this.ensure(value.length);
    this.pos += value.copy(this.buf, this.pos);
  }

  string(value: string): void {
    this.utf8(value, false);
  }

  nullableString(value: string | null): void {
    if (value === null) this.int16(-1);
    else this.utf8(value, false);
  }

  compactString(value: string): void {
    this.utf8(value, true);
  }

  compactNullableString(value: string | null): void {
    if (value === null) this.uvarint(0);
    else this.utf8(value, true);
  }

  bytes(value: Buffer): void {
    this.int32(value.length);
    this.raw(value);
  }

  nullableBytes(value: Buffer | null): void {
    if (value === null) this.int32(-1);
    else this.bytes(value);
  }

  compactBytes(value: Buffer): void {
    this.uvarint(value.length + 1);
    this.raw(value);
  }

  compactNullableBytes(value: Buffer | null): void {
    if (value === null) this.uvarint(0);
    else this.compactBytes(value);
  }

  array<T>(items: readonly T[], write: WriteFn<T>, version: number): void {
    this.int32(items.length);
    for (const item of items) write(this, item, version);
  }

  nullableArray<T>(items: readonly T[] | null, write: WriteFn<T>, version: number): void {
    if (items === null) this.int32(-1);
    else this.array(items, write, version);
  }

  compactArray<T>(items: readonly T[], write: WriteFn<T>, version: number): void {
    this.uvarint(items.length + 1);
    for (const item of items) write(this, item, version);
  }

  compactNullableArray<T>(items: readonly T[] | null, write: WriteFn<T>, version: number): void {
    if (items === null) this.uvarint(0);
    else this.compactArray(items, write, version);
  }

  nullableStruct<T>(value: T | null, write: WriteFn<T>, version: number): void {
    if (value === null) {
      this.int8(-1);
    } else {
      this.int8(1);
      write(this, value, version);
    }
  }

  /** One entry of a tagged-field section: the payload is sized first, so it is encoded aside. */
  taggedField(tag: number, write: (w: Writer) => void): void {
    const payload = new Writer(64);
    write(payload);
    this.uvarint(tag);
    this.uvarint(payload.length);
    for (const chunk of payload.finish()) this.raw(chunk);
  }
}

export const writeInt8: WriteFn<number> = (w, x) => w.int8(x);
export const writeInt32: WriteFn<number> = (w, x) => w.int32(x);
export const writeInt64: WriteFn<bigint> = (w, x) => w.int64(x);
export const writeUuid: WriteFn<string> = (w, x) => w.uuid(x);
export const writeString: WriteFn<string> = (w, x) => w.string(x);
export const writeCompactString: WriteFn<string> = (w, x) => w.compactString(x);
