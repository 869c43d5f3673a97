import { renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { walkBatches } from './batch-walker.js';
import { PooledFile } from './descriptor-pool.js';
import { fsyncFilesInBackground } from './file-io.js';
import type { LogConfig } from './log-config.js';
import {
  DELETED_SUFFIX,
  INDEX_SUFFIX,
  LOG_SUFFIX,
  TIME_INDEX_SUFFIX,
  TXN_INDEX_SUFFIX,
  filenamePrefixFromOffset,
} from './log-file-names.js';
import { OffsetIndex } from './offset-index.js';
import { batchLastOffset, batchMaxTimestamp, storedBatchFault } from './stored-batch.js';
import { TimeIndex } from './time-index.js';
import { TransactionIndex } from './transaction-index.js';

const INT32_MAX = 0x7fffffffn;

/** What LogSegment.recover found: where the valid batches end, and why they end there if the file goes on. */
export interface SegmentRecovery {
  validBytes: number;
  truncatedBytes: number;
  fault?: string;
}

/** A batch's place in a segment file. */
export interface BatchLocation {
  position: number;
  size: number;
  lastOffset: bigint;
}

/**
 * One segment: a `.log` file of record batches exactly as produced (plus their assigned offsets),
 * and the sparse `.index`/`.timeindex` beside it. Appends go straight to the file with positional
 * writes; the page cache makes them survive a process crash, fsync (flush) survives a power cut.
 * The files' descriptors are opened when needed and may be closed while the segment is idle
 * (DescriptorPool).
 */
export class LogSegment {
  readonly baseOffset: bigint;
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  /** The transactions aborted by markers in this segment (a file only once there is one). */
  readonly txnIndex: TransactionIndex;
  /** Random slack subtracted from segment.ms so that partitions do not all roll at once. */
  readonly rollJitterMs: number;
  readonly #file: PooledFile;
  #closed = false;
  #size: number;
  #created: number;
  /** Max batch timestamp and the last offset of the batch holding it; loaded lazily. */
  #maxTimestamp: number | undefined;
  #offsetOfMaxTimestamp: bigint;
  /** Max timestamp of the first batch: segment.ms counts from it. Loaded lazily. */
  #rollingBasedTimestamp: number | undefined;
  #bytesSinceLastIndexEntry = 0;

  private constructor(dir: string, baseOffset: bigint, fresh: boolean, now: number, rollJitterMs: number, fileSuffix = '') {
    const prefix = join(dir, filenamePrefixFromOffset(baseOffset));
    this.baseOffset = baseOffset;
    this.rollJitterMs = rollJitterMs;
    const logPath = prefix + LOG_SUFFIX + fileSuffix;
    this.#file = new PooledFile(logPath, fresh);
    this.offsetIndex = new OffsetIndex(prefix + INDEX_SUFFIX + fileSuffix, baseOffset, fresh);
    this.timeIndex = new TimeIndex(prefix + TIME_INDEX_SUFFIX + fileSuffix, baseOffset, fresh);
    this.txnIndex = new TransactionIndex(prefix + TXN_INDEX_SUFFIX + fileSuffix, baseOffset, fresh);
    this.#size = fresh ? 0 : statSync(logPath).size;
    this.#created = now;
    this.#offsetOfMaxTimestamp = baseOffset;
    if (fresh) this.#maxTimestamp = -1;
  }

  /** A new empty segment; `fileSuffix` (`.cleaned`) names the files of one the cleaner is still writing. */
  static create(dir: string, baseOffset: bigint, now: number, rollJitterMs: number, fileSuffix = ''): LogSegment {
    return new LogSegment(dir, baseOffset, true, now, rollJitterMs, fileSuffix);
  }

  static open(dir: string, baseOffset: bigint, now: number, rollJitterMs: number): LogSegment {
    return new LogSegment(dir, baseOffset, false, now, rollJitterMs);
  }

  get size(): number {
    return this.#size;
  }

  get logPath(): string {
    return this.#file.path;
  }

  get maxTimestamp(): number {
    this.#loadMaxTimestamp();
    return this.#maxTimestamp!;
  }

  get offsetOfMaxTimestamp(): bigint {
    this.#loadMaxTimestamp();
    return this.#offsetOfMaxTimestamp;
  }

  /** Max timestamp of the first batch (what max.compaction.lag.ms counts from); undefined when empty. */
  get firstBatchTimestamp(): number | undefined {
    if (this.#rollingBasedTimestamp === undefined && this.#size > 0) {
      walkBatches(this.#file, 0, this.#size, (buf, at) => {
        this.#rollingBasedTimestamp = batchMaxTimestamp(buf, at);
        return false;
      });
    }
    return this.#rollingBasedTimestamp;
  }

  /** What time retention goes by: the max timestamp, or the file's mtime when no batch has one. */
  get largestTimestamp(): number {
    const max = this.maxTimestamp;
    return max >= 0 ? max : this.#file.stat().mtimeMs;
  }

  /** Kafka's LogSegment.shouldRoll for an append of `bytes` ending at `lastOffset`. */
  shouldRoll(config: LogConfig, bytes: number, maxTimestamp: number, lastOffset: bigint, now: number): boolean {
    const waited = this.#timeWaitedForRoll(now, maxTimestamp);
    return (
      this.#size > config['segment.bytes'] - bytes ||
      (this.#size > 0 && waited > config['segment.ms'] - this.rollJitterMs) ||
      this.offsetIndex.isFull(config['segment.index.bytes']) ||
      this.timeIndex.isFull(config['segment.index.bytes']) ||
      lastOffset - this.baseOffset > INT32_MAX
    );
  }

  /**
   * Writes `records` (whole v2 batches, offsets already assigned) at the end of the file, then adds
   * index entries in memory: one write for the data; the index files catch up in
   * writePendingIndexEntries (or on a roll, flush or close).
   */
  append(records: Buffer, indexIntervalBytes: number): void {
    const start = this.#size;
    this.#file.write(records, start);
    if (start === 0) this.#rollingBasedTimestamp = batchMaxTimestamp(records, 0);
    for (let at = 0; at < records.length; ) {
      const size = records.readInt32BE(at + 8) + 12;
      this.#indexBatch(start + at, size, batchLastOffset(records, at), batchMaxTimestamp(records, at), indexIntervalBytes);
      at += size;
    }
    this.#size = start + records.length;
  }

  /** Whether index entries wait to be written (see writePendingIndexEntries). */
  get indexEntriesPending(): boolean {
    return this.offsetIndex.pendingEntries > 0 || this.timeIndex.pendingEntries > 0;
  }

  /** Writes the index entries appended since the last write: at most one write per index file. */
  writePendingIndexEntries(): void {
    this.offsetIndex.writePending();
    this.timeIndex.writePending();
  }

  /** The first batch holding an offset >= `offset`, or undefined when the segment has none. */
  translateOffset(offset: bigint): BatchLocation | undefined {
    return this.#findBatch(this.offsetIndex.lookup(offset), (lastOffset) => lastOffset >= offset);
  }

  /**
   * Whole batches from the one holding `offset`: at most `maxBytes` unless the first batch alone is
   * larger (KIP-74: it is returned whole), and only batches ending below `maxOffset` when given.
   * Undefined when no batch in this segment reaches `offset`.
   */
  read(offset: bigint, maxBytes: number, maxOffset?: bigint): Buffer | undefined {
    const first = this.translateOffset(offset);
    if (!first) return undefined;
    if (maxOffset !== undefined && first.lastOffset >= maxOffset) return Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(Math.min(Math.max(maxBytes, first.size), this.#size - first.position));
    const got = this.#file.read(buf, first.position);
    let end = first.size;
    while (end + 12 <= got) {
      const size = buf.readInt32BE(end + 8) + 12;
      if (end + size > got || (maxOffset !== undefined && batchLastOffset(buf, end) >= maxOffset)) break;
      end += size;
    }
    return buf.subarray(0, end);
  }

  /** The bytes of the batch at `location`. */
  readBatch(location: BatchLocation): Buffer {
    const buf = Buffer.allocUnsafe(location.size);
    this.#file.read(buf, location.position);
    return buf;
  }

  /** The first batch at or after `startingOffset` whose max timestamp is >= `timestamp` (Kafka's findOffsetByTimestamp). */
  findByTimestamp(timestamp: number, startingOffset: bigint): BatchLocation | undefined {
    const hint = this.timeIndex.lookup(timestamp).offset;
    const from = this.offsetIndex.lookup(hint > startingOffset ? hint : startingOffset);
    return this.#findBatch(from, (lastOffset, maxTimestamp) => maxTimestamp >= timestamp && lastOffset >= startingOffset);
  }

  /** Visits the header of every batch from the one holding `offset`. Returns false if the visitor stopped. */
  forEachBatch(offset: bigint, visit: (header: Buffer, at: number) => boolean | void): boolean {
    return walkBatches(this.#file, this.offsetIndex.lookup(offset), this.#size, visit).end !== 'stopped';
  }

  /**
   * Visits every whole batch in file order until `visit` returns false. The buffer is reused:
   * copy what must outlive the visit.
   */
  forEachWholeBatch(visit: (buf: Buffer, at: number, size: number) => boolean | void): void {
    walkBatches(this.#file, 0, this.#size, (buf, at, _position, size) => visit(buf, at, size), true);
  }

  /** Offset after the last batch (base offset when empty), read via the last index entry. */
  readNextOffset(): bigint {
    let next = this.baseOffset;
    walkBatches(this.#file, this.offsetIndex.lookup(this.baseOffset + INT32_MAX), this.#size, (buf, at) => {
      next = batchLastOffset(buf, at) + 1n;
    });
    return next;
  }

  /**
   * Rebuilds both indexes from the batches and cuts the file at the first batch that is torn,
   * corrupt or out of order (Kafka's LogSegment.recover): what was cut, and why.
   */
  recover(indexIntervalBytes: number): SegmentRecovery {
    this.offsetIndex.truncateToEntries(0);
    this.timeIndex.truncateToEntries(0);
    // Rebuilt by the log's producer-state replay, which starts at or below this segment.
    this.txnIndex.reset();
    this.#maxTimestamp = -1;
    this.#offsetOfMaxTimestamp = this.baseOffset;
    this.#rollingBasedTimestamp = undefined;
    this.#bytesSinceLastIndexEntry = 0;
    let next = this.baseOffset;
    let fault: string | undefined;
    const { position, end } = walkBatches(
      this.#file,
      0,
      this.#size,
      (buf, at, batchPosition, size) => {
        fault = storedBatchFault(buf, at, size, next);
        const lastOffset = batchLastOffset(buf, at);
        if (!fault && lastOffset - this.baseOffset > INT32_MAX) fault = `offset ${lastOffset} too far above the base offset`;
        if (fault) return false;
        const maxTimestamp = batchMaxTimestamp(buf, at);
        if (batchPosition === 0) this.#rollingBasedTimestamp = maxTimestamp;
        this.#indexBatch(batchPosition, size, lastOffset, maxTimestamp, indexIntervalBytes);
        next = lastOffset + 1n;
      },
      true,
    );
    if (end === 'torn') fault = 'a batch that runs past the end of the file (a torn write)';
    if (end === 'corrupt') fault = 'a batch length smaller than a batch header';
    const truncatedBytes = this.#size - position;
    if (truncatedBytes > 0) this.#truncateFile(position);
    this.writePendingIndexEntries();
    return { validBytes: position, truncatedBytes, ...(truncatedBytes > 0 && { fault }) };
  }

  /** Drops every batch holding an offset >= `offset` (the batch holding it goes whole). Returns bytes dropped. */
  truncateTo(offset: bigint, now: number): number {
    const from = this.translateOffset(offset);
    if (!from) return 0;
    this.offsetIndex.truncateTo(offset);
    this.timeIndex.truncateTo(offset);
    this.txnIndex.truncateTo(offset);
    const dropped = this.#size - from.position;
    this.#truncateFile(from.position);
    this.#bytesSinceLastIndexEntry = 0;
    if (this.#size === 0) {
      this.#created = now;
      this.#rollingBasedTimestamp = undefined;
    }
    this.#recomputeMaxTimestamp();
    return dropped;
  }

  /** A rolled segment: record its final max timestamp in the time index, as Kafka does, and write the entries still pending. */
  onBecomeInactive(): void {
    this.#appendFinalTimeIndexEntry();
    this.writePendingIndexEntries();
  }

  flush(): void {
    this.#file.sync();
    this.offsetIndex.flush();
    this.timeIndex.flush();
    this.txnIndex.flush();
  }

  /**
   * Closes the files' descriptors and drops the index entries from memory until an operation
   * needs them again (an inactive segment, a freshly loaded one).
   */
  release(): void {
    this.#file.close();
    this.offsetIndex.closeDescriptor();
    this.timeIndex.closeDescriptor();
    this.offsetIndex.releaseEntries();
    this.timeIndex.releaseEntries();
    this.txnIndex.releaseEntries();
  }

  /** flush() on the thread pool, off the event loop (a rolled segment). */
  flushAsync(): Promise<void> {
    const indexes = [this.offsetIndex.pathToSync(), this.timeIndex.pathToSync(), this.txnIndex.pathToSync()].filter((p) => p !== undefined);
    return fsyncFilesInBackground([this.#file.path, ...indexes]);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#maxTimestamp !== undefined) this.#appendFinalTimeIndexEntry();
    this.writePendingIndexEntries();
    this.offsetIndex.closeDescriptor();
    this.timeIndex.closeDescriptor();
    this.#file.close();
  }

  /** Renames the segment files from `<name><oldSuffix>` to `<name><newSuffix>`, the `.log` last. */
  changeFileSuffixes(oldSuffix: string, newSuffix: string): void {
    const renamed = (path: string) => path.slice(0, path.length - oldSuffix.length) + newSuffix;
    this.offsetIndex.rename(renamed(this.offsetIndex.path));
    this.timeIndex.rename(renamed(this.timeIndex.path));
    this.txnIndex.rename(renamed(this.txnIndex.path));
    this.#file.rename(renamed(this.#file.path));
  }

  /** Closes and renames the files to `.deleted`; returns those paths for asynchronous removal. */
  closeAndMarkDeleted(): string[] {
    this.close();
    const paths: string[] = [];
    for (const path of [this.#file.path, this.offsetIndex.path, this.timeIndex.path, this.txnIndex.path]) {
      try {
        renameSync(path, path + DELETED_SUFFIX);
        paths.push(path + DELETED_SUFFIX);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return paths;
  }

  #indexBatch(position: number, size: number, lastOffset: bigint, maxTimestamp: number, interval: number): void {
    if (maxTimestamp > this.maxTimestamp) {
      this.#maxTimestamp = maxTimestamp;
      this.#offsetOfMaxTimestamp = lastOffset;
    }
    if (this.#bytesSinceLastIndexEntry > interval) {
      this.offsetIndex.append(lastOffset, position);
      this.timeIndex.maybeAppend(this.#maxTimestamp!, this.#offsetOfMaxTimestamp);
      this.#bytesSinceLastIndexEntry = 0;
    }
    this.#bytesSinceLastIndexEntry += size;
  }

  #appendFinalTimeIndexEntry(): void {
    if (this.maxTimestamp >= 0) this.timeIndex.maybeAppend(this.maxTimestamp, this.#offsetOfMaxTimestamp);
  }

  #findBatch(from: number, match: (lastOffset: bigint, maxTimestamp: number) => boolean): BatchLocation | undefined {
    let found: BatchLocation | undefined;
    walkBatches(this.#file, from, this.#size, (buf, at, position, size) => {
      const lastOffset = batchLastOffset(buf, at);
      if (!match(lastOffset, batchMaxTimestamp(buf, at))) return true;
      found = { position, size, lastOffset };
      return false;
    });
    return found;
  }

  #timeWaitedForRoll(now: number, messageTimestamp: number): number {
    const first = this.firstBatchTimestamp ?? -1;
    return first >= 0 ? messageTimestamp - first : now - this.#created;
  }

  /** A closed segment's time index ends with its max timestamp (close and roll append it). */
  #loadMaxTimestamp(): void {
    if (this.#maxTimestamp !== undefined) return;
    const last = this.timeIndex.lastTimestampOffset();
    this.#maxTimestamp = last?.timestamp ?? -1;
    this.#offsetOfMaxTimestamp = last?.offset ?? this.baseOffset;
  }

  /** After a truncation: the time index's last entry, then the batches after it (Kafka's readLargestTimestamp). */
  #recomputeMaxTimestamp(): void {
    this.#maxTimestamp = undefined;
    this.#loadMaxTimestamp();
    walkBatches(this.#file, this.offsetIndex.lookup(this.#offsetOfMaxTimestamp), this.#size, (buf, at) => {
      const maxTimestamp = batchMaxTimestamp(buf, at);
      if (maxTimestamp > this.#maxTimestamp!) {
        this.#maxTimestamp = maxTimestamp;
        this.#offsetOfMaxTimestamp = batchLastOffset(buf, at);
      }
    });
  }

  #truncateFile(size: number): void {
    this.#file.truncate(size);
    this.#size = size;
  }
}
