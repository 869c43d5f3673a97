/**
 * Kafka's LogValidator over the records of one produced v2 batch, after the batch-level checks
 * (validate.ts) and the partition's size limit: compressed batches are decompressed and every
 * record is walked in place as it comes out of the decompressor, as Kafka walks them with its
 * skip-key-value iterator. Framing faults (a wrong record count, a truncated record, offset
 * deltas other than 0..n-1) refuse the batch with INVALID_RECORD; a record larger than an
 * uncompressed batch of its own could be refuses it with MESSAGE_TOO_LARGE; the per-record rules
 * (a key on compacted topics, CreateTime within the topic's window, no producer-set
 * LogAppendTime) are collected for every record and reported as Produce v8+ record_errors.
 *
 * Two ways in: all at once when the records fit a caller's byte budget (checkProducedRecordsWithin,
 * synchronous), or in slices with a pause between them (checkProducedRecordsInSlices), so a
 * large or hostile batch never holds the caller's thread for long nor more than one record's
 * bytes in memory.
 */
import { ErrorCode } from '../errors.js';
import { BATCH } from './batch-header.js';
import { DecompressionLimitError } from './bounded-output.js';
import { decompress, gunzipChunks, inflateChunks } from './compression.js';
import { type RecordError, RecordsError, readingRecords } from './errors.js';
import type { RecordVisitor } from './record.js';
import type { TimestampType } from './record-batch.js';
import { RecordStream } from './record-stream.js';
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
  /** The topic's max.message.bytes: no record may be larger than a batch of its own could be. */
  maxMessageBytes: number;
}

const NO_TIMESTAMP = -1;
const LONG_MAX = 2n ** 63n - 1n;

interface RecordFault extends RecordError {
  code: typeof ErrorCode.INVALID_RECORD | typeof ErrorCode.INVALID_TIMESTAMP;
}

/**
 * Checks every record of `batch` in `buf` if they take at most `maxBytes` (decompressed), and
 * returns how many they take; undefined, having decided nothing, when they take more. Throws a
 * RecordsError (with record_errors where Kafka has them) when a record is not acceptable.
 */
export function checkProducedRecordsWithin(
  buf: Buffer,
  batch: BatchSummary,
  rules: ProducedRecordRules,
  maxBytes: number,
): number | undefined {
  const data = recordsData(buf, batch);
  const check = new RecordsCheck(batch, rules);
  const { compression } = batch;
  let bytes = 0;
  try {
    if (compression === 'none' || compression === 'gzip') {
      // Whole in one buffer: one walk.
      const records = compression === 'none' ? data : gunzipped(data, maxBytes);
      if (records.length > maxBytes) return undefined;
      check.last(records);
      return records.length;
    }
    for (const chunk of producedData(inflateChunks(compression, data, maxBytes))) {
      check.push(chunk);
      bytes += chunk.length;
    }
  } catch (err) {
    if (err instanceof DecompressionLimitError) return undefined;
    throw err;
  }
  check.end();
  return bytes;
}

/**
 * Checks every record of `batch` in `buf` as the decompressor produces them, awaiting `pause()`
 * after every `sliceBytes` of records; decompresses at most `maxDecompressedBytes`
 * (DecompressionLimitError past it). Resolves to the bytes the records take (decompressed).
 */
export async function checkProducedRecordsInSlices(
  buf: Buffer,
  batch: BatchSummary,
  rules: ProducedRecordRules,
  maxDecompressedBytes: number,
  sliceBytes: number,
  pause: () => Promise<void>,
): Promise<number> {
  const data = recordsData(buf, batch);
  const { compression } = batch;
  const chunks =
    compression === 'none'
      ? slices(data, sliceBytes)
      : compression === 'gzip'
        ? gunzipChunks(data, maxDecompressedBytes)
        : inflateChunks(compression, data, maxDecompressedBytes);
  const check = new RecordsCheck(batch, rules);
  let bytes = 0;
  let sincePause = 0;
  for await (const chunk of producedDataAsync(chunks)) {
    check.push(chunk);
    bytes += chunk.length;
    sincePause += chunk.length;
    if (sincePause >= sliceBytes) {
      sincePause = 0;
      await pause();
    }
  }
  check.end();
  return bytes;
}

/** The records of the batch, still compressed if it is. */
function recordsData(buf: Buffer, batch: BatchSummary): Buffer {
  return buf.subarray(batch.position + BATCH.HEADER_SIZE, batch.position + batch.size);
}

function* slices(data: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

/**
 * The CRC has vouched that these bytes are what the producer sent, so data that will not
 * decompress is the producer's fault: INVALID_RECORD, which clients do not retry. Passing the
 * caller's limit stays a DecompressionLimitError.
 */
function producedDataError(err: unknown): unknown {
  if (err instanceof DecompressionLimitError || !(err instanceof RecordsError)) return err;
  return new RecordsError(ErrorCode.INVALID_RECORD, `${err.message} in the produced batch`);
}

function gunzipped(data: Buffer, maxBytes: number): Buffer {
  try {
    return decompress('gzip', data, maxBytes);
  } catch (err) {
    throw producedDataError(err);
  }
}

function* producedData(chunks: Iterable<Buffer>): Generator<Buffer> {
  try {
    yield* chunks;
  } catch (err) {
    throw producedDataError(err);
  }
}

async function* producedDataAsync(chunks: Iterable<Buffer> | AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (err) {
    throw producedDataError(err);
  }
}

/** The records' framing, size limit and per-record rules over their bytes as they arrive. */
class RecordsCheck {
  readonly #stream: RecordStream;
  readonly #faults: RecordFault[] = [];

  constructor(batch: BatchSummary, rules: ProducedRecordRules) {
    // A record alone in an uncompressed batch takes the batch header besides.
    const maxRecordBytes = rules.maxMessageBytes - BATCH.HEADER_SIZE;
    this.#stream = new RecordStream({
      count: batch.recordsCount,
      dense: true,
      limit: {
        maxBytes: maxRecordBytes,
        tooLarge: (record, size) =>
          `The record at batch index ${record} in the append to ${rules.partition} is ${size} bytes decompressed, which exceeds what a record batch of its own may hold under the maximum configured value of ${rules.maxMessageBytes}.`,
      },
      visit: recordVisitor(batch, rules, this.#faults),
    });
  }

  push(chunk: Buffer): void {
    walking(() => this.#stream.push(chunk));
  }

  /** The last bytes (all of them, for a batch whose records come whole), then end(). */
  last(chunk: Buffer): void {
    walking(() => this.#stream.pushLast(chunk));
    this.end();
  }

  end(): void {
    walking(() => this.#stream.end());
    if (this.#faults.length > 0) throw rejected(this.#faults);
  }
}

/** Framing faults (a ProtocolError from the walk) refuse the batch with INVALID_RECORD and no record_errors. */
function walking(walk: () => void): void {
  readingRecords('malformed records in the produced batch', walk, ErrorCode.INVALID_RECORD);
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
