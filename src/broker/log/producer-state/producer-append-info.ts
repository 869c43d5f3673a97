import { LogError } from '../log-error.js';
import { NO_PRODUCER_EPOCH, NO_SEQUENCE, type ProducerStateEntry } from './producer-state-entry.js';

/**
 * Who wrote a batch, which decides how much is checked (Kafka's AppendOrigin): a client's batches
 * get every check; the coordinators' (offset commits, markers) have no sequences, so only epochs;
 * a follower copies what its leader already checked, so nothing is refused.
 */
export type AppendOrigin = 'client' | 'coordinator' | 'replication';

/** A transaction whose marker was just written (Kafka's CompletedTxn). */
export interface CompletedTxn {
  producerId: bigint;
  firstOffset: bigint;
  /** The marker's offset. */
  lastOffset: bigint;
  isAborted: boolean;
}

/** A producer's data batch, as its header tells. */
export interface DataBatch {
  producerEpoch: number;
  firstSeq: number;
  lastSeq: number;
  firstOffset: bigint;
  lastOffset: bigint;
  maxTimestamp: bigint;
  isTransactional: boolean;
}

const INT32_MAX = 0x7fffffff;

/**
 * Kafka's ProducerAppendInfo: checks a producer's batches against its state before they are
 * written, and gathers the state they leave behind (`entry`) and the transactions they start or
 * end, which the ProducerStateManager takes over once the append is done.
 */
export class ProducerAppendInfo {
  readonly entry: ProducerStateEntry;
  /** First offsets of the transactions this append opened. */
  readonly startedTransactions: bigint[] = [];
  /** The append holds a marker for the producer (its verification guard goes). */
  wroteMarker = false;

  constructor(
    private readonly partition: string,
    readonly producerId: bigint,
    private readonly current: ProducerStateEntry,
    private readonly origin: AppendOrigin,
    private readonly warn: (message: string) => void,
  ) {
    this.entry = current.withoutBatches();
  }

  appendDataBatch(batch: DataBatch): void {
    this.#checkProducerEpoch(batch.producerEpoch, batch.firstOffset);
    if (this.origin === 'client') this.#checkSequence(batch.producerEpoch, batch.firstSeq, batch.firstOffset);
    const offsetDelta = Number(batch.lastOffset - batch.firstOffset);
    this.entry.addBatch(batch.producerEpoch, batch.lastSeq, batch.lastOffset, offsetDelta, batch.maxTimestamp);
    const open = this.entry.currentTxnFirstOffset;
    if (open !== undefined && !batch.isTransactional) {
      // Kafka's InvalidTxnStateException: a producer may not write outside its open transaction.
      throw new LogError(
        'INVALID_TXN_STATE',
        `Expected transactional write from producer ${this.producerId} at offset ${batch.firstOffset} in partition ${this.partition}`,
      );
    }
    if (open === undefined && batch.isTransactional) {
      this.entry.currentTxnFirstOffset = batch.firstOffset;
      this.startedTransactions.push(batch.firstOffset);
    }
  }

  /** A COMMIT or ABORT marker at `offset`: the transaction it ends, if one was open (an empty one leaves nothing to index). */
  appendEndTxnMarker(
    marker: { isAbort: boolean; coordinatorEpoch: number },
    producerEpoch: number,
    offset: bigint,
    timestamp: bigint,
  ): CompletedTxn | undefined {
    this.#checkProducerEpoch(producerEpoch, offset);
    this.wroteMarker = true;
    if (this.entry.coordinatorEpoch > marker.coordinatorEpoch) {
      const message = `Invalid coordinator epoch for producerId ${this.producerId} at offset ${offset} in partition ${this.partition}: ${marker.coordinatorEpoch} (zombie), ${this.entry.coordinatorEpoch} (current)`;
      if (this.origin !== 'replication') throw new LogError('TRANSACTION_COORDINATOR_FENCED', message);
      this.warn(message);
    }
    const firstOffset = this.entry.currentTxnFirstOffset;
    const completed =
      firstOffset === undefined ? undefined : { producerId: this.producerId, firstOffset, lastOffset: offset, isAborted: marker.isAbort };
    this.entry.endTransaction(producerEpoch, marker.coordinatorEpoch, timestamp);
    return completed;
  }

  #checkProducerEpoch(producerEpoch: number, offset: bigint): void {
    if (producerEpoch >= this.entry.producerEpoch) return;
    const message = `Epoch of producer ${this.producerId} at offset ${offset} in ${this.partition} is ${producerEpoch}, which is smaller than the last seen epoch ${this.entry.producerEpoch}`;
    if (this.origin === 'replication') this.warn(message);
    else throw new LogError('INVALID_PRODUCER_EPOCH', message);
  }

  #checkSequence(producerEpoch: number, firstSeq: number, offset: bigint): void {
    if (producerEpoch !== this.entry.producerEpoch) {
      if (firstSeq !== 0 && this.entry.producerEpoch !== NO_PRODUCER_EPOCH) {
        throw new LogError(
          'OUT_OF_ORDER_SEQUENCE_NUMBER',
          `Invalid sequence number for new epoch of producer ${this.producerId} at offset ${offset} in partition ${this.partition}: ${producerEpoch} (request epoch), ${firstSeq} (seq. number), ${this.entry.producerEpoch} (current producer epoch)`,
        );
      }
      return;
    }
    const lastSeq = !this.entry.isEmpty
      ? this.entry.lastSeq
      : producerEpoch === this.current.producerEpoch
        ? this.current.lastSeq
        : NO_SEQUENCE;
    // Without a known epoch (the producer's records were all deleted) any sequence is accepted (KIP-360).
    if (this.current.producerEpoch !== NO_PRODUCER_EPOCH && !inSequence(lastSeq, firstSeq)) {
      throw new LogError(
        'OUT_OF_ORDER_SEQUENCE_NUMBER',
        `Out of order sequence number for producer ${this.producerId} at offset ${offset} in partition ${this.partition}: ${firstSeq} (incoming seq. number), ${lastSeq} (current end sequence number)`,
      );
    }
  }
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}
