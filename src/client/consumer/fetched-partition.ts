import { ErrorCode } from '../../protocol/errors.js';
import { ProtocolError } from '../../protocol/primitives/protocol-error.js';
import { ATTR, BATCH, MAGIC_V2, computeBatchCrc } from '../../protocol/records/batch-header.js';
import { batchSizeAt, iterateBatches } from '../../protocol/records/batch-iterator.js';
import { compressionName, decompress } from '../../protocol/records/compression.js';
import { CONTROL_TYPE, decodeControlKey } from '../../protocol/records/control-record.js';
import { RecordsError } from '../../protocol/records/errors.js';
import { decodeMessageSet } from '../../protocol/records/legacy-message-set.js';
import { decodeBatch } from '../../protocol/records/record-batch.js';
import { AbortedTransactions, type AbortedTransaction } from './aborted-transactions.js';
import { CorruptRecordsError } from './consumer-errors.js';
import type { ConsumerRecord } from './consumer-record.js';
import { RecordView } from './record-view.js';
import { walkRecords } from './record-walker.js';

/**
 * Guard against decompression bombs: no producer batch comes near it (max.message.bytes is 1 MiB
 * by default and compression ratios of text are far below 256).
 */
const MAX_DECOMPRESSED_BATCH_BYTES = 256 * 1024 * 1024;

/**
 * The offset after the last complete batch in `records` (a fetch may end with a partial one), or
 * `from` when there is none. Reads headers only, so the next fetch can go out before any record
 * is decoded.
 */
export function nextOffsetAfter(records: Buffer, from: bigint): bigint {
  let next = from;
  for (let pos = 0, size = batchSizeAt(records, 0); size > 0; pos += size, size = batchSizeAt(records, pos)) {
    const base = records.readBigInt64BE(pos + BATCH.BASE_OFFSET);
    // Legacy entries carry their (last) offset where v2 batches carry the base offset.
    const last = records[pos + BATCH.MAGIC] === MAGIC_V2 ? base + BigInt(records.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA)) : base;
    if (last + 1n > next) next = last + 1n;
  }
  return next;
}

export interface FetchedPartitionOptions {
  checkCrcs: boolean;
  /** read_committed: the aborted transactions the broker listed; null under read_uncommitted. */
  abortedTransactions: readonly AbortedTransaction[] | null;
}

/**
 * One partition's records from one Fetch response, not yet decoded. `read` walks them lazily:
 * control batches, aborted transactions (read_committed) and records before the fetch offset
 * are skipped, and each record is handed over as a reused view.
 */
export class FetchedPartition {
  constructor(
    readonly topic: string,
    readonly partition: number,
    /** The position this data was fetched from. */
    readonly fetchOffset: bigint,
    /** Where the next fetch starts: after the last complete batch. */
    readonly nextOffset: bigint,
    readonly highWatermark: bigint,
    private readonly records: Buffer,
    private readonly options: FetchedPartitionOptions,
  ) {}

  /** Bytes held. */
  get size(): number {
    return this.records.length;
  }

