import { unlink } from 'node:fs/promises';
import { ATTR, BATCH, lastSequence, readBatchHeader, type BatchHeader } from '../../protocol/records/batch-header.js';
import { crc32c } from '../../protocol/records/crc.js';
import { fsyncDir } from './file-io.js';
import type { LogConfig } from './log-config.js';
import { LogError } from './log-error.js';
import { SWAP_SUFFIX, topicPartitionKey, type TopicPartition } from './log-file-names.js';
import { isDescriptorShortage, isFileSystemError, storageError } from './storage-error.js';
import { floorIndex, loadLog } from './log-loader.js';
import { LogSegment } from './log-segment.js';
import { type AnalyzedAppend, analyzeAppend } from './producer-state/analyze-append.js';
import type { AppendOrigin, CompletedTxn } from './producer-state/producer-append-info.js';
import { ProducerStateManager } from './producer-state/producer-state-manager.js';
import type { AbortedTxn } from './transaction-index.js';
import { segmentsBelowLogStart, segmentsToDelete } from './retention.js';
import { batchLastOffset, batchMaxTimestamp } from './stored-batch.js';

export interface LogOptions {
  /** The partition directory, `<log dir>/<topic>-<partition>`; it must exist. */
  dir: string;
  topicPartition: TopicPartition;
  config: LogConfig;
  /** From the log dir's checkpoints; default 0. */
  logStartOffset?: bigint;
  recoveryPoint?: bigint;
  /** Skip the recovery scan (the log dir had `.kafka_cleanshutdown`, or the directory is new). */
  hadCleanShutdown?: boolean;
  now?: () => number;
  /** Failures of background work (asynchronous fsync, file removal): nobody awaits them. */
  onError?: (err: Error) => void;
  /**
   * What recovery changed in the files at open (see loadLog), and anomalies that change nothing (a
   * follower's batch older than its producer's epoch, a corrupt snapshot deleted).
   */
  warn?: (message: string) => void;
  /** The recovery point moved: everything below it is now fsynced. */
  onFlushed?: () => void;
  /** A file system call failed (the error names what, which file and why): the log dir is failing. */
  onStorageFailure?: (err: LogError) => void;
}

const EMPTY = Buffer.alloc(0);

/**
 * How long index entries may wait in memory before their files get them: one write per index
 * file in that time instead of one per append (with 16 KiB batches, two of every three writes a
 * produce made were index entries). Lookups use the entries in memory; a roll, flush or close
 * writes them at once; after a crash, recovery rebuilds the indexes past the recovery point.
 */
const INDEX_WRITE_BEHIND_MS = 100;

/**
 * A leader assigns offsets and stamps its epoch, checking producers as `origin` requires (a
 * client's batches fully, a coordinator's markers by epoch); a follower appends the leader's
 * batches as they are.
 */
export type AppendOptions =
  | {
      leaderEpoch: number;
      origin?: Exclude<AppendOrigin, 'replication'>;
      /** KIP-890: the producer's guard from its verification, when the batch was verified with its coordinator. */
      verificationGuard?: object;
    }
  | { asFollower: true };

/** What Produce answers with (Kafka's LogAppendInfo, the parts the broker needs). */
export interface LogAppendInfo {
  baseOffset: bigint;
  lastOffset: bigint;
  /** The stamped append time with message.timestamp.type=LogAppendTime, else -1. */
  logAppendTime: number;
  logStartOffset: bigint;
  /** The batch was a producer's retry of one already written: these are its offsets, nothing was appended. */
  duplicate?: true;
}

export interface ReadOptions {
  /** Only batches ending below this offset (high watermark, last stable offset). */
  maxOffset?: bigint;
  /** Return the first batch even when it exceeds maxBytes (KIP-74); default true. */
  minOneBatch?: boolean;
}

/** A whole stored batch and its header: ListOffsets refines the record inside it. */
export interface FoundBatch {
  batch: Buffer;
  header: BatchHeader;
}

