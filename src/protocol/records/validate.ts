/**
 * Batch-level checks, without decompressing or materialising records: framing, magic, CRC-32C,
 * attributes and header consistency. A produced batch's records are checked afterwards, once the
 * partition's own limits have passed (produced-records.ts); a stored uncompressed batch has its
 * records' framing walked here (no allocation per record).
 */
import { ErrorCode } from '../errors.js';
import { ATTR, BATCH, type CompressionName, MAGIC_V2, computeBatchCrc } from './batch-header.js';
import { batchSizeAt } from './batch-iterator.js';
import { compressionName } from './compression.js';
import { RecordsError, readingRecords } from './errors.js';
import { skipRecords } from './record.js';
import type { TimestampType } from './record-batch.js';

/**
 * `client`: a Produce request, held to Kafka's LogValidator batch rules (no control batches, a
 * count that matches the offset range); its records are left to produced-records.ts. `log`:
 * bytes already in a log segment, where compaction may have left gaps and empty batches, and the
 * broker wrote control batches itself.
 */
export type BatchOrigin = 'client' | 'log';

export interface BatchSummary {
  /** Where the batch starts in the validated buffer. */
  position: number;
  size: number;
  baseOffset: bigint;
  lastOffsetDelta: number;
  recordsCount: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  compression: CompressionName;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
}

function corrupt(message: string): RecordsError {
  return new RecordsError(ErrorCode.CORRUPT_MESSAGE, message);
}

function invalid(message: string): RecordsError {
  return new RecordsError(ErrorCode.INVALID_RECORD, message);
}

/** Validates every batch in `buf`; throws a RecordsError carrying the Kafka error code to answer. */
export function validateBatches(buf: Buffer, origin: BatchOrigin): BatchSummary[] {
  const summaries: BatchSummary[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const size = batchSizeAt(buf, pos);
    if (size < 0) throw corrupt(`truncated batch at offset ${pos}`);
    summaries.push(validateBatch(buf, pos, size, origin));
    pos += size;
  }
  return summaries;
}

/** Produce v3+ rules on top of validateBatches: exactly one batch, zstd only from v7 (KIP-110). */
export function validateProduceRecords(buf: Buffer, apiVersion: number): BatchSummary {
  const summaries = validateBatches(buf, 'client');
  if (summaries.length !== 1) throw invalid(`Produce v${apiVersion} must carry exactly one record batch, got ${summaries.length}`);
  const batch = summaries[0]!;
  if (batch.compression === 'zstd' && apiVersion < 7) {
    throw new RecordsError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `zstd needs Produce v7 or later, got v${apiVersion}`);
  }
  return batch;
}

function validateBatch(buf: Buffer, pos: number, size: number, origin: BatchOrigin): BatchSummary {
  const magic = buf[pos + BATCH.MAGIC]!;
  if (magic !== MAGIC_V2) throw invalid(`expected a magic 2 batch, found magic ${magic} at offset ${pos}`);
  if (computeBatchCrc(buf, pos, size) !== buf.readUInt32BE(pos + BATCH.CRC)) {
    throw corrupt(`batch CRC mismatch at offset ${pos}`);
  }
  const attributes = buf.readUInt16BE(pos + BATCH.ATTRIBUTES);
  const compression = compressionName(attributes & ATTR.COMPRESSION_MASK);
  const isControl = (attributes & ATTR.CONTROL) !== 0;
  const lastOffsetDelta = buf.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA);
  const recordsCount = buf.readInt32BE(pos + BATCH.RECORDS_COUNT);
  const producerId = buf.readBigInt64BE(pos + BATCH.PRODUCER_ID);
  const baseSequence = buf.readInt32BE(pos + BATCH.BASE_SEQUENCE);
  if (recordsCount < 0 || lastOffsetDelta < 0) throw corrupt(`negative record count or offset delta at offset ${pos}`);
  if (origin === 'client') {
    if (isControl) throw invalid('clients may not write control batches');
    if (recordsCount === 0 || lastOffsetDelta + 1 !== recordsCount) {
      throw invalid(`batch has ${recordsCount} records but an offset range of ${lastOffsetDelta + 1}`);
    }
    if (producerId >= 0n && baseSequence < 0) throw invalid(`invalid base sequence ${baseSequence} for producer ${producerId}`);
  }
  if (compression === 'none' && origin === 'log') walkRecords(buf, pos, size, recordsCount);
  return {
    position: pos,
    size,
    baseOffset: buf.readBigInt64BE(pos + BATCH.BASE_OFFSET),
    lastOffsetDelta,
    recordsCount,
    baseTimestamp: buf.readBigInt64BE(pos + BATCH.BASE_TIMESTAMP),
    maxTimestamp: buf.readBigInt64BE(pos + BATCH.MAX_TIMESTAMP),
    producerId,
    producerEpoch: buf.readInt16BE(pos + BATCH.PRODUCER_EPOCH),
    baseSequence,
    compression,
    timestampType: attributes & ATTR.TIMESTAMP_LOG_APPEND ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & ATTR.TRANSACTIONAL) !== 0,
    isControl,
  };
}

/** The records must fill the batch exactly. */
function walkRecords(buf: Buffer, pos: number, size: number, count: number): void {
  readingRecords(`malformed records in batch at offset ${pos}`, () => skipRecords(buf, pos + BATCH.HEADER_SIZE, pos + size, count, false));
}
