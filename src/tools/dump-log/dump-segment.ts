import { basename } from 'node:path';
import {
  ATTR,
  BATCH,
  computeBatchCrc,
  lastSequence,
  readBatchHeader,
  incrementSequence,
  NO_SEQUENCE,
} from '../../protocol/records/batch-header.js';
import { compressionName } from '../../protocol/records/compression.js';
import { CONTROL_TYPE, decodeControlKey, decodeEndTxnMarker } from '../../protocol/records/control-record.js';
import { inspectLegacyEntry, type LegacyEntry } from '../../protocol/records/legacy-message-set.js';
import { decodeBatch } from '../../protocol/records/record-batch.js';
import type { MessageParser } from './message-parsers.js';
import { controlRecordText } from './kraft-control-records.js';
import { DumpProblems } from './dump-problems.js';
import type { FileBatch, SegmentFile } from './segment-file.js';

/** Decompressed batches larger than this are refused (a damaged or hostile segment). */
const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;
const INT32_MAX = 2 ** 31 - 1;

export interface SegmentDumpOptions {
  /** Print record lines (--deep-iteration, implied by --print-data-log and the decoders). */
  deepIteration: boolean;
  /** Print keys and payloads through `parser` (--print-data-log or a decoder). */
  printData: boolean;
  parser: MessageParser;
  skipRecordMetadata: boolean;
  /** --max-bytes: only the batches within the file's first this many bytes. */
  maxBytes: number;
}

/** One record line's worth of a record, whatever the batch format. */
interface RecordFacts {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  /** v2: the record's sequence and header keys. */
  sequence?: number;
  headerKeys?: string[];
  /** Legacy messages: their own CRC and validity. */
  legacy?: { valid: boolean; crc: number };
}

/**
 * DumpLogSegments.dumpLog for a `.log` (or KRaft `.checkpoint`) file: one line per batch, with
 * deep iteration one line per record (control records decoded), and the trailing bytes that do
 * not form a batch. Offsets that do not follow each other are collected in `problems`.
 */
export function dumpSegment(
  file: SegmentFile,
  absolutePath: string,
  opts: SegmentDumpOptions,
  problems: DumpProblems,
  print: (line: string) => void,
): void {
  let validBytes = 0;
  let lastOffset = -1n;
  const end = Math.min(file.size, opts.maxBytes);
  for (const batch of file.batches(0, end)) {
    const records = batch.magic >= 2 ? v2Batch(batch, validBytes, print) : legacyEntry(batch, validBytes, print);
    if (opts.deepIteration) {
      for (const r of records.list()) {
        if (lastOffset === -1n) lastOffset = r.offset;
        else if (r.offset !== lastOffset + 1n) DumpProblems.prepend(problems.nonConsecutive, absolutePath, [lastOffset, r.offset]);
        lastOffset = r.offset;
        print(recordLine(r, records, opts));
      }
    }
    validBytes += batch.size;
  }
  const trailing = end - validBytes;
  if (trailing > 0 && opts.maxBytes === INT32_MAX) print(`Found ${trailing} invalid bytes at the end of ${basename(file.path)}`);
}

interface BatchRecords {
  timestampType: string;
  isControl: boolean;
  list(): RecordFacts[];
}

