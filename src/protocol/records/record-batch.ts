/** Encoding and decoding of whole magic v2 record batches (records materialised). */
import { ErrorCode } from '../errors.js';
import { ATTR, BATCH, type BatchHeader, type CompressionName, MAGIC_V2, computeBatchCrc, readBatchHeader } from './batch-header.js';
import { compress, compressionCode, compressionName, decompress } from './compression.js';
import { RecordsError, readingRecords } from './errors.js';
import { type DecodedRecord, type RecordInput, readRecord, recordBodySize, writeRecord } from './record.js';
import { sizeOfVarint } from './varint.js';

export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** A batch to encode. Defaults are what a non-idempotent producer sends. */
export interface BatchInput {
  records: readonly RecordInput[];
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  compression?: CompressionName;
  compressionLevel?: number;
  timestampType?: TimestampType;
  /** Defaults to the largest record timestamp; with LogAppendTime, the append time. */
  maxTimestamp?: bigint;
  transactional?: boolean;
  control?: boolean;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  /** Defaults to the last record's offsetDelta; compacted batches keep their original range. */
  lastOffsetDelta?: number;
  /** Marks the batch as carrying a compaction delete horizon, stored as its baseTimestamp. */
  deleteHorizon?: bigint;
}

export interface DecodedBatch extends BatchHeader {
  compression: CompressionName;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  hasDeleteHorizon: boolean;
  records: DecodedRecord[];
}

const NO_TIMESTAMP = -1n;

function attributesOf(b: BatchInput): number {
  return (
    compressionCode(b.compression ?? 'none') |
    (b.timestampType === 'LogAppendTime' ? ATTR.TIMESTAMP_LOG_APPEND : 0) |
    (b.transactional ? ATTR.TRANSACTIONAL : 0) |
    (b.control ? ATTR.CONTROL : 0) |
    (b.deleteHorizon !== undefined ? ATTR.DELETE_HORIZON : 0)
  );
}

function recordsBytes(records: readonly RecordInput[], baseTimestamp: bigint, now: bigint): Buffer {
  const sizes = new Int32Array(records.length);
  let total = 0;
  records.forEach((r, i) => {
    const body = recordBodySize(r, (r.timestamp ?? now) - baseTimestamp, r.offsetDelta ?? i);
    sizes[i] = body;
    total += sizeOfVarint(body) + body;
  });
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  records.forEach((r, i) => {
    pos = writeRecord(out, pos, r, sizes[i]!, (r.timestamp ?? now) - baseTimestamp, r.offsetDelta ?? i);
  });
  return out;
}

