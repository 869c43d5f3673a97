import { join } from 'node:path';
import { readCheckpointLines, writeCheckpointLines } from '../log/checkpoint-file.js';
import { createEmptyFile } from '../log/file-io.js';
import type { Log } from '../log/log.js';

/** Kafka's UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1n;

export const LEADER_EPOCH_CHECKPOINT = 'leader-epoch-checkpoint';

/** The first offset written in a leader epoch. */
export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: bigint;
}

export interface EpochEndOffset {
  leaderEpoch: number;
  endOffset: bigint;
}

const LINE = /^(\d+)\s+(\d+)$/;

/**
 * Kafka's LeaderEpochFileCache: where each leader epoch starts in the log, kept in the partition's
 * `leader-epoch-checkpoint` (rewritten atomically whenever the entries change: only when a new
 * epoch starts or the log is truncated, so never on the append path). It is what lets a follower
 * find where its log diverged from a new leader's (KIP-101, KIP-320). A log without the file (a
 * log written before replication existed) gets its entries from the batch headers once.
 */
export class LeaderEpochCache {
  readonly #log: Log;
  readonly #path: string;
  #entries: EpochEntry[];
  /** What the file holds (its entry lines), so that writing the same again is skipped. */
  #written: string | undefined;

  private constructor(log: Log, path: string, entries: EpochEntry[], written: boolean) {
    this.#log = log;
    this.#path = path;
    this.#entries = entries;
    if (written) this.#written = this.#lines().join('\n');
  }

  /**
   * Loads the checkpoint (or rebuilds it from the batches), dropping entries past the log end, as
   * Kafka's recovery does; that drop is written with the next change (Kafka's
   * truncateFromEndAsyncFlush), since the next load drops them again: a restart whose leaders
   * assign what the file already holds (an empty partition's epoch at offset 0) writes nothing.
   */
  static load(log: Log): LeaderEpochCache {
    const path = join(log.dir, LEADER_EPOCH_CHECKPOINT);
    const stored = readCheckpointLines(path, (line) => {
      const m = LINE.exec(line);
      return m ? { epoch: Number(m[1]), startOffset: BigInt(m[2]!) } : undefined;
    });
    const cache = new LeaderEpochCache(log, path, stored ?? [], stored !== undefined);
    if (stored === undefined) {
      log.forEachBatch(log.logStartOffset, (batch) => cache.#assign(batch.partitionLeaderEpoch, batch.baseOffset));
      if (cache.#entries.length > 0) cache.#flush();
      else cache.#createEmpty();
    }
    cache.#truncate(log.logEndOffset);
    return cache;
  }

  /**
   * The same entries for `log`, a copy of this cache's log in another dir (a replica moved between
   * log dirs), written to its own checkpoint: epochs started at the log end, which no batch
   * carries, are kept.
   */
  copyTo(log: Log): LeaderEpochCache {
    const cache = new LeaderEpochCache(log, join(log.dir, LEADER_EPOCH_CHECKPOINT), [...this.#entries], false);
    cache.#flush();
    return cache;
  }

  get entries(): readonly EpochEntry[] {
    return this.#entries;
  }

  /** The newest epoch known, or UNDEFINED_EPOCH. */
  get latestEpoch(): number {
    return this.#entries.at(-1)?.epoch ?? UNDEFINED_EPOCH;
  }

  /**
   * Records that `epoch` starts at `startOffset` (a new leader's epoch at its log end, or the epoch of
   * an appended batch). Entries it contradicts (as new an epoch, or starting at or after it) go.
   */
  assign(epoch: number, startOffset: bigint): void {
    if (this.#assign(epoch, startOffset)) this.#flush();
  }

  /** The log was truncated to `endOffset`: epochs starting at or after it are gone. */
  truncateFromEnd(endOffset: bigint): void {
    if (this.#truncate(endOffset)) this.#flush();
  }

  /** Everything was deleted and the log restarts empty at `offset` (a follower far behind). */
  clear(): void {
    if (this.#entries.length === 0) return;
    this.#entries = [];
    this.#flush();
  }

  /**
   * OffsetForLeaderEpoch (Kafka's endOffsetFor): the latest epoch ends at the log end; an older one
   * where the next known epoch starts, reported as the newest epoch at or below the one asked for.
   * Epochs wholly below the log start are gone, as Kafka truncates its cache from the start.
   */
  endOffsetFor(requested: number, logStartOffset: bigint, logEndOffset: bigint): EpochEndOffset {
    const undefinedEnd = { leaderEpoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requested === UNDEFINED_EPOCH) return undefinedEnd;
    // The latest epoch, what every fetch of a follower in sync asks about: truncating from the start keeps it latest.
    if (this.#entries.at(-1)?.epoch === requested) return { leaderEpoch: requested, endOffset: logEndOffset };
    const entries = this.#truncatedFromStart(logStartOffset);
    const higher = entries.find((e) => e.epoch > requested);
    if (higher === undefined) return undefinedEnd;
    const floor = entries.findLast((e) => e.epoch <= requested);
    return { leaderEpoch: floor?.epoch ?? requested, endOffset: higher.startOffset };
  }

  #assign(epoch: number, startOffset: bigint): boolean {
    if (epoch < 0) return false;
    const latest = this.#entries.at(-1);
    if (latest && latest.epoch === epoch && latest.startOffset <= startOffset) return false;
    while (this.#entries.length > 0) {
      const last = this.#entries.at(-1)!;
      if (last.epoch < epoch && last.startOffset < startOffset) break;
      this.#entries.pop();
    }
    this.#entries.push({ epoch, startOffset });
    return true;
  }

  #truncate(endOffset: bigint): boolean {
    const keep = this.#entries.filter((e) => e.startOffset < endOffset);
    if (keep.length === this.#entries.length) return false;
    this.#entries = keep;
    return true;
  }

  #lines(): string[] {
    return this.#entries.map((e) => `${e.epoch} ${e.startOffset}`);
  }

  #truncatedFromStart(logStartOffset: bigint): readonly EpochEntry[] {
    const below = this.#entries.filter((e) => e.startOffset <= logStartOffset).length;
    if (below === 0) return this.#entries;
    return [{ epoch: this.#entries[below - 1]!.epoch, startOffset: logStartOffset }, ...this.#entries.slice(below)];
  }

  /**
   * A new log's file, empty and not synced, as Kafka's CheckpointFile constructor creates it: the
   * first epoch assigned writes it in full, and a file lost before then is rebuilt from batches
   * that cannot exist yet. Creating a partition is then spared a synced write of nothing (an fsync
   * of the file and one of its directory).
   */
  #createEmpty(): void {
    this.#log.io(`writing the ${LEADER_EPOCH_CHECKPOINT} of ${this.#log.name}`, () => createEmptyFile(this.#path));
    this.#written = '';
  }

  /** A failure to write it takes the log dir offline, as any failure on the log's files (Kafka's CheckpointFileWithFailureHandler). */
  #flush(): void {
    const lines = this.#lines();
    const text = lines.join('\n');
    if (text === this.#written) return;
    this.#log.io(`writing the ${LEADER_EPOCH_CHECKPOINT} of ${this.#log.name}`, () => writeCheckpointLines(this.#path, lines));
    this.#written = text;
  }
}