  /**
   * The partition leader epoch of the batch holding `offset` (what a commit after that record
   * carries), from batch headers only; -1 for legacy data or an offset outside this data.
   */
  leaderEpochAt(offset: bigint): number {
    const records = this.records;
    for (let pos = 0, size = batchSizeAt(records, 0); size > 0; pos += size, size = batchSizeAt(records, pos)) {
      if (records[pos + BATCH.MAGIC] !== MAGIC_V2) continue;
      const base = records.readBigInt64BE(pos + BATCH.BASE_OFFSET);
      const last = base + BigInt(records.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA));
      if (offset >= base && offset <= last) return records.readInt32BE(pos + BATCH.PARTITION_LEADER_EPOCH);
    }
    return -1;
  }

  /**
   * Hands each record to `visit` in offset order; returns false when `visit` returned false.
   * Throws a CorruptRecordsError for data that cannot be read (bad CRC, bad compression...).
   */
  read(visit: (record: ConsumerRecord) => boolean): boolean {
    const view = new RecordView();
    view.topic = this.topic;
    view.partition = this.partition;
    const aborted = this.options.abortedTransactions === null ? null : new AbortedTransactions(this.options.abortedTransactions);
    let offset = this.fetchOffset;
    try {
      for (const batch of iterateBatches(this.records)) {
        offset = batch.readBigInt64BE(BATCH.BASE_OFFSET);
        const more = batch[BATCH.MAGIC] === MAGIC_V2 ? this.readBatch(batch, offset, view, aborted, visit) : this.readLegacy(batch, visit);
        if (!more) return false;
      }
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      throw new CorruptRecordsError(`corrupt records in ${this.topic}-${this.partition} at offset ${offset}: ${err.message}`, null, {
        cause: err,
      });
    }
    return true;
  }

  private readBatch(
    batch: Buffer,
    baseOffset: bigint,
    view: RecordView,
    aborted: AbortedTransactions | null,
    visit: (record: ConsumerRecord) => boolean,
  ): boolean {
    const lastOffset = baseOffset + BigInt(batch.readInt32BE(BATCH.LAST_OFFSET_DELTA));
    if (lastOffset < this.fetchOffset) return true;
    if (this.options.checkCrcs) {
      const stored = batch.readUInt32BE(BATCH.CRC);
      const computed = computeBatchCrc(batch, 0, batch.length);
      if (stored !== computed)
        throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `record is corrupt (stored crc = ${stored}, computed crc = ${computed})`);
    }
    const attributes = batch.readInt16BE(BATCH.ATTRIBUTES);
    const control = (attributes & ATTR.CONTROL) !== 0;
    const producerId = batch.readBigInt64BE(BATCH.PRODUCER_ID);
    if (aborted !== null && producerId >= 0n) {
      const abortMarker = control && isAbortMarker(batch);
      if (aborted.skips(producerId, lastOffset, (attributes & ATTR.TRANSACTIONAL) !== 0, abortMarker)) return true;
    }
    if (control) return true;
    const count = batch.readInt32BE(BATCH.RECORDS_COUNT);
    if (count < 0) throw new RecordsError(ErrorCode.CORRUPT_MESSAGE, `negative record count ${count}`);
    const codec = compressionName(attributes & ATTR.COMPRESSION_MASK);
    let body = batch;
    let start: number = BATCH.HEADER_SIZE;
    if (codec !== 'none' && batch.length > start) {
      body = decompress(codec, batch.subarray(start), MAX_DECOMPRESSED_BATCH_BYTES);
      start = 0;
    }
    view.baseOffset = baseOffset;
    view.baseTimestamp = batch.readBigInt64BE(BATCH.BASE_TIMESTAMP);
    view.logAppendTime = attributes & ATTR.TIMESTAMP_LOG_APPEND ? batch.readBigInt64BE(BATCH.MAX_TIMESTAMP) : null;
    const minDelta = this.fetchOffset > baseOffset ? Number(this.fetchOffset - baseOffset) : 0;
    return walkRecords(body, start, body.length, count, minDelta, view, visit);
  }

  /** Magic 0/1 data (old segments on old brokers): rare, so decoded into plain records. */
  private readLegacy(entry: Buffer, visit: (record: ConsumerRecord) => boolean): boolean {
    for (const m of decodeMessageSet(entry, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES, partialTail: 'reject' })) {
      if (m.offset < this.fetchOffset) continue;
      const record: ConsumerRecord = {
        topic: this.topic,
        partition: this.partition,
        offset: String(m.offset),
        timestamp: String(m.timestamp),
        timestampType: m.magic === 0 ? 'NoTimestampType' : m.timestampType,
        key: m.key,
        value: m.value,
        headers: [],
      };
      if (!visit(record)) return false;
    }
    return true;
  }
}

/** A control batch's single record: an ABORT transaction marker? */
function isAbortMarker(batch: Buffer): boolean {
  const decoded = decodeBatch(batch, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
  const key = decoded.records[0]?.key ?? null;
  return key !== null && key.length >= 4 && decodeControlKey(key).type === CONTROL_TYPE.ABORT;
}