/** One stored batch's header, as producer-state rebuilding reads it. */
export interface LogBatch extends BatchHeader {
  lastOffset: bigint;
  /** -1 without idempotence; wraps past 2^31-1 as Kafka's sequences do. */
  lastSequence: number;
  isTransactional: boolean;
  isControl: boolean;
}

/**
 * One partition's log (Kafka's UnifiedLog + LocalLog): an ordered list of segments, the last one
 * active. Appends are opaque batches: only their 61-byte headers are read and stamped.
 * All file access is synchronous, so no other operation (truncation, retention, deletion) can
 * interleave with a read; a read on a closed log is a LOG_CLOSED LogError.
 */
export class Log {
  readonly topicPartition: TopicPartition;
  readonly dir: string;
  config: LogConfig;
  #segments: LogSegment[];
  #logStartOffset: bigint;
  #logEndOffset: bigint;
  #recoveryPoint: bigint;
  #lastFlushTime: number;
  /** Bumped by truncations: a background flush that began before one must not move the recovery point. */
  #truncations = 0;
  #closed = false;
  readonly #producerState: ProducerStateManager;
  readonly #pending = new Set<Promise<void>>();
  readonly #now: () => number;
  readonly #onError: (err: Error) => void;
  readonly #onFlushed: () => void;
  readonly #onStorageFailure: (err: LogError) => void;
  /** Set when the log dir failed: every operation answers KAFKA_STORAGE_ERROR. */
  #offline: string | undefined;
  /** Armed while the active segment has index entries to write (INDEX_WRITE_BEHIND_MS). */
  #indexWrite: NodeJS.Timeout | undefined;

