/**
 * Magic v0/v1 message sets (Produce v0-2, Fetch v0-3): `int64 offset, int32 size, message`
 * repeated, each message `crc32, magic, attributes, [timestamp,] key, value` with a CRC-32 (IEEE)
 * from magic onwards. A compressed "wrapper" message holds a compressed message set as value.
 */
import { ErrorCode } from '../errors.js';
import { BATCH, type CompressionName } from './batch-header.js';
import { batchSizeAt } from './batch-iterator.js';
import { compress, compressionCode, compressionName, decompress } from './compression.js';
import { crc32 } from './crc.js';
import { RecordsError, readingRecords } from './errors.js';
import type { DecodeOptions, TimestampType } from './record-batch.js';
import { Reader } from '../primitives/reader.js';

export type LegacyMagic = 0 | 1;

export interface LegacyMessage {
  offset: bigint;
  magic: LegacyMagic;
  timestampType: TimestampType;
  /** -1 for magic 0, which has no timestamps. */
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  /** Codec of the wrapper the message came in, 'none' if it stood alone. */
  compression: CompressionName;
}

const CRC_AT = BATCH.LOG_OVERHEAD;
const ATTRIBUTES_AT = BATCH.MAGIC + 1;
const TIMESTAMP_TYPE_BIT = 0x08;
const NO_TIMESTAMP = -1n;

function corrupt(message: string): RecordsError {
  return new RecordsError(ErrorCode.CORRUPT_MESSAGE, message);
}

export interface LegacyDecodeOptions extends DecodeOptions {
  /** Fetch responses may end mid-message ('ignore'); Produce requests may not ('reject'). */
  partialTail: 'ignore' | 'reject';
}

/** Decodes a message set, flattening compressed wrappers into their messages with absolute offsets. */
export function decodeMessageSet(buf: Buffer, options: LegacyDecodeOptions): LegacyMessage[] {
  const out: LegacyMessage[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const size = batchSizeAt(buf, pos);
    if (size < 0) {
      if (options.partialTail === 'ignore') break;
      throw corrupt(`truncated message at offset ${pos}`);
    }
    decodeEntry(buf.subarray(pos, pos + size), options, out);
    pos += size;
  }
  return out;
}

interface Entry {
  offset: bigint;
  magic: LegacyMagic;
  attributes: number;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  /** The stored CRC-32, and whether the message's bytes match it. */
  crc: number;
  crcValid: boolean;
}

/** One stored magic 0/1 message as a tool shows it (kafka-dump-log): a CRC mismatch is reported, not thrown. */
export interface LegacyEntry extends Entry {
  timestampType: TimestampType;
  compression: CompressionName;
}

function readEntry(entry: Buffer): Entry {
  const magic = entry[BATCH.MAGIC]!;
  if (magic !== 0 && magic !== 1) throw new RecordsError(ErrorCode.INVALID_RECORD, `expected a magic 0 or 1 message, found magic ${magic}`);
  const crc = entry.readUInt32BE(CRC_AT);
  const r = new Reader(entry, ATTRIBUTES_AT);
  return readingRecords('malformed message', () => {
    const attributes = r.int8() & 0xff;
    const timestamp = magic === 1 ? r.int64() : NO_TIMESTAMP;
    const key = r.nullableBytes();
    const value = r.nullableBytes();
    if (r.remaining !== 0) throw corrupt('message size does not match its fields');
    return {
      offset: entry.readBigInt64BE(0),
      magic,
      attributes,
      timestamp,
      key,
      value,
      crc,
      crcValid: crc32(entry.subarray(BATCH.MAGIC)) === crc,
    };
  });
}

function parseEntry(entry: Buffer): Entry {
  const e = readEntry(entry);
  if (!e.crcValid) throw corrupt('message CRC mismatch');
  return e;
}

function timestampTypeOf(e: Entry): TimestampType {
  return e.magic === 1 && e.attributes & TIMESTAMP_TYPE_BIT ? 'LogAppendTime' : 'CreateTime';
}

/**
 * The messages of a stored entry: the entry itself, or those inside a compressed wrapper with
 * absolute offsets and, under LogAppendTime, the wrapper's timestamp.
 */
function entryMessages(wrapper: Entry, options: DecodeOptions, read: (inner: Buffer) => Entry): LegacyEntry[] {
  const codec = compressionName(wrapper.attributes & 0x07);
  const timestampType = timestampTypeOf(wrapper);
  if (codec === 'none') return [{ ...wrapper, timestampType, compression: codec }];
  if (codec === 'zstd') throw new RecordsError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, 'zstd needs magic 2');
  if (wrapper.value === null) throw corrupt('compressed message without a value');
  const inner = decompress(codec, wrapper.value, options.maxDecompressedBytes);
  const entries: Entry[] = [];
  for (let pos = 0; pos < inner.length; ) {
    const size = batchSizeAt(inner, pos);
    if (size < 0) throw corrupt('truncated message inside a compressed message');
    const e = read(inner.subarray(pos, pos + size));
    if (e.magic !== wrapper.magic) throw corrupt('inner message magic differs from its wrapper');
    if (e.attributes & 0x07) throw corrupt('nested compressed message');
    entries.push(e);
    pos += size;
  }
  // v1 inner offsets are relative and the wrapper holds the last absolute one. A wrapper offset
  // too small for that (0 from some old producers) leaves the inner offsets as they are.
  const last = entries[entries.length - 1];
  const shift = wrapper.magic === 1 && last ? wrapper.offset - last.offset : -1n;
  return entries.map((e) => ({
    ...e,
    offset: shift >= 0n ? shift + e.offset : e.offset,
    timestampType,
    timestamp: timestampType === 'LogAppendTime' ? wrapper.timestamp : e.timestamp,
    compression: codec,
  }));
}

