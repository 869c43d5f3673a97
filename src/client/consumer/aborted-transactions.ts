export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

/**
 * read_committed filtering of one partition's fetched batches, as the Java consumer does it: the
 * Fetch response lists the aborted transactions overlapping the data (producer id, first offset).
 * Walking batches in offset order, a producer becomes aborted once a batch reaches its first
 * offset, its transactional batches are skipped, and its ABORT marker ends that.
 */
export class AbortedTransactions {
  private readonly upcoming: AbortedTransaction[];
  private readonly aborted = new Set<bigint>();

  constructor(list: readonly AbortedTransaction[]) {
    this.upcoming = [...list].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  }

  /**
   * Whether a batch with a producer id is to be skipped. `abortMarker` is true for a control
   * batch holding an ABORT marker (which is skipped anyway, as every control batch is).
   */
  skips(producerId: bigint, lastOffset: bigint, transactional: boolean, abortMarker: boolean): boolean {
    while (this.upcoming.length > 0 && this.upcoming[0]!.firstOffset <= lastOffset) {
      this.aborted.add(this.upcoming.shift()!.producerId);
    }
    if (abortMarker) {
      this.aborted.delete(producerId);
      return true;
    }
    return transactional && this.aborted.has(producerId);
  }
}