  private constructor(options: LogOptions) {
    this.topicPartition = options.topicPartition;
    this.dir = options.dir;
    this.config = options.config;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => {});
    this.#onFlushed = options.onFlushed ?? (() => {});
    this.#onStorageFailure = options.onStorageFailure ?? (() => {});
    const loaded = loadLog({
      dir: options.dir,
      config: options.config,
      logStartOffset: options.logStartOffset ?? 0n,
      recoveryPoint: options.recoveryPoint ?? 0n,
      hadCleanShutdown: options.hadCleanShutdown ?? false,
      now: this.#now(),
      rollJitterMs: () => this.#rollJitterMs(),
      warn: options.warn ?? ((message) => this.#onError(new Error(message))),
    });
    this.#segments = loaded.segments;
    this.#logStartOffset = loaded.logStartOffset;
    this.#logEndOffset = loaded.logEndOffset;
    this.#recoveryPoint = loaded.recoveryPoint;
    this.#lastFlushTime = this.#now();
    this.#producerState = new ProducerStateManager(this.name, this.dir, options.warn ?? (() => {}));
    this.#rebuildProducerState(loaded.firstRecoveredOffset);
    // The replay opened the segments it read: an idle partition holds no descriptor (see loadLog).
    for (const segment of this.#segments) segment.release();
  }

  static open(options: LogOptions): Log {
    return new Log(options);
  }

  get name(): string {
    return topicPartitionKey(this.topicPartition);
  }

  get logStartOffset(): bigint {
    return this.#logStartOffset;
  }

  /** The offset the next appended record gets. */
  get logEndOffset(): bigint {
    return this.#logEndOffset;
  }

  /** Offsets below this are fsynced; recovery after a crash starts from its segment. */
  get recoveryPoint(): bigint {
    return this.#recoveryPoint;
  }

  get lastFlushTime(): number {
    return this.#lastFlushTime;
  }

  get size(): number {
    return this.#segments.reduce((sum, s) => sum + s.size, 0);
  }

  get segmentBaseOffsets(): bigint[] {
    return this.#segments.map((s) => s.baseOffset);
  }

  /** Oldest first, the last one active. For the log cleaner, which reads the inactive ones. */
  get segments(): readonly LogSegment[] {
    return this.#segments;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Idempotent and transactional producers' state: epochs, recent batches, open transactions. */
  get producerState(): ProducerStateManager {
    return this.#producerState;
  }

  /**
   * The first offset of a transaction not yet settled at `highWatermark` (open, or its marker not
   * below the high watermark yet); undefined when none. The last stable offset is the smaller of it and the high watermark.
   */
  firstUnstableOffset(highWatermark: bigint): bigint | undefined {
    return this.#producerState.firstUnstableOffset(highWatermark);
  }

  /**
   * Aborted transactions that overlap [fetchOffset, upperBoundOffset), from the indexes of the
   * segment holding `fetchOffset` on (Kafka's collectAbortedTransactions), for read_committed fetches.
   */
  collectAbortedTxns(fetchOffset: bigint, upperBoundOffset: bigint): AbortedTxn[] {
    return this.io(`reading the transaction indexes of ${this.name}`, () => {
      this.#ensureOpen();
      const aborted: AbortedTxn[] = [];
      for (let i = Math.max(0, floorIndex(this.#segments, fetchOffset)); i < this.#segments.length; i++) {
        const found = this.#segments[i]!.txnIndex.collectAbortedTxns(fetchOffset, upperBoundOffset);
        aborted.push(...found.aborted);
        if (found.isComplete) break;
      }
      return aborted;
    });
  }

  /** Whether its log dir failed (Kafka's offline replica). */
  get offline(): boolean {
    return this.#offline !== undefined;
  }

  /**
   * Its log dir failed: the files are closed (errors ignored, the disk is failing) and every later
   * call answers KAFKA_STORAGE_ERROR, as Kafka answers for a partition in an offline log dir.
   */
  markOffline(logDir: string): void {
    this.#offline ??= `Partition ${this.name} is in an offline log directory ${logDir}`;
    if (this.#closed) return;
    this.#closed = true;
    for (const segment of this.#segments) {
      try {
        segment.close();
      } catch {
        // The dir is offline already; nothing more to report.
      }
    }
  }

  /**
   * Appends one or more whole v2 batches, already validated. A leader's batches get their offsets
   * (and with LogAppendTime their timestamps) written into the caller's buffer in place, then the
   * buffer goes to the active segment in one write.
   */
  append(records: Buffer, options: AppendOptions): LogAppendInfo {
    return this.io(`appending to ${this.name}`, () => {
      this.#ensureOpen();
      const config = this.config;
      if (records.length > config['segment.bytes']) {
        throw new LogError(
          'RECORD_BATCH_TOO_LARGE',
          `Message batch size is ${records.length} bytes in append to partition ${this.name} which exceeds the maximum configured segment size of ${config['segment.bytes']}.`,
        );
      }
      const now = this.#now();
      const asLeader = 'leaderEpoch' in options;
      const logAppendTime = asLeader && config['message.timestamp.type'] === 'LogAppendTime' ? now : -1;
      let next = this.#logEndOffset;
      let firstOffset: bigint | undefined;
      let maxTimestamp = -1;
      for (let at = 0; at < records.length; ) {
        const size = at + BATCH.HEADER_SIZE <= records.length ? records.readInt32BE(at + BATCH.LENGTH) + BATCH.LOG_OVERHEAD : 0;
        if (size < BATCH.HEADER_SIZE || at + size > records.length || records[at + BATCH.MAGIC] !== 2) {
          throw new LogError('CORRUPT_MESSAGE', `Append to ${this.name}: record data is not whole v2 batches`);
        }
        if (asLeader) {
          records.writeBigInt64BE(next, at + BATCH.BASE_OFFSET);
          records.writeInt32BE(options.leaderEpoch, at + BATCH.PARTITION_LEADER_EPOCH);
          if (logAppendTime >= 0) stampLogAppendTime(records, at, size, logAppendTime);
        } else {
          const base = records.readBigInt64BE(at + BATCH.BASE_OFFSET);
          if (base < next) {
            throw new LogError(
              'UNEXPECTED_APPEND_OFFSET',
              `Unexpected offset in append to ${this.name}: first offset ${base} is below the log end offset ${next}`,
            );
          }
          next = base;
        }
        firstOffset ??= next;
        next = batchLastOffset(records, at) + 1n;
        maxTimestamp = Math.max(maxTimestamp, batchMaxTimestamp(records, at));
        at += size;
      }
      const info = (baseOffset: bigint): LogAppendInfo => ({
        baseOffset,
        lastOffset: next - 1n,
        logAppendTime,
        logStartOffset: this.#logStartOffset,
      });
      if (firstOffset === undefined) return info(this.#logEndOffset);
      const analyzed = asLeader
        ? analyzeAppend(this.#producerState, records, options.origin ?? 'client', options.verificationGuard)
        : analyzeAppend(this.#producerState, records, 'replication');
      if (analyzed.duplicate) {
        const { firstOffset: base, lastOffset } = analyzed.duplicate;
        return { baseOffset: base, lastOffset, logAppendTime: -1, logStartOffset: this.#logStartOffset, duplicate: true };
      }

      let active = this.#active;
      if (active.shouldRoll(config, records.length, maxTimestamp, next - 1n, now)) {
        active = this.#roll(asLeader ? this.#logEndOffset : firstOffset);
      }
      active.append(records, config['index.interval.bytes']);
      if (active.indexEntriesPending) this.#indexWrite ??= setTimeout(() => this.#writeIndexEntries(), INDEX_WRITE_BEHIND_MS).unref();
      this.#logEndOffset = next;
      this.#applyProducerState(analyzed, next);
      if (Number(this.#logEndOffset - this.#recoveryPoint) >= config['flush.messages']) this.flush();
      return info(firstOffset);
    });
  }

  /**
   * Whole batches from the one holding `offset` (which may start before it), up to `maxBytes`.
   * An offset below the log start or above the log end is OFFSET_OUT_OF_RANGE; at the end, empty.
   */
  read(offset: bigint, maxBytes: number, options: ReadOptions = {}): Buffer {
    this.#ensureOpen();
    if (offset < this.#logStartOffset || offset > this.#logEndOffset) {
      throw new LogError(
        'OFFSET_OUT_OF_RANGE',
        `Received request for offset ${offset} for partition ${this.name}, but we only have log segments in the range ${this.#logStartOffset} to ${this.#logEndOffset}.`,
      );
    }
    // Kafka's LocalLog.read: nothing to read at the log end or past the limit, so an idle
    // partition's fetch touches no segment file (the usual fetch of a caught-up follower or consumer).
    if (offset === this.#logEndOffset || (options.maxOffset !== undefined && offset >= options.maxOffset)) return EMPTY;
    return this.io(`reading ${this.name}`, () => {
      const minOneBatch = options.minOneBatch ?? true;
      for (let i = Math.max(0, floorIndex(this.#segments, offset)); i < this.#segments.length; i++) {
        const data = this.#segments[i]!.read(offset, Math.max(0, maxBytes), options.maxOffset);
        if (data === undefined) continue;
        return minOneBatch || data.length <= maxBytes ? data : EMPTY;
      }
      return EMPTY;
    });
  }

  /**
   * The first batch (from the log start) whose max timestamp is >= `timestamp`, via the time index
   * (ListOffsets by timestamp). The answer is a record inside it: the caller finds the first
   * record at or after `timestamp`, which needs the records decoded.
   */
  offsetForTimestamp(timestamp: number): FoundBatch | undefined {
    return this.io(`looking up a timestamp in ${this.name}`, () => {
      this.#ensureOpen();
      for (const segment of this.#segments) {
        if (segment.maxTimestamp < timestamp) continue;
        const found = segment.findByTimestamp(timestamp, this.#logStartOffset);
        if (found) return toFoundBatch(segment.readBatch(found));
      }
      return undefined;
    });
  }

  /** The batch holding the log's largest timestamp (ListOffsets MAX_TIMESTAMP), or undefined when empty. */
  batchWithMaxTimestamp(): FoundBatch | undefined {
    return this.io(`looking up the largest timestamp in ${this.name}`, () => {
      this.#ensureOpen();
      let best: LogSegment | undefined;
      for (const segment of this.#segments) {
        if (segment.maxTimestamp >= 0 && (!best || segment.maxTimestamp > best.maxTimestamp)) best = segment;
      }
      const found = best?.translateOffset(best.offsetOfMaxTimestamp);
      return found && toFoundBatch(best!.readBatch(found));
    });
  }

  /** Visits the header of every batch ending at or after `fromOffset`, in order, until `visit` returns false. */
  forEachBatch(fromOffset: bigint, visit: (batch: LogBatch) => boolean | void): void {
    this.io(`reading ${this.name}`, () => {
      this.#ensureOpen();
      for (let i = Math.max(0, floorIndex(this.#segments, fromOffset)); i < this.#segments.length; i++) {
        const more = this.#segments[i]!.forEachBatch(fromOffset, (buf, at) => {
          const lastOffset = batchLastOffset(buf, at);
          return lastOffset < fromOffset || visit(toLogBatch(readBatchHeader(buf, at), lastOffset));
        });
        if (!more) return;
      }
    });
  }

  /**
   * Drops everything at and above `offset` (replication: a follower's divergent tail). The batch
   * holding `offset` goes whole. Returns false when there was nothing to drop.
   */
  truncateTo(offset: bigint): boolean {
    return this.io(`truncating ${this.name}`, () => {
      this.#ensureOpen();
      if (offset < 0n) throw new LogError('OFFSET_OUT_OF_RANGE', `Cannot truncate ${this.name} to a negative offset ${offset}`);
      if (offset >= this.#logEndOffset) return false;
      if (offset < this.#segments[0]!.baseOffset) {
        this.truncateFullyAndStartAt(offset);
        return true;
      }
      this.#truncations++;
      const keep = floorIndex(this.#segments, offset) + 1;
      this.#deleteSegments(this.#segments.splice(keep));
      this.#active.truncateTo(offset, this.#now());
      this.#logEndOffset = offset;
      if (this.#recoveryPoint > offset) this.#recoveryPoint = offset;
      if (this.#logStartOffset > offset) this.#logStartOffset = offset;
      this.#rebuildProducerState();
      return true;
    });
  }

  /** Deletes every segment and starts empty at `offset` (a follower far behind the leader's log start). */
  truncateFullyAndStartAt(offset: bigint): void {
    this.io(`truncating ${this.name}`, () => {
      this.#ensureOpen();
      this.#truncations++;
      this.#deleteSegments(this.#segments.splice(0));
      this.#segments.push(LogSegment.create(this.dir, offset, this.#now(), this.#rollJitterMs()));
      this.#logStartOffset = this.#logEndOffset = this.#recoveryPoint = offset;
      this.#producerState.deleteSnapshotsAbove(-1n);
      this.#producerState.reset(offset);
    });
  }

  /**
   * DeleteRecords: moves the log start offset up to `offset` and deletes the segments wholly below
   * it. Returns the new log start offset.
   */
  deleteRecordsBefore(offset: bigint): bigint {
    return this.io(`deleting segments of ${this.name}`, () => {
      this.#ensureOpen();
      if (offset > this.#logEndOffset) {
        throw new LogError(
          'OFFSET_OUT_OF_RANGE',
          `Cannot increment the log start offset to ${offset} of partition ${this.name} since it is larger than the log end offset ${this.#logEndOffset}`,
        );
      }
      if (offset > this.#logStartOffset) {
        this.#logStartOffset = offset;
        this.#deleteSegments(this.#segments.splice(0, segmentsBelowLogStart(this.#segments, offset)));
        this.#producerState.deleteSnapshotsBelow(this.#segments[0]!.baseOffset);
      }
      return this.#logStartOffset;
    });
  }

  /** Retention (retention.ms, retention.bytes) and segments below the log start. Returns segments deleted. */
  deleteOldSegments(): number {
    return this.io(`deleting segments of ${this.name}`, () => {
      this.#ensureOpen();
      const count = segmentsToDelete(this.#segments, this.config, this.#logStartOffset, this.#now());
      if (count === 0) return 0;
      if (count === this.#segments.length) this.roll();
      this.#deleteSegments(this.#segments.splice(0, count));
      const firstBase = this.#segments[0]!.baseOffset;
      if (firstBase > this.#logStartOffset) this.#logStartOffset = firstBase;
      this.#producerState.deleteSnapshotsBelow(firstBase);
      return count;
    });
  }

  /**
   * The log cleaner's swap (Kafka's replaceSegments): `cleaned`, whose files carry the `.swap`
   * suffix, takes the place of `old`, a run of inactive segments starting at its base offset. The
   * old files become `.deleted`, then the swap files get their final names: a crash in between
   * leaves the `.swap` files, which loading completes. Synchronous, so no read sees a half swap.
   */
  replaceSegments(old: readonly LogSegment[], cleaned: LogSegment): void {
    this.io(`swapping cleaned segments into ${this.name}`, () => {
      this.#ensureOpen();
      const first = this.#segments.indexOf(old[0]!);
      const inPlace = first >= 0 && first + old.length < this.#segments.length && old.every((s, i) => this.#segments[first + i] === s);
      if (!inPlace || cleaned.baseOffset !== old[0]!.baseOffset) {
        throw new LogError(
          'KAFKA_STORAGE_ERROR',
          `Cannot swap cleaned segment ${cleaned.baseOffset} into ${this.name}: the segments it replaces are not in place`,
        );
      }
      this.#deleteSegments(this.#segments.splice(first, old.length, cleaned));
      cleaned.changeFileSuffixes(SWAP_SUFFIX, '');
      fsyncDir(this.dir);
    });
  }

  /** Starts a new active segment at the log end offset (no-op when the active one is empty). */
  roll(): void {
    this.io(`rolling ${this.name}`, () => {
      this.#ensureOpen();
      this.#roll(this.#logEndOffset);
    });
  }

  /** fsyncs every segment at or above the recovery point, which then moves to the log end; nothing when it is there already. */
  flush(): void {
    this.io(`flushing ${this.name}`, () => {
      this.#ensureOpen();
      this.#lastFlushTime = this.#now();
      // Nothing appended since the last flush: nothing to fsync (Kafka skips it too).
      if (this.#logEndOffset <= this.#recoveryPoint) return;
      for (const segment of this.#segmentsFrom(this.#recoveryPoint)) segment.flush();
      this.#recoveryPoint = this.#logEndOffset;
      this.#onFlushed();
    });
  }

  /**
   * Closes the files, after a producer-state snapshot at the log end (a clean shutdown replays
   * nothing). Further calls fail with LOG_CLOSED; background work still settles (see settled()).
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#producerState.takeSnapshot();
    } catch (err) {
      this.#onError(new Error(`Cannot write the producer state snapshot of ${this.name}: ${(err as Error).message}`));
    }
    clearTimeout(this.#indexWrite);
    for (const segment of this.#segments) segment.close();
  }

  #writeIndexEntries(): void {
    this.#indexWrite = undefined;
    if (this.#closed || this.#offline !== undefined) return;
    try {
      this.#active.writePendingIndexEntries();
    } catch (err) {
      this.#backgroundFailure(err, `writing the index entries of ${this.name}`);
    }
  }

  /** Resolves when background fsyncs and file removals started so far are done. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  get #active(): LogSegment {
    return this.#segments.at(-1)!;
  }

  #roll(baseOffset: bigint): LogSegment {
    const previous = this.#active;
    if (previous.size === 0) {
      if (previous.baseOffset === baseOffset) return previous;
      this.#deleteSegments(this.#segments.splice(-1));
    } else {
      previous.onBecomeInactive();
    }
    const segment = LogSegment.create(this.dir, baseOffset, this.#now(), this.#rollJitterMs());
    this.#segments.push(segment);
    if (previous.size > 0) {
      // Kafka snapshots producer state at every roll: recovery replays at most the active segment.
      this.#producerState.updateMapEndOffset(baseOffset);
      this.#producerState.takeSnapshot();
      this.#flushInBackground(baseOffset);
    }
    return segment;
  }

  /** Applies what an append did to producer state: entries, opened transactions, markers (aborts indexed). */
  #applyProducerState(analyzed: AnalyzedAppend, nextOffset: bigint): void {
    for (const update of analyzed.updates) this.#producerState.update(update);
    for (const completed of analyzed.completed) this.#completeTxn(completed);
    this.#producerState.updateMapEndOffset(nextOffset);
  }

  /**
   * A marker ended a transaction: an abort goes into the `.txnindex` of the marker's segment with
   * the last stable offset at that point, unless a replay finds it there already.
   */
  #completeTxn(completed: CompletedTxn): void {
    if (completed.isAborted) {
      const segment = this.#segments[Math.max(0, floorIndex(this.#segments, completed.lastOffset))]!;
      const last = segment.txnIndex.entries.at(-1);
      if (!last || last.lastOffset < completed.lastOffset) {
        segment.txnIndex.append({
          producerId: completed.producerId,
          firstOffset: completed.firstOffset,
          lastOffset: completed.lastOffset,
          lastStableOffset: this.#producerState.lastStableOffsetAfter(completed),
        });
      }
    }
    this.#producerState.completeTxn(completed);
  }

  /**
   * Producer state for the current log end (Kafka's loadProducerState): the latest snapshot at or
   * below it (and at or below `replayFrom`, where recovery rebuilt segments' aborted-transaction
   * indexes), then every batch after it replayed, re-indexing aborts the indexes lack.
   */
  #rebuildProducerState(replayFrom?: bigint): void {
    const end = this.#logEndOffset;
    const state = this.#producerState;
    state.deleteSnapshotsAbove(end);
    const loaded = state.loadLatestSnapshot(replayFrom !== undefined && replayFrom < end ? replayFrom : end);
    if (loaded === undefined) state.reset(this.#logStartOffset);
    const from = loaded !== undefined && loaded > this.#logStartOffset ? loaded : this.#logStartOffset;
    // A snapshot at the log end (a clean shutdown) leaves nothing to replay: no segment is read.
    const first = from < end ? Math.max(0, floorIndex(this.#segments, from)) : this.#segments.length;
    for (let i = first; i < this.#segments.length; i++) {
      this.#segments[i]!.forEachWholeBatch((buf, at, size) => {
        const lastOffset = batchLastOffset(buf, at);
        if (lastOffset < from) return;
        this.#applyProducerState(analyzeAppend(state, buf.subarray(at, at + size), 'replication'), lastOffset + 1n);
      });
    }
    state.updateMapEndOffset(end);
  }

  /** Kafka flushes a rolled segment on its scheduler thread; here the thread pool does the fsync. */
  #flushInBackground(upTo: bigint): void {
    const truncations = this.#truncations;
    const segments = this.#segmentsFrom(this.#recoveryPoint).filter((s) => s.baseOffset < upTo);
    this.#track(
      Promise.all(segments.map((s) => s.flushAsync())).then(() => {
        if (this.#closed || truncations !== this.#truncations) return;
        // Rolled segments are read again only by consumers catching up: their descriptors go until then.
        for (const segment of segments) if (segment !== this.#active) segment.release();
        if (upTo <= this.#recoveryPoint) return;
        this.#recoveryPoint = upTo;
        this.#onFlushed();
      }),
    );
  }

  #segmentsFrom(offset: bigint): LogSegment[] {
    return this.#segments.slice(Math.max(0, floorIndex(this.#segments, offset)));
  }

  /** Closes, renames to `.deleted` now, unlinks in the background (Kafka's asynchronous segment delete). */
  #deleteSegments(segments: LogSegment[]): void {
    for (const segment of segments) {
      for (const path of segment.closeAndMarkDeleted()) {
        this.#track(
          unlink(path).catch((err: NodeJS.ErrnoException) => {
            if (err.code !== 'ENOENT') throw err;
          }),
          `deleting segments of ${this.name}`,
        );
      }
    }
  }

  /** Background work (fsync, file removal); a file system failure in it is a failing log dir too. */
  #track(work: Promise<void>, doing = `flushing ${this.name}`): void {
    const tracked = work.catch((err: unknown) => this.#backgroundFailure(err, doing));
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  /** A failure of work nobody awaits: a file system failure is a failing log dir, anything else is reported. */
  #backgroundFailure(err: unknown, doing: string): void {
    if (isFileSystemError(err)) this.#storageFailure(storageError(doing, this.dir, err));
    else this.#onError(err instanceof Error ? err : new Error(String(err)));
  }

  #rollJitterMs(): number {
    const jitter = Math.min(this.config['segment.jitter.ms'], this.config['segment.ms']);
    return jitter > 0 ? Math.floor(Math.random() * jitter) : 0;
  }

  #ensureOpen(): void {
    if (this.#offline) throw new LogError('KAFKA_STORAGE_ERROR', this.#offline);
    if (this.#closed) throw new LogError('LOG_CLOSED', `The log of ${this.name} in ${this.dir} is closed`);
  }

  /**
   * Runs `work` on the log's files (its own, or those kept beside it: leader-epoch-checkpoint); a
   * file system failure becomes KAFKA_STORAGE_ERROR naming what was being done, the file and the
   * reason (Kafka's maybeHandleIOException), and is reported as a failing log dir unless the
   * process only ran out of descriptors.
   */
  io<T>(doing: string, work: () => T): T {
    try {
      return work();
    } catch (err) {
      if (!isFileSystemError(err)) throw err;
      throw this.#storageFailure(storageError(doing, this.dir, err));
    }
  }

  #storageFailure(error: LogError): LogError {
    if (isDescriptorShortage(error)) this.#onError(error);
    else this.#onStorageFailure(error);
    return error;
  }
}

/** LogAppendTime: the timestamp type bit and maxTimestamp are under the CRC, so it is recomputed. */
function stampLogAppendTime(records: Buffer, at: number, size: number, now: number): void {
  records.writeInt16BE(records.readInt16BE(at + BATCH.ATTRIBUTES) | ATTR.TIMESTAMP_LOG_APPEND, at + BATCH.ATTRIBUTES);
  records.writeBigInt64BE(BigInt(now), at + BATCH.MAX_TIMESTAMP);
  records.writeUInt32BE(crc32c(records.subarray(at + BATCH.ATTRIBUTES, at + size)), at + BATCH.CRC);
}

function toFoundBatch(batch: Buffer): FoundBatch {
  return { batch, header: readBatchHeader(batch) };
}

function toLogBatch(header: BatchHeader, lastOffset: bigint): LogBatch {
  return {
    ...header,
    lastOffset,
    lastSequence: lastSequence(header),
    isTransactional: (header.attributes & ATTR.TRANSACTIONAL) !== 0,
    isControl: (header.attributes & ATTR.CONTROL) !== 0,
  };
}
