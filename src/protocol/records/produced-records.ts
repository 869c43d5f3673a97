/**
 * Kafka's LogValidator over the records of one produced v2 batch, after the batch-level checks
 * (validate.ts) and the partition's size limit: compressed batches are decompressed (bounded) and
 * every record is walked in place, as Kafka walks them with its skip-key-value iterator. Framing
 * faults (a wrong record count, a truncated record, offset deltas other than 0..n-1) refuse the
 * batch with INVALID_RECORD; the per-record rules (a key on compacted topics, CreateTime within
 * the topic's window, no producer-set LogAppendTime) are collected for every record and reported
 * as Produce v8+ record_errors.
 */
import { ErrorCode } from '../errors.js';
import { BATCH } from './batch-header.js';
import { decompress } from './compression.js';
import { type RecordError, RecordsError, readingRecords } from './errors.js';
import { type RecordVisitor, skipRecords } from './record.js';
import type { TimestampType } from './record-batch.js';
import type { BatchSummary } from './validate.js';

/** message.timestamp.before/after.max.ms around the broker's clock. */
export interface TimestampWindow {
  now: number;
  beforeMaxMs: number;
  afterMaxMs: number;
}

export interface ProducedRecordRules {
  /** Names the partition in messages, as Kafka's do. */
  partition: string;
  /** Compacted topics: compaction goes by key, so a keyless record is refused rather than dropped later. */
  requireKeys: boolean;
  /** The topic's message.timestamp.type. */
  timestampType: TimestampType;
  /** Bounds for CreateTime timestamps; null when both are unlimited (Long.MAX_VALUE). */
  timestampWindow: TimestampWindow | null;
  /** Ceiling on the decompressed records, against decompression bombs. */
  maxDecompressedBytes: number;
}

const NO_TIMESTAMP = -1;
const LONG_MAX = 2n ** 63n - 1n;

interface RecordFault extends RecordError {
  code: typeof ErrorCode.INVALID_RECORD | typeof ErrorCode.INVALID_TIMESTAMP;
}

/** Throws a RecordsError (with record_errors where Kafka has them) unless every record of `batch` in `buf` is acceptable. */
export function validateProducedRecords(buf: Buffer, batch: BatchSummary, rules: ProducedRecordRules): void {
  let bytes = buf;
  let start = batch.position + BATCH.HEADER_SIZE;
  let end = batch.position + batch.size;
  if (batch.compression !== 'none') {
    bytes = decompressed(batch, buf.subarray(start, end), rules.maxDecompressedBytes);
    start = 0;
    end = bytes.length;
  }
  const faults: RecordFault[] = [];
  readingRecords(
    'malformed records in the produced batch',
    () => skipRecords(bytes, start, end, batch.recordsCount, true, recordVisitor(batch, rules, faults)),
    ErrorCode.INVALID_RECORD,
  );
  if (faults.length > 0) throw rejected(faults);
}

/**
 * The CRC has vouched that these bytes are what the producer sent, so data that will not
 * decompress is the producer's fault: INVALID_RECORD, which clients do not retry.
 */
function decompressed(batch: BatchSummary, data: Buffer, maxBytes: number): Buffer {
  try {
    return decompress(batch.compression, data, maxBytes);
  } catch (err) {
    if (err instanceof RecordsError) throw new RecordsError(ErrorCode.INVALID_RECORD, `${err.message} in the produced batch`);
    throw err;
  }
}

/** The per-record rules that apply, or undefined when none does (the walk then only checks framing). */
function recordVisitor(batch: BatchSummary, rules: ProducedRecordRules, faults: RecordFault[]): RecordVisitor | undefined {
  const producerSetAppendTime = batch.timestampType === 'LogAppendTime';
  const createTime = rules.timestampType === 'CreateTime';
  const window = createTime ? rules.timestampWindow : null;
  if (!rules.requireKeys && !producerSetAppendTime && !window) return undefined;
  const baseTimestamp = Number(batch.baseTimestamp);
  const appendTime = Number(batch.maxTimestamp);
  const offsetOf = (index: number) => batch.baseOffset + BigInt(index);
  return (batchIndex, hasKey, timestampDelta) => {
    if (rules.requireKeys && !hasKey) {
      const message = `Compacted topic cannot accept message without key in topic partition ${rules.partition}`;
      faults.push({ batchIndex, message, code: ErrorCode.INVALID_RECORD });
      return;
    }
    // A LogAppendTime batch's records all carry its maxTimestamp.
    const timestamp = producerSetAppendTime ? appendTime : baseTimestamp + timestampDelta;
    if (createTime && timestamp !== NO_TIMESTAMP) {
      if (window && outside(window, timestamp)) {
        const message = `Timestamp ${BigInt(timestamp)} of message with offset ${offsetOf(batchIndex)} is out of range. The timestamp should be within [${windowBounds(window)}]`;
        faults.push({ batchIndex, message, code: ErrorCode.INVALID_TIMESTAMP });
      }
    } else if (producerSetAppendTime) {
      const message = `Invalid timestamp type in message with offset ${offsetOf(batchIndex)}. Producer should not set timestamp type to LogAppendTime.`;
      faults.push({ batchIndex, message, code: ErrorCode.INVALID_TIMESTAMP });
    }
  };
}

function outside({ now, beforeMaxMs, afterMaxMs }: TimestampWindow, timestamp: number): boolean {
  return now - timestamp > beforeMaxMs || timestamp - now > afterMaxMs;
}

function windowBounds({ now, beforeMaxMs, afterMaxMs }: TimestampWindow): string {
  const clamp = (ms: number) => (BigInt(ms) > LONG_MAX ? LONG_MAX : BigInt(ms));
  return `${BigInt(now) - clamp(beforeMaxMs)}, ${BigInt(now) + clamp(afterMaxMs)}`;
}

/** Kafka's processRecordErrors: one bad timestamp makes the whole answer INVALID_TIMESTAMP. */
function rejected(faults: readonly RecordFault[]): RecordsError {
  const recordErrors = faults.map(({ batchIndex, message }) => ({ batchIndex, message }));
  if (faults.some((f) => f.code === ErrorCode.INVALID_TIMESTAMP)) {
    return new RecordsError(ErrorCode.INVALID_TIMESTAMP, 'One or more records have been rejected due to invalid timestamp', recordErrors);
  }
  const shown = recordErrors.slice(0, 3).map((e) => `RecordError(batchIndex=${e.batchIndex}, message='${e.message}')`);
  return new RecordsError(
    ErrorCode.INVALID_RECORD,
    `One or more records have been rejected due to ${faults.length} record errors in total, and only showing the first three errors at most: [${shown.join(', ')}]`,
    recordErrors,
  );
}
