import { ATTR, BATCH, MAGIC_V2, computeBatchCrc, type CompressionName } from '../../protocol/records/batch-header.js';
import { compress, compressionCode } from '../../protocol/records/compression.js';
import { readRecord } from '../../protocol/records/record.js';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from '../../protocol/records/varint.js';
import { copyBytes } from '../../util/copy-bytes.js';
import type { DeliveryCallback, ProducerHeader } from './producer-record.js';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

function sizeOfTimestampDelta(delta: number): number {
  return delta >= INT32_MIN && delta <= INT32_MAX ? sizeOfVarint(delta) : sizeOfVarlong(BigInt(delta));
}

function writeTimestampDelta(buf: Buffer, pos: number, delta: number): number {
  return delta >= INT32_MIN && delta <= INT32_MAX ? writeVarint(buf, pos, delta) : writeVarlong(buf, pos, BigInt(delta));
}

/** An int64 field from a safe integer, without the BigInt writeBigInt64BE needs (a producer closes thousands of batches a second). */
function writeInt64(buf: Buffer, value: number, at: number): void {
  const high = Math.floor(value / 0x1_0000_0000);
  buf.writeInt32BE(high, at);
  buf.writeUInt32BE(value - high * 0x1_0000_0000, at + 4);
}

function byteLength(v: Buffer | string): number {
  return typeof v === 'string' ? Buffer.byteLength(v) : v.length;
}

function writeBytes(buf: Buffer, pos: number, v: Buffer | string | null, length: number): number {
  if (v === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, length);
  if (typeof v === 'string') return pos + buf.write(v, pos, 'utf8');
  // TypedArray#set skips Buffer#copy's argument handling, which shows with small values.
  buf.set(v, pos);
  return pos + length;
}

function headersSize(headers: readonly ProducerHeader[]): number {
  let size = sizeOfVarint(headers.length);
  for (const h of headers) {
    const keyLength = Buffer.byteLength(h.key);
    size += sizeOfVarint(keyLength) + keyLength;
    if (h.value === null) size += 1;
    else {
      const valueLength = byteLength(h.value);
      size += sizeOfVarint(valueLength) + valueLength;
    }
  }
  return size;
}

/** Upper bound of one record in its own batch (Kafka's estimateSizeInBytesUpperBound), for size checks. */
export function recordSizeUpperBound(
  key: Buffer | null,
  value: Buffer | string | null,
  headers: readonly ProducerHeader[] | undefined,
): number {
  return sizeUpperBound(key === null ? 0 : key.length, value === null ? 0 : byteLength(value), headers ? headersSize(headers) : 1);
}

/** recordSizeUpperBound from the key's and value's lengths and the headers' encoded size. */
export function sizeUpperBound(keyLength: number, valueLength: number, headersBytes: number): number {
  // length, attributes, timestamp and offset deltas at their widest, key and value lengths.
  return BATCH.HEADER_SIZE + 5 + 1 + 10 + 5 + 5 + keyLength + 5 + valueLength + headersBytes;
}

/**
 * One partition's batch being filled: records are encoded straight into `buf` behind room for the
 * v2 header, so appending allocates nothing per record. `close` compresses and fills the header;
 * `stamp` writes the producer id, epoch and sequence (again after an epoch bump) and the CRC.
 */
