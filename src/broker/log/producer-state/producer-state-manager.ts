import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  CorruptSnapshotError,
  decodeProducerSnapshot,
  encodeProducerSnapshot,
  type ProducerSnapshotEntry,
} from '../../../protocol/records/producer-snapshot.js';
import { filenamePrefixFromOffset, PRODUCER_SNAPSHOT_SUFFIX } from '../log-file-names.js';
import { naming } from '../storage-error.js';
import { type AppendOrigin, type CompletedTxn, ProducerAppendInfo } from './producer-append-info.js';
import { ProducerStateEntry } from './producer-state-entry.js';

/** A completed transaction whose marker is not below the high watermark yet (Kafka's unreplicatedTxns). */
interface UnreplicatedTxn {
  firstOffset: bigint;
  lastOffset: bigint;
}

const SNAPSHOT_FILE = /^(\d{20})\.snapshot$/;

/**
 * One partition's producer state (Kafka's ProducerStateManager): per producer id its epoch,
 * recent batches and open transaction; the open transactions by first offset and the completed
 * ones not yet replicated, which together give the first unstable offset (and so the last stable
 * offset); and `<offset>.snapshot` files of it, so that a restart replays only what follows the
 * latest snapshot. `mapEndOffset` is the next offset the state has not seen.
 */
export class ProducerStateManager {
  readonly #producers = new Map<bigint, ProducerStateEntry>();
  /** Open transactions: first offset -> producer id. */
  readonly #ongoing = new Map<bigint, bigint>();
  /** Ordered by marker offset. */
  #unreplicated: UnreplicatedTxn[] = [];
  #mapEndOffset = 0n;
  /** KIP-890: producers verified with their coordinator before their first transactional batch here (Kafka's VerificationStateEntry). */
  readonly #verificationGuards = new Map<bigint, object>();

  constructor(
    private readonly partition: string,
    private readonly dir: string,
    private readonly warn: (message: string) => void,
  ) {}

  get mapEndOffset(): bigint {
    return this.#mapEndOffset;
  }

  /** Every producer with state here (DescribeProducers). */
  get producers(): ReadonlyMap<bigint, ProducerStateEntry> {
    return this.#producers;
  }

  entry(producerId: bigint): ProducerStateEntry | undefined {
    return this.#producers.get(producerId);
  }

  /** The checks and state of an append by `producerId` (Kafka's prepareUpdate). */
  prepareUpdate(producerId: bigint, origin: AppendOrigin): ProducerAppendInfo {
    const current = this.#producers.get(producerId) ?? ProducerStateEntry.empty(producerId);
    return new ProducerAppendInfo(this.partition, producerId, current, origin, this.warn);
  }

  /**
   * The guard a transactional produce is verified under (created on first use): an append that
   * opens a transaction must bring the producer's current guard, and a marker for the producer
   * clears it, so a batch verified before a marker cannot open a transaction after it.
   */
  verificationGuard(producerId: bigint): object {
    let guard = this.#verificationGuards.get(producerId);
    if (!guard) this.#verificationGuards.set(producerId, (guard = {}));
    return guard;
  }

  hasVerificationGuard(producerId: bigint, guard: object): boolean {
    return this.#verificationGuards.get(producerId) === guard;
  }

  /** Takes over what an append left (Kafka's update): the producer's entry and the transactions it opened. */
  update(info: ProducerAppendInfo): void {
    const existing = this.#producers.get(info.producerId);
    if (existing) existing.update(info.entry);
    else this.#producers.set(info.producerId, info.entry);
    for (const firstOffset of info.startedTransactions) this.#ongoing.set(firstOffset, info.producerId);
    if (info.wroteMarker) this.#verificationGuards.delete(info.producerId);
  }

  /**
   * The last stable offset the index records for a transaction its marker just completed (Kafka's
   * lastStableOffset(completedTxn)): the first offset of the earliest other open transaction, else
   * the offset after the marker.
   */
  lastStableOffsetAfter(completed: CompletedTxn): bigint {
    let first: bigint | undefined;
    for (const [firstOffset, producerId] of this.#ongoing) {
      if (producerId !== completed.producerId && (first === undefined || firstOffset < first)) first = firstOffset;
    }
    return first ?? completed.lastOffset + 1n;
  }

  /** The marker was written: the transaction is no longer open, but unstable until replicated. */
  completeTxn(completed: CompletedTxn): void {
    if (this.#ongoing.get(completed.firstOffset) !== completed.producerId) {
      this.warn(
        `${this.partition}: completed a transaction of producer ${completed.producerId} at ${completed.firstOffset} that was not open`,
      );
    }
    this.#ongoing.delete(completed.firstOffset);
    this.#unreplicated.push({ firstOffset: completed.firstOffset, lastOffset: completed.lastOffset });
  }