function decodeEntry(entry: Buffer, options: DecodeOptions, out: LegacyMessage[]): void {
  for (const m of entryMessages(parseEntry(entry), options, parseEntry)) {
    out.push({
      offset: m.offset,
      magic: m.magic,
      timestampType: m.timestampType,
      timestamp: m.timestamp,
      key: m.key,
      value: m.value,
      compression: m.compression,
    });
  }
}

/**
 * One stored entry (a message, or a compressed wrapper) and its messages, CRCs reported rather
 * than enforced: what kafka-dump-log prints for magic 0/1 segments.
 */
export function inspectLegacyEntry(entry: Buffer, options: DecodeOptions): { wrapper: LegacyEntry; messages: LegacyEntry[] } {
  const wrapper = readEntry(entry);
  return {
    wrapper: { ...wrapper, timestampType: timestampTypeOf(wrapper), compression: compressionName(wrapper.attributes & 0x07) },
    messages: entryMessages(wrapper, options, readEntry),
  };
}

/** A message to encode; offsets are absolute. */
export interface LegacyMessageInput {
  offset: bigint;
  timestamp?: bigint;
  key?: Buffer | null;
  value?: Buffer | null;
}

export interface MessageSetInput {
  magic: LegacyMagic;
  messages: readonly LegacyMessageInput[];
  compression?: CompressionName;
  timestampType?: TimestampType;
}

function sizeOfBytes(b: Buffer | null | undefined): number {
  return 4 + (b?.length ?? 0);
}

function writeBytes(buf: Buffer, pos: number, b: Buffer | null | undefined): number {
  if (b == null) return buf.writeInt32BE(-1, pos);
  pos = buf.writeInt32BE(b.length, pos);
  return pos + b.copy(buf, pos);
}

function encodeEntry(
  magic: LegacyMagic,
  offset: bigint,
  attributes: number,
  timestamp: bigint,
  key: Buffer | null | undefined,
  value: Buffer | null | undefined,
): Buffer {
  const size = BATCH.MAGIC + 2 + (magic === 1 ? 8 : 0) + sizeOfBytes(key) + sizeOfBytes(value);
  const buf = Buffer.allocUnsafe(size);
  buf.writeBigInt64BE(offset, 0);
  buf.writeInt32BE(size - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  buf[BATCH.MAGIC] = magic;
  buf[ATTRIBUTES_AT] = attributes;
  let pos = ATTRIBUTES_AT + 1;
  if (magic === 1) pos = buf.writeBigInt64BE(timestamp, pos);
  pos = writeBytes(buf, pos, key);
  writeBytes(buf, pos, value);
  buf.writeUInt32BE(crc32(buf.subarray(BATCH.MAGIC)), CRC_AT);
  return buf;
}

/** Encodes messages as they appear in a log: one wrapper message when compressed. */
export function encodeMessageSet(input: MessageSetInput): Buffer {
  const { magic, messages } = input;
  const codec = input.compression ?? 'none';
  if (codec === 'zstd') throw new RecordsError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, 'zstd needs magic 2');
  const tsBit = magic === 1 && input.timestampType === 'LogAppendTime' ? TIMESTAMP_TYPE_BIT : 0;
  const timestampOf = (m: LegacyMessageInput): bigint => (magic === 1 ? (m.timestamp ?? NO_TIMESTAMP) : NO_TIMESTAMP);
  if (codec === 'none') {
    return Buffer.concat(messages.map((m) => encodeEntry(magic, m.offset, tsBit, timestampOf(m), m.key, m.value)));
  }
  const first = messages[0];
  const last = messages[messages.length - 1];
  if (!first || !last) return Buffer.alloc(0);
  const inner = messages.map((m) =>
    encodeEntry(magic, magic === 1 ? m.offset - first.offset : m.offset, 0, timestampOf(m), m.key, m.value),
  );
  const wrapped = compress(codec, Buffer.concat(inner), { legacyLz4Checksum: magic === 0 });
  let maxTimestamp = NO_TIMESTAMP;
  for (const m of messages) if (timestampOf(m) > maxTimestamp) maxTimestamp = timestampOf(m);
  return encodeEntry(magic, last.offset, compressionCode(codec) | tsBit, maxTimestamp, null, wrapped);
}
