import { decrementSequence } from '../../../protocol/records/batch-header.js';

/** Kafka's ProducerStateEntry.NUM_BATCHES_TO_RETAIN: how many recent batches a retry is matched against. */
export const BATCHES_TO_RETAIN = 5;
/** RecordBatch.NO_PRODUCER_EPOCH / NO_SEQUENCE. */
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;

/** Where one of a producer's recent batches went (Kafka's BatchMetadata). */
export interface BatchMetadata {
  lastSeq: number;
  lastOffset: bigint;
  /** lastOffset - firstOffset, which is also lastSeq - firstSeq. */
  offsetDelta: number;
  timestamp: bigint;
}

export function firstSeqOf(b: BatchMetadata): number {
  return decrementSequence(b.lastSeq, b.offsetDelta);
}

export function firstOffsetOf(b: BatchMetadata): bigint {
  return b.lastOffset - BigInt(b.offsetDelta);
}

/**
 * One producer id's state in a partition (Kafka's ProducerStateEntry): its epoch, its last five
 * batches (a retry of one is answered with its offsets), the epoch of the last transaction
 * coordinator that wrote a marker for it, and where its open transaction started, if any.
 */
export class ProducerStateEntry {
  readonly batches: BatchMetadata[] = [];

  constructor(
    readonly producerId: bigint,
    public producerEpoch: number,
    public coordinatorEpoch: number,
    public lastTimestamp: bigint,
    public currentTxnFirstOffset: bigint | undefined,
    firstBatch?: BatchMetadata,
  ) {
    if (firstBatch) this.batches.push(firstBatch);
  }

  static empty(producerId: bigint): ProducerStateEntry {
    return new ProducerStateEntry(producerId, NO_PRODUCER_EPOCH, -1, -1n, undefined);
  }

  get isEmpty(): boolean {
    return this.batches.length === 0;
  }

  get lastSeq(): number {
    return this.batches.at(-1)?.lastSeq ?? NO_SEQUENCE;
  }

  get lastDataOffset(): bigint {
    return this.batches.at(-1)?.lastOffset ?? -1n;
  }

  get lastOffsetDelta(): number {
    return this.batches.at(-1)?.offsetDelta ?? 0;
  }

  /** A copy without batches, which an append accumulates its own batches into. */
  withoutBatches(): ProducerStateEntry {
    return new ProducerStateEntry(
      this.producerId,
      this.producerEpoch,
      this.coordinatorEpoch,
      this.lastTimestamp,
      this.currentTxnFirstOffset,
    );
  }

  addBatch(producerEpoch: number, lastSeq: number, lastOffset: bigint, offsetDelta: number, timestamp: bigint): void {
    this.maybeUpdateProducerEpoch(producerEpoch);
    this.#addBatchMetadata({ lastSeq, lastOffset, offsetDelta, timestamp });
    this.lastTimestamp = timestamp;
  }

  /** A new epoch forgets the old epoch's batches. */
  maybeUpdateProducerEpoch(producerEpoch: number): void {
    if (this.producerEpoch === producerEpoch) return;
    this.batches.length = 0;
    this.producerEpoch = producerEpoch;
  }

  /** Takes over what an append produced (Kafka's update(nextEntry)). */
  update(next: ProducerStateEntry): void {
    this.maybeUpdateProducerEpoch(next.producerEpoch);
    for (const b of next.batches) this.#addBatchMetadata(b);
    this.coordinatorEpoch = next.coordinatorEpoch;
    this.currentTxnFirstOffset = next.currentTxnFirstOffset;
    this.lastTimestamp = next.lastTimestamp;
  }

  /** A marker closed the transaction: the batches of the epoch stay, the open transaction goes. */
  endTransaction(producerEpoch: number, coordinatorEpoch: number, timestamp: bigint): void {
    this.maybeUpdateProducerEpoch(producerEpoch);
    this.coordinatorEpoch = coordinatorEpoch;
    this.currentTxnFirstOffset = undefined;
    this.lastTimestamp = timestamp;
  }

  /** The recent batch of this epoch with exactly this sequence range: the batch is a retry of it. */
  findDuplicateBatch(producerEpoch: number, firstSeq: number, lastSeq: number): BatchMetadata | undefined {
    if (producerEpoch !== this.producerEpoch) return undefined;
    return this.batches.find((b) => firstSeqOf(b) === firstSeq && b.lastSeq === lastSeq);
  }

  #addBatchMetadata(batch: BatchMetadata): void {
    if (this.batches.length === BATCHES_TO_RETAIN) this.batches.shift();
    this.batches.push(batch);
  }
}
