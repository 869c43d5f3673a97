/**
 * The records of a batch checked as their bytes arrive (a decompressor's output, chunk by chunk),
 * the way Kafka's LogValidator reads a compressed batch through a stream: the first record that
 * is malformed, too large or one too many stops the walk, so a small compressed payload cannot
 * make the broker inflate megabytes of garbage before saying no. Only the bytes of one record
 * that straddles two chunks are held back (copied).
 */
import { ErrorCode } from '../errors.js';
import { ProtocolError } from '../primitives/protocol-error.js';
import { RecordsError } from './errors.js';
import { type RecordSizeLimit, type RecordVisitor, skipRecords } from './record.js';

export interface RecordStreamOptions {
  /** The batch header's record count: exactly this many records must arrive. */
  count: number;
  /** Record i must have offset delta i (what producers send). */
  dense: boolean;
  limit: RecordSizeLimit;
  visit?: RecordVisitor;
}

/** A varint's byte length, or 0 when `buf` ends inside it. */
function varintLength(buf: Buffer, pos: number): number {
  for (let i = 0; i < 5 && pos + i < buf.length; i++) if (buf[pos + i]! < 0x80) return i + 1;
  return buf.length - pos >= 5 ? 5 : 0;
}

/** Throws ProtocolError (framing: callers map it to their error code) or RecordsError (a record too large). */
export class RecordStream {
  readonly #options: RecordStreamOptions;
  /** Records walked so far. */
  #walked = 0;
  /**
   * Bytes of the next record received so far (copied into one buffer reused from record to record:
   * a stream of 1 MB records must not allocate megabytes per record), and how many it needs (0:
   * its length prefix is not whole yet).
   */
  #held: Buffer = Buffer.alloc(0);
  #heldBytes = 0;
  #needed = 0;

  constructor(options: RecordStreamOptions) {
    this.#options = options;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.#heldBytes === 0) return this.#walk(chunk);
    if (this.#needed === 0) {
      // The held bytes end inside a length prefix: rare and tiny, so they go in front of the chunk.
      const data = Buffer.concat([this.#held.subarray(0, this.#heldBytes), chunk]);
      this.#heldBytes = 0;
      return this.#walk(data);
    }
    const take = Math.min(this.#needed - this.#heldBytes, chunk.length);
    this.#hold(chunk.subarray(0, take));
    if (this.#heldBytes < this.#needed) return;
    const { dense, visit, limit } = this.#options;
    skipRecords(this.#held, 0, this.#needed, 1, dense, visit, this.#walked, limit);
    this.#walked++;
    this.#heldBytes = this.#needed = 0;
    if (take < chunk.length) this.#walk(chunk.subarray(take));
  }

  /**
   * The last bytes: with what was held before, they must hold exactly the records still due. One
   * walk, without looking for record boundaries first (a batch whose records arrive whole).
   */
  pushLast(chunk: Buffer): void {
    const data = this.#heldBytes > 0 ? Buffer.concat([this.#held.subarray(0, this.#heldBytes), chunk]) : chunk;
    this.#heldBytes = this.#needed = 0;
    const { count, dense, visit, limit } = this.#options;
    skipRecords(data, 0, data.length, Math.max(0, count - this.#walked), dense, visit, this.#walked, limit);
    this.#walked = count;
  }

  /** All bytes are in: the count must have been reached exactly, with nothing left over. */
  end(): void {
    const { count } = this.#options;
    if (this.#heldBytes > 0 && this.#walked >= count) throw new ProtocolError('INVALID_LENGTH', `bytes left over after ${count} records`);
    if (this.#heldBytes > 0) throw new ProtocolError('TRUNCATED', `record ${this.#walked} of ${count} is cut short`);
    if (this.#walked !== count) throw new ProtocolError('TRUNCATED', `the batch declares ${count} records but holds ${this.#walked}`);
  }

  /** Walks the whole records in `data` and holds back the start of the next one; faults are reported in record order. */
  #walk(data: Buffer): void {
    let pos = 0;
    let complete = 0;
    let fault: Error | undefined;
    try {
      while (pos < data.length) {
        const total = this.#nextRecordSize(data, pos, this.#walked + complete);
        if (total === 0 || pos + total > data.length) {
          this.#needed = total;
          break;
        }
        pos += total;
        complete++;
      }
    } catch (err) {
      fault = err as Error;
    }
    const { dense, visit, limit } = this.#options;
    skipRecords(data, 0, pos, complete, dense, visit, this.#walked, limit);
    this.#walked += complete;
    if (fault) throw fault;
    if (pos < data.length) this.#hold(data.subarray(pos));
  }

  /** The size (length prefix included) of record `index` starting at `pos`; 0 when its length prefix is cut short. */
  #nextRecordSize(data: Buffer, pos: number, index: number): number {
    const { count, limit } = this.#options;
    const prefix = varintLength(data, pos);
    if (prefix === 0) return 0;
    const raw = readPrefix(data, pos, prefix);
    const size = (raw >>> 1) ^ -(raw & 1);
    if (size <= 0) throw new ProtocolError('INVALID_LENGTH', `invalid record length ${size} in record ${index}`);
    if (index >= count) throw new ProtocolError('INVALID_LENGTH', `bytes left over after ${count} records`);
    const total = prefix + size;
    if (total > limit.maxBytes) throw new RecordsError(ErrorCode.MESSAGE_TOO_LARGE, limit.tooLarge(index, total));
    return total;
  }

  /** A copy: the caller may reuse a chunk's memory once push returns. */
  #hold(bytes: Buffer): void {
    const size = this.#heldBytes + bytes.length;
    if (size > this.#held.length) {
      const grown = Buffer.allocUnsafe(Math.max(size, this.#needed, 2 * this.#held.length, 256));
      this.#held.copy(grown, 0, 0, this.#heldBytes);
      this.#held = grown;
    }
    bytes.copy(this.#held, this.#heldBytes);
    this.#heldBytes = size;
  }
}

/** The raw (zig-zag encoded) varint of `length` bytes at `pos`; more than 32 bits is refused. */
function readPrefix(buf: Buffer, pos: number, length: number): number {
  let raw = 0;
  for (let i = 0; i < length; i++) {
    const byte = buf[pos + i]!;
    if (i === 4 && byte > 0x0f) throw new ProtocolError('INVALID_VARINT', 'record length varint longer than 32 bits');
    raw |= (byte & 0x7f) << (7 * i);
  }
  return raw;
}
