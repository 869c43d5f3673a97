import { ErrorCode } from '../../protocol/errors.js';
import { incrementSequence } from '../../protocol/records/batch-header.js';
import type { PartitionQueue } from './accumulator.js';
import type { ProducerBatch } from './producer-batch.js';

interface Sequences {
  next: number;
  /** Batches with a sequence and no outcome yet (in flight or queued for a retry), by sequence. */
  unacknowledged: ProducerBatch[];
  lastAckedOffset: bigint;
}

const MAX_EPOCH = 0x7fff;

/** What to do with a batch the broker answered with an error. */
export type IdempotentVerdict = 'retry' | 'fail';

/**
 * The idempotent producer's bookkeeping (KIP-98, with KIP-360's epoch bumps): a producer id and
 * epoch, and per partition the next sequence and the batches not yet acknowledged. A retried
 * batch keeps its sequence and only goes out again as the oldest unacknowledged batch of its
 * partition, so the broker sees sequences in order and drops duplicates of what it already has.
 * A batch that fails for good after getting a sequence leaves a gap the broker would never
 * accept: the epoch is bumped (sequences restart at 0) once nothing is in flight.
 */
export class IdempotenceState {
  producerId = -1n;
  epoch = -1;
  private bumpRequired = false;
  private readonly partitions = new Map<PartitionQueue, Sequences>();

  /** `transactional`: batches are stamped as parts of transactions (a transactional.id is set). */
  constructor(private readonly transactional = false) {}

  /** Batches may be sent: the producer id is known and no epoch bump is pending. */
  get ready(): boolean {
    return this.producerId >= 0n && !this.bumpRequired;
  }

  get needsBump(): boolean {
    return this.bumpRequired;
  }

  /** A new producer id and epoch (first InitProducerId, or after a bump): every partition restarts at 0. */
  reset(producerId: bigint, epoch: number): void {
    this.producerId = producerId;
    this.epoch = epoch;
    this.bumpRequired = false;
    this.partitions.clear();
  }

  /** False once the epoch is exhausted: a bump must then ask for a new producer id. */
  get canBumpEpoch(): boolean {
    return this.epoch < MAX_EPOCH - 1;
  }

  private sequences(q: PartitionQueue): Sequences {
    let s = this.partitions.get(q);
    if (s === undefined) this.partitions.set(q, (s = { next: 0, unacknowledged: [], lastAckedOffset: -1n }));
    return s;
  }

  private current(batch: ProducerBatch): boolean {
    return batch.baseSequence >= 0 && batch.producerId === this.producerId && batch.producerEpoch === this.epoch;
  }

  /** A retry goes only as the oldest unacknowledged batch of its partition. */
  canDrain(q: PartitionQueue, batch: ProducerBatch): boolean {
    if (!this.ready) return false;
    return !this.current(batch) || this.sequences(q).unacknowledged[0] === batch;
  }

  /** Gives a drained batch its sequence (new batches, and old ones after an epoch bump). */
  assign(q: PartitionQueue, batch: ProducerBatch): void {
    if (this.current(batch)) return;
    const s = this.sequences(q);
    batch.stamp(this.producerId, this.epoch, s.next, this.transactional);
    s.next = incrementSequence(s.next, batch.count);
    s.unacknowledged.push(batch);
  }

  /**
   * A batch of this epoch was split (MESSAGE_TOO_LARGE): its parts take over its sequence range
   * in order, as Java's ProducerBatch.split gives them, and its place among the unacknowledged.
   */
  split(q: PartitionQueue, batch: ProducerBatch, parts: readonly ProducerBatch[]): void {
    if (!this.current(batch)) return;
    let sequence = batch.baseSequence;
    for (const part of parts) {
      part.stamp(this.producerId, this.epoch, sequence, this.transactional);
      sequence = incrementSequence(sequence, part.count);
    }
    const s = this.sequences(q);
    s.unacknowledged.splice(s.unacknowledged.indexOf(batch), 1, ...parts);
  }

  acknowledged(q: PartitionQueue, batch: ProducerBatch, baseOffset: bigint): void {
    const s = this.sequences(q);
    remove(s.unacknowledged, batch);
    const last = baseOffset + BigInt(batch.count - 1);
    if (baseOffset >= 0n && last > s.lastAckedOffset) s.lastAckedOffset = last;
  }

  /**
   * The Java producer's TransactionManager.canRetry for idempotence errors: OUT_OF_ORDER for a
   * batch behind an unacknowledged one is retried (the earlier one is coming again); for the
   * oldest one it is fatal. UNKNOWN_PRODUCER_ID after the log start passed our last acknowledged
   * offset means retention removed our state: retry under a bumped epoch.
   */
  verdict(q: PartitionQueue, batch: ProducerBatch, code: number, logStartOffset: bigint): IdempotentVerdict {
    const s = this.sequences(q);
    if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER) return s.unacknowledged[0] !== batch ? 'retry' : 'fail';
    if (code === ErrorCode.UNKNOWN_PRODUCER_ID && (logStartOffset < 0n || logStartOffset > s.lastAckedOffset)) {
      this.bumpRequired = true;
      return 'retry';
    }
    return 'fail';
  }

  /** A batch failed for good; if it held a sequence of this epoch, the epoch must be bumped. */
  failed(q: PartitionQueue, batch: ProducerBatch): void {
    if (!this.current(batch)) return;
    remove(this.sequences(q).unacknowledged, batch);
    this.bumpRequired = true;
  }
}

function remove(list: ProducerBatch[], batch: ProducerBatch): void {
  const i = list.indexOf(batch);
  if (i >= 0) list.splice(i, 1);
}