function v2Batch(batch: FileBatch, position: number, print: (line: string) => void): BatchRecords {
  const { bytes } = batch;
  if (bytes.length < BATCH.HEADER_SIZE) throw new Error(`batch at position ${position} is shorter than a v2 batch header`);
  const h = readBatchHeader(bytes);
  const timestampType = h.attributes & ATTR.TIMESTAMP_LOG_APPEND ? 'LogAppendTime' : 'CreateTime';
  const isControl = (h.attributes & ATTR.CONTROL) !== 0;
  const deleteHorizon = h.attributes & ATTR.DELETE_HORIZON ? `OptionalLong[${h.baseTimestamp}]` : 'OptionalLong.empty';
  const valid = computeBatchCrc(bytes, 0, bytes.length) === h.crc;
  print(
    `baseOffset: ${h.baseOffset} lastOffset: ${h.baseOffset + BigInt(h.lastOffsetDelta)} count: ${h.recordsCount} ` +
      `baseSequence: ${h.baseSequence} lastSequence: ${lastSequence(h)} producerId: ${h.producerId} producerEpoch: ${h.producerEpoch} ` +
      `partitionLeaderEpoch: ${h.partitionLeaderEpoch} isTransactional: ${(h.attributes & ATTR.TRANSACTIONAL) !== 0} ` +
      `isControl: ${isControl} deleteHorizonMs: ${deleteHorizon} position: ${position} ${timestampType}: ${h.maxTimestamp} ` +
      `size: ${batch.size} magic: ${h.magic} compresscodec: ${compressionName(h.attributes & ATTR.COMPRESSION_MASK)} crc: ${h.crc} isvalid: ${valid}`,
  );
  return {
    timestampType,
    isControl,
    list: () =>
      decodeBatch(bytes, { maxDecompressedBytes: MAX_DECOMPRESSED_BYTES, verifyCrc: false }).records.map((r) => {
        const delta = Number(r.offset - h.baseOffset);
        return {
          offset: r.offset,
          timestamp: r.timestamp,
          key: r.key,
          value: r.value,
          sequence: h.baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(h.baseSequence, delta),
          headerKeys: r.headers.map((hd) => hd.key),
        };
      }),
  };
}

function legacyEntry(batch: FileBatch, position: number, print: (line: string) => void): BatchRecords {
  const { wrapper, messages } = inspectLegacyEntry(batch.bytes, { maxDecompressedBytes: MAX_DECOMPRESSED_BYTES });
  const timestampType = legacyTimestampType(wrapper);
  print(
    `offset: ${wrapper.offset} position: ${position} ${timestampType}: ${wrapper.timestamp} size: ${batch.size} ` +
      `magic: ${wrapper.magic} compresscodec: ${wrapper.compression} crc: ${wrapper.crc} isvalid: ${wrapper.crcValid}`,
  );
  return {
    timestampType,
    isControl: false,
    list: () =>
      messages.map((m) => ({
        offset: m.offset,
        timestamp: m.timestamp,
        key: m.key,
        value: m.value,
        legacy: { valid: m.crcValid, crc: m.crc },
      })),
  };
}

function legacyTimestampType(e: LegacyEntry): string {
  return e.magic === 0 ? 'NoTimestampType' : e.timestampType;
}

/** One `| offset: …` line: metadata (unless skipped), control record details, then key and payload, spaced as Kafka prints them. */
function recordLine(r: RecordFacts, batch: BatchRecords, opts: SegmentDumpOptions): string {
  let line = '';
  let prefix = '| ';
  if (!opts.skipRecordMetadata) {
    line += `${prefix}offset: ${r.offset} ${batch.timestampType}: ${r.timestamp} keySize: ${r.key?.length ?? -1} valueSize: ${r.value?.length ?? -1}`;
    prefix = ' ';
    if (r.sequence !== undefined) line += ` sequence: ${r.sequence} headerKeys: [${r.headerKeys!.join(',')}]`;
    // Kafka's format string has a stray `}` here.
    if (r.legacy !== undefined) line += ` isValid: ${r.legacy.valid} crc: ${r.legacy.crc}}`;
    if (batch.isControl) line += controlDetails(r);
  }
  if (opts.printData && !batch.isControl) {
    const parsed = opts.parser({ offset: r.offset, key: r.key, value: r.value });
    if (parsed.key !== undefined) {
      line += `${prefix}key: ${parsed.key}`;
      prefix = ' ';
    }
    if (parsed.payload !== undefined) line += ` payload: ${parsed.payload}`;
  }
  return line;
}

function controlDetails(r: RecordFacts): string {
  const { type } = decodeControlKey(r.key);
  if (type === CONTROL_TYPE.ABORT || type === CONTROL_TYPE.COMMIT) {
    const marker = decodeEndTxnMarker(r.value);
    return ` endTxnMarker: ${type === CONTROL_TYPE.ABORT ? 'ABORT' : 'COMMIT'} coordinatorEpoch: ${marker.coordinatorEpoch}`;
  }
  return controlRecordText(type, r.value);
}