export class ProducerBatch {
  private buf: Buffer;
  private pos: number = BATCH.HEADER_SIZE;
  count = 0;
  private baseTimestamp = 0;
  private maxTimestamp = -1;
  /** Set once no further record fits. */
  full = false;
  /**
   * Each record's callback and timestamp (for its RecordMetadata), as runs: the records from
   * `runStarts[i]` up to the next run share `runCallbacks[i]` and `runTimestamps[i]`. A tool
   * sending with one callback makes a run per millisecond rather than two entries per record:
   * arrays grown record by record were a sixth of what a producer allocated, and they live, through
   * garbage collections, until the batch is answered.
   */
  private readonly runStarts: number[] = [];
  private readonly runCallbacks: DeliveryCallback[] = [];
  private readonly runTimestamps: number[] = [];
  /** The finished batch bytes once closed (drained); their CRC only once wire() is called. */
  encoded: Buffer | null = null;
  private crcValid = false;
  attempts = 0;
  /** When a retry may go out. */
  retryAtMs = 0;
  producerId = -1n;
  producerEpoch = -1;
  baseSequence = -1;
  /** Part of a transaction (KIP-98): its records count only once the transaction commits. */
  transactional = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    /** Bytes charged against buffer.memory. */
    readonly allocated: number,
    readonly createdMs: number,
    /** batch.size: the write limit. */
    private readonly writeLimit: number,
    /** Expected compressed/uncompressed size, margin included (1 without compression). */
    private readonly sizeFactor: number,
    /** `allocated` bytes to write into: a fresh buffer, or one a finished batch gave back. */
    buffer: Buffer = Buffer.allocUnsafe(allocated),
  ) {
    this.buf = buffer;
  }

  /**
   * The buffer the records were written into, for the next batch once this one's outcome is known
   * (nothing reads a finished batch's bytes again). Not the first buffer when the records outgrew it.
   */
  get buffer(): Buffer {
    return this.buf;
  }

  get closed(): boolean {
    return this.encoded !== null;
  }

  /** Records bytes written so far (uncompressed). */
  get recordsBytes(): number {
    return this.pos - BATCH.HEADER_SIZE;
  }

  /** What the batch will take on the wire, estimated before compression. */
  get estimatedSize(): number {
    return this.encoded !== null ? this.encoded.length : BATCH.HEADER_SIZE + Math.ceil(this.recordsBytes * this.sizeFactor);
  }

  /**
   * Appends one record, or returns -1 when it does not fit (the batch is then full). Returns the
   * bytes the record took. The first record always fits: the batch was sized for it.
   */
  tryAppend(
    timestamp: number,
    key: Buffer | null,
    value: Buffer | string | null,
    headers: readonly ProducerHeader[] | undefined,
    callback: DeliveryCallback,
  ): number {
    const keyLength = key === null ? -1 : key.length;
    const valueLength = value === null ? -1 : typeof value === 'string' ? Buffer.byteLength(value) : value.length;
    const timestampDelta = this.timestampDelta(timestamp);
    const body =
      1 +
      sizeOfTimestampDelta(timestampDelta) +
      sizeOfVarint(this.count) +
      (keyLength < 0 ? 1 : sizeOfVarint(keyLength) + keyLength) +
      (valueLength < 0 ? 1 : sizeOfVarint(valueLength) + valueLength) +
      (headers === undefined ? 1 : headersSize(headers));
    const size = this.reserve(body);
    if (size < 0) return -1;
    const buf = this.buf;
    let pos = this.writeRecordStart(body, timestampDelta);
    pos = writeBytes(buf, pos, key, keyLength);
    pos = writeBytes(buf, pos, value, valueLength);
    if (headers === undefined) buf[pos++] = 0;
    else {
      pos = writeVarint(buf, pos, headers.length);
      for (const h of headers) {
        pos = writeBytes(buf, pos, h.key, Buffer.byteLength(h.key));
        pos = writeBytes(buf, pos, h.value, h.value === null ? -1 : byteLength(h.value));
      }
    }
    this.commit(pos, timestamp, callback);
    return size;
  }

  /**
   * tryAppend of a record without key or headers whose value is `source[start, end)`, copied
   * without making a view of it (see NativeProducer.sendValue).
   */
  tryAppendValue(timestamp: number, source: Buffer, start: number, end: number, callback: DeliveryCallback): number {
    const length = end - start;
    const timestampDelta = this.timestampDelta(timestamp);
    const body = 1 + sizeOfTimestampDelta(timestampDelta) + sizeOfVarint(this.count) + 1 + sizeOfVarint(length) + length + 1;
    const size = this.reserve(body);
    if (size < 0) return -1;
    const buf = this.buf;
    let pos = this.writeRecordStart(body, timestampDelta);
    pos = writeVarint(buf, pos, -1);
    pos = writeVarint(buf, pos, length);
    copyBytes(source, start, end, buf, pos);
    pos += length;
    buf[pos++] = 0;
    this.commit(pos, timestamp, callback);
    return size;
  }

  /** The record's timestamp delta; the first record's timestamp is the batch's base. */
  private timestampDelta(timestamp: number): number {
    if (this.count === 0) this.baseTimestamp = timestamp;
    return timestamp - this.baseTimestamp;
  }

  /** The size of a record of `body` bytes, with room made for it; -1 when it does not fit (the batch is then full). */
  private reserve(body: number): number {
    const size = sizeOfVarint(body) + body;
    if (this.count > 0 && BATCH.HEADER_SIZE + (this.recordsBytes + size) * this.sizeFactor > this.writeLimit) {
      this.full = true;
      return -1;
    }
    if (this.pos + size > this.buf.length) this.grow(this.pos + size);
    return size;
  }

  /** Writes a record's length, attributes and deltas at the end of the records; returns where its key goes. */
  private writeRecordStart(body: number, timestampDelta: number): number {
    const buf = this.buf;
    let pos = writeVarint(buf, this.pos, body);
    buf[pos++] = 0;
    pos = writeTimestampDelta(buf, pos, timestampDelta);
    return writeVarint(buf, pos, this.count);
  }

  /** The record ending at `end` is written: counts it, with its callback and timestamp. */
  private commit(end: number, timestamp: number, callback: DeliveryCallback): void {
    const count = this.count;
    this.pos = end;
    this.count = count + 1;
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
    const runs = this.runStarts.length;
    if (runs === 0 || this.runCallbacks[runs - 1] !== callback || this.runTimestamps[runs - 1] !== timestamp) {
      this.runStarts.push(count);
      this.runCallbacks.push(callback);
      this.runTimestamps.push(timestamp);
    }
  }

  /** Calls `f` for each record in order, with its index in the batch, its callback and its timestamp. */
  forEachRecord(f: (index: number, callback: DeliveryCallback, timestamp: number) => void): void {
    const { runStarts, runCallbacks, runTimestamps } = this;
    for (let run = 0; run < runStarts.length; run++) {
      const end = run + 1 < runStarts.length ? runStarts[run + 1]! : this.count;
      const callback = runCallbacks[run]!;
      const timestamp = runTimestamps[run]!;
      for (let i = runStarts[run]!; i < end; i++) f(i, callback, timestamp);
    }
  }

  /** Compressed batches collect uncompressed records past their first buffer; Kafka's stream grows too. */
  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /**
   * The records again, in new batches of about `targetBytes` (a record larger than that alone),
   * keeping their timestamps, callbacks and this batch's creation time (delivery.timeout.ms still
   * counts from it). The parts are full: nothing more is appended to them.
   */
  split(targetBytes: number): ProducerBatch[] {
    const parts: ProducerBatch[] = [];
    const cursor = { buf: this.buf, pos: BATCH.HEADER_SIZE, end: this.pos };
    let part: ProducerBatch | undefined;
    this.forEachRecord((_, callback, timestamp) => {
      const { key, value, headers } = readRecord(cursor, 0n, 0n, null);
      if (part === undefined || part.tryAppend(timestamp, key, value, headers, callback) < 0) {
        part = new ProducerBatch(this.topic, this.partition, targetBytes, this.createdMs, targetBytes, 1);
        parts.push(part);
        part.tryAppend(timestamp, key, value, headers, callback);
      }
    });
    for (const p of parts) p.full = true;
    return parts;
  }

  /** Finishes the records (compressed as asked) and the header, except producer fields and CRC. */
  close(compression: CompressionName, level: number | undefined): void {
    let out: Buffer;
    if (compression === 'none') out = this.buf.subarray(0, this.pos);
    else {
      const body = compress(compression, this.buf.subarray(BATCH.HEADER_SIZE, this.pos), { level });
      out = Buffer.allocUnsafe(BATCH.HEADER_SIZE + body.length);
      body.copy(out, BATCH.HEADER_SIZE);
    }
    writeInt64(out, 0, BATCH.BASE_OFFSET);
    out.writeInt32BE(out.length - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
    out.writeInt32BE(-1, BATCH.PARTITION_LEADER_EPOCH);
    out.writeInt8(MAGIC_V2, BATCH.MAGIC);
    out.writeInt16BE(compressionCode(compression) & ATTR.COMPRESSION_MASK, BATCH.ATTRIBUTES);
    out.writeInt32BE(this.count - 1, BATCH.LAST_OFFSET_DELTA);
    writeInt64(out, this.baseTimestamp, BATCH.BASE_TIMESTAMP);
    writeInt64(out, this.maxTimestamp, BATCH.MAX_TIMESTAMP);
    out.writeInt32BE(this.count, BATCH.RECORDS_COUNT);
    this.encoded = out;
    this.stamp(this.producerId, this.producerEpoch, this.baseSequence, this.transactional);
  }

  /** The batch as it goes out: `encoded` with its CRC brought up to date. */
  wire(): Buffer {
    const out = this.encoded!;
    if (!this.crcValid) {
      out.writeUInt32BE(computeBatchCrc(out, 0, out.length), BATCH.CRC);
      this.crcValid = true;
    }
    return out;
  }

  /**
   * Sets the idempotence fields and the transactional flag. The CRC covers them: wire() computes
   * it, once, however often a drained batch is stamped before it is sent (close, then assign).
   */
  stamp(producerId: bigint, producerEpoch: number, baseSequence: number, transactional: boolean): void {
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    this.baseSequence = baseSequence;
    this.transactional = transactional;
    const out = this.encoded;
    if (out === null) return;
    const attributes = out.readInt16BE(BATCH.ATTRIBUTES);
    out.writeInt16BE(transactional ? attributes | ATTR.TRANSACTIONAL : attributes & ~ATTR.TRANSACTIONAL, BATCH.ATTRIBUTES);
    out.writeBigInt64BE(producerId, BATCH.PRODUCER_ID);
    out.writeInt16BE(producerEpoch, BATCH.PRODUCER_EPOCH);
    out.writeInt32BE(baseSequence, BATCH.BASE_SEQUENCE);
    this.crcValid = false;
  }
}
