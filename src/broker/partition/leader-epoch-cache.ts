import type { Log } from '../log/log.js';

/** Kafka's UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1n;

/** The first offset written in a leader epoch. */
export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: bigint;
}

export interface EpochEndOffset {
  leaderEpoch: number;
  endOffset: bigint;
}

/**
 * Kafka's LeaderEpochFileCache without the checkpoint file: the epochs are read from the batch
 * headers (each batch carries the epoch of the leader that wrote it), and the current epoch starts
 * at the log end if nothing was written in it yet, as a new leader assigns it.
 */
export class LeaderEpochCache {
  readonly #entries: EpochEntry[] = [];

  constructor(log: Log, currentEpoch: number) {
    log.forEachBatch(log.logStartOffset, (batch) => this.assign(batch.partitionLeaderEpoch, batch.baseOffset));
    this.assign(currentEpoch, log.logEndOffset);
  }

  /** Records that `epoch` starts at `offset`, unless an epoch as new is known already. */
  assign(epoch: number, offset: bigint): void {
    const latest = this.#entries.at(-1);
    if (epoch >= 0 && (latest === undefined || epoch > latest.epoch)) this.#entries.push({ epoch, startOffset: offset });
  }

  /**
   * OffsetForLeaderEpoch (Kafka's endOffsetFor): the latest epoch ends at the log end; an older
   * one where the next known epoch starts, reported as the newest epoch at or below the one asked
   * for. Epochs wholly below the log start are gone, as Kafka truncates its cache from the start.
   */
  endOffsetFor(requested: number, logStartOffset: bigint, logEndOffset: bigint): EpochEndOffset {
    const undefinedEnd = { leaderEpoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    const entries = this.#truncatedFromStart(logStartOffset);
    if (requested === UNDEFINED_EPOCH) return undefinedEnd;
    if (entries.at(-1)?.epoch === requested) return { leaderEpoch: requested, endOffset: logEndOffset };
    const higher = entries.find((e) => e.epoch > requested);
    if (higher === undefined) return undefinedEnd;
    const floor = entries.findLast((e) => e.epoch <= requested);
    return { leaderEpoch: floor?.epoch ?? requested, endOffset: higher.startOffset };
  }

  #truncatedFromStart(logStartOffset: bigint): EpochEntry[] {
    const below = this.#entries.filter((e) => e.startOffset <= logStartOffset).length;
    if (below === 0) return this.#entries;
    return [{ epoch: this.#entries[below - 1]!.epoch, startOffset: logStartOffset }, ...this.#entries.slice(below)];
  }
}