  /**
   * The first offset a read_committed consumer may not pass given the high watermark (Kafka's
   * firstUnstableOffset after onHighWatermarkUpdated): transactions whose marker is below it are
   * settled for good.
   */
  firstUnstableOffset(highWatermark: bigint): bigint | undefined {
    if (this.#unreplicated.length > 0 && this.#unreplicated[0]!.lastOffset < highWatermark) {
      this.#unreplicated = this.#unreplicated.filter((t) => t.lastOffset >= highWatermark);
    }
    let first: bigint | undefined;
    for (const offset of this.#ongoing.keys()) if (first === undefined || offset < first) first = offset;
    for (const t of this.#unreplicated) if (first === undefined || t.firstOffset < first) first = t.firstOffset;
    return first;
  }

  /** Open transactions, oldest first (find-hanging, DescribeProducers). */
  get ongoingTransactions(): { producerId: bigint; firstOffset: bigint }[] {
    return [...this.#ongoing]
      .map(([firstOffset, producerId]) => ({ producerId, firstOffset }))
      .sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  }

  /**
   * Forgets producers idle for `expirationMs` (Kafka's removeExpiredProducers): the last write's
   * timestamp that long before `now`, and no open transaction. Returns how many went.
   */
  removeExpiredProducers(now: number, expirationMs: number): number {
    let removed = 0;
    for (const [producerId, entry] of this.#producers) {
      if (entry.currentTxnFirstOffset !== undefined || BigInt(now) - entry.lastTimestamp < BigInt(expirationMs)) continue;
      this.#producers.delete(producerId);
      removed++;
    }
    return removed;
  }

  updateMapEndOffset(offset: bigint): void {
    this.#mapEndOffset = offset;
  }

  /** Forgets everything; the state restarts at `offset`. */
  reset(offset: bigint): void {
    this.#producers.clear();
    this.#ongoing.clear();
    this.#verificationGuards.clear();
    this.#unreplicated = [];
    this.#mapEndOffset = offset;
  }

  /**
   * Loads the latest usable snapshot at or below `maxOffset` (a corrupt one is deleted and the
   * next older tried, as Kafka does), after deleting every snapshot above it. Returns the offset
   * replay must continue from, or undefined when no snapshot was usable (the state is then empty).
   */
  loadLatestSnapshot(maxOffset: bigint): bigint | undefined {
    this.deleteSnapshotsAbove(maxOffset);
    for (const offset of this.#snapshotOffsets().reverse()) {
      const path = this.#snapshotPath(offset);
      let entries: ProducerSnapshotEntry[];
      try {
        entries = decodeProducerSnapshot(readFileSync(path));
      } catch (err) {
        if (!(err instanceof CorruptSnapshotError)) throw err;
        this.warn(`Deleting corrupt producer state snapshot ${path}: ${err.message}`);
        unlinkSync(path);
        continue;
      }
      this.reset(offset);
      for (const e of entries) this.#loadEntry(e);
      return offset;
    }
    this.reset(0n);
    return undefined;
  }

  /**
   * Writes the state as `<mapEndOffset>.snapshot` (Kafka's takeSnapshot), unless that file exists:
   * written whole to a fresh file and fsynced, so a crash leaves either no file or a complete one
   * whose CRC a reader checks.
   */
  takeSnapshot(): void {
    const path = this.#snapshotPath(this.#mapEndOffset);
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
      throw err;
    }
    try {
      naming(path, () => {
        writeSync(fd, encodeProducerSnapshot([...this.#producers.values()].map(snapshotEntry)));
        fsyncSync(fd);
      });
    } finally {
      closeSync(fd);
    }
  }

  deleteSnapshotsAbove(offset: bigint): void {
    for (const o of this.#snapshotOffsets()) if (o > offset) this.#deleteSnapshot(o);
  }

  /** Snapshots below the log's first segment are of no use (Kafka's deleteSnapshotsBefore). */
  deleteSnapshotsBelow(offset: bigint): void {
    for (const o of this.#snapshotOffsets()) if (o < offset) this.#deleteSnapshot(o);
  }

  #loadEntry(e: ProducerSnapshotEntry): void {
    const open = e.currentTxnFirstOffset >= 0n ? e.currentTxnFirstOffset : undefined;
    const batch =
      e.lastOffset >= 0n
        ? { lastSeq: e.lastSequence, lastOffset: e.lastOffset, offsetDelta: e.offsetDelta, timestamp: e.timestamp }
        : undefined;
    this.#producers.set(e.producerId, new ProducerStateEntry(e.producerId, e.epoch, e.coordinatorEpoch, e.timestamp, open, batch));
    if (open !== undefined) this.#ongoing.set(open, e.producerId);
  }

  #snapshotOffsets(): bigint[] {
    const offsets: bigint[] = [];
    for (const name of readdirSync(this.dir)) {
      const m = SNAPSHOT_FILE.exec(name);
      if (m) offsets.push(BigInt(m[1]!));
    }
    return offsets.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  #snapshotPath(offset: bigint): string {
    return join(this.dir, filenamePrefixFromOffset(offset) + PRODUCER_SNAPSHOT_SUFFIX);
  }

  #deleteSnapshot(offset: bigint): void {
    try {
      unlinkSync(this.#snapshotPath(offset));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

function snapshotEntry(e: ProducerStateEntry): ProducerSnapshotEntry {
  return {
    producerId: e.producerId,
    epoch: e.producerEpoch,
    lastSequence: e.lastSeq,
    lastOffset: e.lastDataOffset,
    offsetDelta: e.lastOffsetDelta,
    timestamp: e.lastTimestamp,
    coordinatorEpoch: e.coordinatorEpoch,
    currentTxnFirstOffset: e.currentTxnFirstOffset ?? -1n,
  };
}