export function encodeBatch(b: BatchInput): Buffer {
  const records = b.records;
  const now = BigInt(Date.now());
  const first = records[0];
  const baseTimestamp = b.deleteHorizon ?? (first ? (first.timestamp ?? now) : NO_TIMESTAMP);
  let maxTimestamp = NO_TIMESTAMP;
  for (const r of records) {
    const t = r.timestamp ?? now;
    if (t > maxTimestamp) maxTimestamp = t;
  }
  const last = records.length - 1;
  const lastOffsetDelta = b.lastOffsetDelta ?? (last < 0 ? 0 : (records[last]!.offsetDelta ?? last));
  const body = compress(b.compression ?? 'none', recordsBytes(records, baseTimestamp, now), { level: b.compressionLevel });

  const size = BATCH.HEADER_SIZE + body.length;
  const buf = Buffer.allocUnsafe(size);
  buf.writeBigInt64BE(b.baseOffset ?? 0n, BATCH.BASE_OFFSET);
  buf.writeInt32BE(size - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
  buf.writeInt32BE(b.partitionLeaderEpoch ?? -1, BATCH.PARTITION_LEADER_EPOCH);
  buf.writeInt8(MAGIC_V2, BATCH.MAGIC);
  buf.writeInt16BE(attributesOf(b), BATCH.ATTRIBUTES);
  buf.writeInt32BE(lastOffsetDelta, BATCH.LAST_OFFSET_DELTA);
  buf.writeBigInt64BE(baseTimestamp, BATCH.BASE_TIMESTAMP);
  buf.writeBigInt64BE(b.maxTimestamp ?? maxTimestamp, BATCH.MAX_TIMESTAMP);
  buf.writeBigInt64BE(b.producerId ?? -1n, BATCH.PRODUCER_ID);
  buf.writeInt16BE(b.producerEpoch ?? -1, BATCH.PRODUCER_EPOCH);
  buf.writeInt32BE(b.baseSequence ?? -1, BATCH.BASE_SEQUENCE);
  buf.writeInt32BE(records.length, BATCH.RECORDS_COUNT);
  body.copy(buf, BATCH.HEADER_SIZE);
  buf.writeUInt32BE(computeBatchCrc(buf, 0, size), BATCH.CRC);
  return buf;
}

function corrupt(message: string): RecordsError {
  return new RecordsError(ErrorCode.CORRUPT_MESSAGE, message);
}

export interface DecodeOptions {
  /** Upper bound on a compressed batch's decompressed records, against decompression bombs. */
  maxDecompressedBytes: number;
  /** false: read the records of a batch whose CRC does not match (a tool showing damaged data). */
  verifyCrc?: boolean;
}

/**
 * Decodes one complete v2 batch (as `iterateBatches` yields them), verifying its CRC. Records
 * are views into `batch` or into its decompressed copy.
 */
export function decodeBatch(batch: Buffer, options: DecodeOptions): DecodedBatch {
  if (batch.length < BATCH.HEADER_SIZE) throw corrupt(`batch of ${batch.length} bytes is shorter than its header`);
  const header = readBatchHeader(batch);
  if (header.magic !== MAGIC_V2) {
    throw new RecordsError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `expected a magic 2 batch, found magic ${header.magic}`);
  }
  if (header.batchLength + BATCH.LOG_OVERHEAD !== batch.length) throw corrupt('batch length does not match its bytes');
  if (options.verifyCrc !== false && computeBatchCrc(batch, 0, batch.length) !== header.crc) throw corrupt('batch CRC mismatch');
  if (header.recordsCount < 0) throw corrupt(`negative record count ${header.recordsCount}`);

  const attributes = header.attributes;
  const compression = compressionName(attributes & ATTR.COMPRESSION_MASK);
  const timestampType: TimestampType = attributes & ATTR.TIMESTAMP_LOG_APPEND ? 'LogAppendTime' : 'CreateTime';
  let body = batch.subarray(BATCH.HEADER_SIZE);
  if (compression !== 'none' && body.length > 0) body = decompress(compression, body, options.maxDecompressedBytes);

  const cursor = { buf: body, pos: 0, end: body.length };
  const logAppendTime = timestampType === 'LogAppendTime' ? header.maxTimestamp : null;
  const records: DecodedRecord[] = [];
  readingRecords('malformed record', () => {
    for (let i = 0; i < header.recordsCount; i++) {
      records.push(readRecord(cursor, header.baseOffset, header.baseTimestamp, logAppendTime));
    }
  });
  if (cursor.pos !== cursor.end) throw corrupt(`bytes left over after ${header.recordsCount} records`);
  // Listed field by field: a spread of the header costs ~10 µs a batch (compaction, replay, ListOffsets decode many).
  return {
    baseOffset: header.baseOffset,
    batchLength: header.batchLength,
    partitionLeaderEpoch: header.partitionLeaderEpoch,
    magic: header.magic,
    crc: header.crc,
    attributes,
    lastOffsetDelta: header.lastOffsetDelta,
    baseTimestamp: header.baseTimestamp,
    maxTimestamp: header.maxTimestamp,
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    recordsCount: header.recordsCount,
    compression,
    timestampType,
    isTransactional: (attributes & ATTR.TRANSACTIONAL) !== 0,
    isControl: (attributes & ATTR.CONTROL) !== 0,
    hasDeleteHorizon: (attributes & ATTR.DELETE_HORIZON) !== 0,
    records,
  };
}
