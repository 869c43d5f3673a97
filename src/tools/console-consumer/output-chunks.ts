import type { ConsumedRecord } from '../common/consumed-record.js';

/** Strings up to this length are copied byte by byte when ASCII: cheaper than an encoder call. */
const SHORT_TEXT = 32;
const MIN_CAPACITY = 4096;
const EMPTY = Buffer.alloc(0);

/**
 * Output of one fetched batch, built in memory and written once: text (UTF-8) and raw record
 * bytes are copied into one growing buffer, so binary data passes unchanged and a record costs
 * no allocation of its own.
 */
export class OutputChunks {
  private buf: Buffer;
  private length = 0;

  /** `capacity`: the expected size, to avoid growing (a fetch's size is a good guess). */
  constructor(capacity = MIN_CAPACITY) {
    this.buf = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, capacity));
  }

  text(part: string): void {
    const n = part.length;
    this.reserve(n * 3);
    if (n <= SHORT_TEXT) {
      const { buf } = this;
      let at = this.length;
      let i = 0;
      for (; i < n; i++) {
        const c = part.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at++] = c;
      }
      if (i === n) {
        this.length = at;
        return;
      }
    }
    this.length += this.buf.write(part, this.length, 'utf8');
  }

  bytes(part: Uint8Array): void {
    this.reserve(part.length);
    this.buf.set(part, this.length);
    this.length += part.length;
  }

  get empty(): boolean {
    return this.length === 0;
  }

  /** Everything added so far; the chunks start empty afresh (the result is not reused). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = EMPTY;
    this.length = 0;
    return out;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, this.buf.length * 2, this.length + bytes));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }
}

/** Renders one record into the batch output. */
export type RecordFormatter = (record: ConsumedRecord, out: OutputChunks) => void;
