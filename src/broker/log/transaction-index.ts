import { appendFileSync, readFileSync, renameSync, truncateSync, unlinkSync } from 'node:fs';
import {
  ABORTED_TXN_SIZE,
  ABORTED_TXN_VERSION,
  type AbortedTxn,
  decodeAbortedTxn,
  encodeAbortedTxn,
} from '../../protocol/records/aborted-txn.js';
import { fsyncFile } from './file-io.js';
import { LogError } from './log-error.js';

export type { AbortedTxn };

/** What a search of one index found, and whether a later segment can still hold more (Kafka's TxnIndexSearchResult). */
export interface TxnIndexSearch {
  aborted: AbortedTxn[];
  /** An entry's last stable offset reached the upper bound: no later segment matters. */
  isComplete: boolean;
}

/**
 * A segment's `.txnindex` (Kafka's TransactionIndex): the transactions aborted by markers in that
 * segment, in marker order, each with its first offset and the last stable offset when it was
 * aborted. The file exists only once an entry is written, so segments without aborted
 * transactions cost no file, and no descriptor is kept (as the other indexes: each write opens
 * and closes the file). Entries are also kept in memory while the segment is in use (they are
 * few and small), so a read_committed fetch does not read the file.
 */
export class TransactionIndex {
  #path: string;
  readonly #baseOffset: bigint;
  /** Loaded on first use. */
  #entries: AbortedTxn[] | undefined;
  /** Written since the last fsync. */
  #dirty = false;

  constructor(path: string, baseOffset: bigint, fresh: boolean) {
    this.#path = path;
    this.#baseOffset = baseOffset;
    if (fresh) this.#entries = [];
  }

  get path(): string {
    return this.#path;
  }

  get entries(): readonly AbortedTxn[] {
    return this.#load();
  }

  /** Appends an entry; its marker must come after the last one's. */
  append(txn: AbortedTxn): void {
    const entries = this.#load();
    const last = entries.at(-1);
    if (last && last.lastOffset >= txn.lastOffset) {
      throw new LogError(
        'KAFKA_STORAGE_ERROR',
        `The last offset of appended transactions must increase sequentially, but ${txn.lastOffset} is not greater than current last offset ${last.lastOffset} of index ${this.#path}`,
      );
    }
    appendFileSync(this.#path, encodeAbortedTxn(txn));
    this.#dirty = true;
    entries.push(txn);
  }

  /** Kafka's collectAbortedTxns: entries overlapping [fetchOffset, upperBoundOffset). */
  collectAbortedTxns(fetchOffset: bigint, upperBoundOffset: bigint): TxnIndexSearch {
    const aborted: AbortedTxn[] = [];
    for (const txn of this.#load()) {
      if (txn.lastOffset >= fetchOffset && txn.firstOffset < upperBoundOffset) aborted.push(txn);
      if (txn.lastStableOffset >= upperBoundOffset) return { aborted, isComplete: true };
    }
    return { aborted, isComplete: false };
  }

  /** Drops the entries whose marker is at or above `offset`. */
  truncateTo(offset: bigint): void {
    const entries = this.#load();
    const keep = entries.findIndex((t) => t.lastOffset >= offset);
    if (keep < 0) return;
    entries.length = keep;
    this.#truncateFile(keep * ABORTED_TXN_SIZE);
  }

  /** Removes every entry (the segment's markers are replayed from scratch). */
  reset(): void {
    this.#load().length = 0;
    this.#truncateFile(0);
  }

  /** Kafka's sanityCheck: no entry may end before the segment starts. Returns what is wrong, if anything. */
  sanityProblem(): string | undefined {
    const bad = this.#load().find((t) => t.lastOffset < this.#baseOffset);
    return (
      bad && `Last offset of aborted transaction ${bad.lastOffset} in index ${this.#path} is less than start offset ${this.#baseOffset}`
    );
  }

  flush(): void {
    this.#dirty = false;
    fsyncFile(this.#path);
  }

  /** The file to fsync if it changed since the last fsync (counted as done: the caller does it), else undefined. */
  pathToSync(): string | undefined {
    if (!this.#dirty) return undefined;
    this.#dirty = false;
    return this.#path;
  }

  /** Drops the entries from memory until they are needed again (an inactive segment). */
  releaseEntries(): void {
    this.#entries = undefined;
  }

  /** Renames the file (if there is one) and remembers the new name. */
  rename(path: string): void {
    try {
      renameSync(this.#path, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.#path = path;
  }

  /** Whether the file exists, i.e. the segment has aborted transactions on disk. */
  get exists(): boolean {
    return this.#load().length > 0;
  }

  deleteIfExists(): void {
    try {
      unlinkSync(this.#path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  #truncateFile(size: number): void {
    try {
      truncateSync(this.#path, size);
      this.#dirty = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** Whole entries only: a torn last entry (a crash mid-write) is cut off. */
  #load(): AbortedTxn[] {
    if (this.#entries) return this.#entries;
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.#path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      bytes = Buffer.alloc(0);
    }
    const entries: AbortedTxn[] = [];
    for (let at = 0; at + ABORTED_TXN_SIZE <= bytes.length; at += ABORTED_TXN_SIZE) {
      const { version, ...txn } = decodeAbortedTxn(bytes, at);
      if (version > ABORTED_TXN_VERSION) {
        throw new LogError(
          'KAFKA_STORAGE_ERROR',
          `Unexpected aborted transaction version ${version} in transaction index ${this.#path}, current version is ${ABORTED_TXN_VERSION}`,
        );
      }
      entries.push(txn);
    }
    if (bytes.length % ABORTED_TXN_SIZE !== 0) this.#truncateFile(entries.length * ABORTED_TXN_SIZE);
    this.#entries = entries;
    return entries;
  }
}
