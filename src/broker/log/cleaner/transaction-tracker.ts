import type { AbortedTxn } from '../transaction-index.js';

/** An aborted transaction whose first batch the walk has reached. */
interface OngoingAbort {
  txn: AbortedTxn;
  /** Set when a batch of it was seen in this walk (its records are being removed). */
  sawData: boolean;
}

/**
 * Kafka's CleanedTransactionMetadata: fed every batch of a cleaning walk in offset order, it tells
 * which transactional batches belong to aborted transactions (their records go) and which
 * COMMIT/ABORT markers no longer mark any data (they may go once their delete horizon has passed).
 * An ABORT marker whose transaction still had data in this walk stays, and so does its entry in the
 * cleaned segment's `.txnindex` (`onRetainedAbort`), until a later pass finds the data gone.
 */
export class TransactionTracker {
  /** The log's aborted transactions from its `.txnindex` files, by first offset; consumed from the front. */
  readonly #aborted: AbortedTxn[];
  #next = 0;
  readonly #ongoingAborted = new Map<bigint, OngoingAbort>();
  readonly #ongoingCommitted = new Set<bigint>();
  onRetainedAbort: (txn: AbortedTxn) => void = () => {};

  constructor(aborted: readonly AbortedTxn[]) {
    this.#aborted = [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  }

  /** A data batch: true when it belongs to an aborted transaction, so none of its records stay. */
  onDataBatch(producerId: bigint, transactional: boolean, lastOffset: bigint): boolean {
    this.#reach(lastOffset);
    if (!transactional) return false;
    const aborted = this.#ongoingAborted.get(producerId);
    if (aborted) {
      aborted.sawData = true;
      return true;
    }
    this.#ongoingCommitted.add(producerId);
    return false;
  }

  /** A COMMIT or ABORT marker: true when no data of its transaction was seen, so it may go after its delete horizon. */
  onMarker(producerId: bigint, isAbort: boolean, lastOffset: bigint): boolean {
    this.#reach(lastOffset);
    if (!isAbort) return !this.#ongoingCommitted.delete(producerId);
    const aborted = this.#ongoingAborted.get(producerId);
    this.#ongoingAborted.delete(producerId);
    if (aborted?.sawData) {
      this.onRetainedAbort(aborted.txn);
      return false;
    }
    return true;
  }

  /** Aborted transactions that started at or before `offset` are now ongoing. */
  #reach(offset: bigint): void {
    while (this.#next < this.#aborted.length && this.#aborted[this.#next]!.firstOffset <= offset) {
      const txn = this.#aborted[this.#next++]!;
      if (!this.#ongoingAborted.has(txn.producerId)) this.#ongoingAborted.set(txn.producerId, { txn, sawData: false });
    }
  }
}
