import { incrementSequence } from '../../protocol/records/batch-header.js';
import { ApiError } from '../api-error.js';
import type { Log } from '../log/log.js';

/** Kafka's ProducerStateEntry.NUM_BATCHES_TO_RETAIN: how many recent batches a retry is matched against. */
const BATCHES_TO_RETAIN = 5;
const INT32_MAX = 0x7fffffff;

/** Where an idempotent producer's batch went; a retry of it is answered with these offsets. */
export interface BatchMetadata {
  firstSeq: number;
  lastSeq: number;
  firstOffset: bigint;
  lastOffset: bigint;
  timestamp: bigint;
}

/** The producer fields of a v2 batch header. */
export interface ProducerBatch {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
}

interface ProducerEntry {
  epoch: number;
  /** Oldest first, at most BATCHES_TO_RETAIN. */
  batches: BatchMetadata[];
}

/**
 * Idempotent-producer state of one partition (Kafka's ProducerStateManager without transactions):
 * per producer id its epoch and the metadata of its last five batches. Rebuilt from the batch
 * headers in the log, so it needs no snapshot files.
 */
export class ProducerStateManager {
  readonly #producers = new Map<bigint, ProducerEntry>();

  constructor(private readonly partitionName: string) {}

  /** Replays every batch header of `log`, as Kafka rebuilds state when no snapshot is usable. */
  static fromLog(log: Log): ProducerStateManager {
    const state = new ProducerStateManager(log.name);
    log.forEachBatch(log.logStartOffset, (batch) => {
      if (batch.producerId >= 0n && !batch.isControl) {
        state.onAppended(batch, batch.lastOffset - BigInt(batch.lastOffsetDelta), batch.lastOffset, batch.maxTimestamp);
      }
    });
    return state;
  }

  /**
   * Checks a batch a client produced, to be written at `nextOffset`. Returns the metadata of the
   * same batch already written (a retry: answered with its original offsets, not written again);
   * throws INVALID_PRODUCER_EPOCH for a fenced epoch and OUT_OF_ORDER_SEQUENCE_NUMBER for a gap.
   * A producer this partition has no state for may start at any sequence (Kafka since KIP-360).
   */
  checkAppend(batch: ProducerBatch, nextOffset: bigint): BatchMetadata | undefined {
    const entry = this.#producers.get(batch.producerId);
    if (!entry) return undefined;
    const { producerId, producerEpoch, baseSequence } = batch;
    const lastSeq = incrementSequence(baseSequence, batch.lastOffsetDelta);
    if (producerEpoch === entry.epoch) {
      const duplicate = entry.batches.find((b) => b.firstSeq === baseSequence && b.lastSeq === lastSeq);
      if (duplicate) return duplicate;
    }
    if (producerEpoch < entry.epoch) {
      throw new ApiError(
        'INVALID_PRODUCER_EPOCH',
        `Epoch of producer ${producerId} at offset ${nextOffset} in ${this.partitionName} is ${producerEpoch}, which is smaller than the last seen epoch ${entry.epoch}`,
      );
    }
    if (producerEpoch > entry.epoch) {
      if (baseSequence !== 0) {
        throw new ApiError(
          'OUT_OF_ORDER_SEQUENCE_NUMBER',
          `Invalid sequence number for new epoch of producer ${producerId} at offset ${nextOffset} in partition ${this.partitionName}: ${producerEpoch} (request epoch), ${baseSequence} (seq. number), ${entry.epoch} (current producer epoch)`,
        );
      }
      return undefined;
    }
    const currentLastSeq = entry.batches.at(-1)?.lastSeq;
    if (currentLastSeq !== undefined && !inSequence(currentLastSeq, baseSequence)) {
      throw new ApiError(
        'OUT_OF_ORDER_SEQUENCE_NUMBER',
        `Out of order sequence number for producer ${producerId} at offset ${nextOffset} in partition ${this.partitionName}: ${baseSequence} (incoming seq. number), ${currentLastSeq} (current end sequence number)`,
      );
    }
    return undefined;
  }

  /** Records a batch written at [firstOffset, lastOffset]. */
  onAppended(batch: ProducerBatch, firstOffset: bigint, lastOffset: bigint, timestamp: bigint): void {
    let entry = this.#producers.get(batch.producerId);
    if (!entry || batch.producerEpoch !== entry.epoch) {
      entry = { epoch: batch.producerEpoch, batches: [] };
      this.#producers.set(batch.producerId, entry);
    }
    entry.batches.push({
      firstSeq: batch.baseSequence,
      lastSeq: incrementSequence(batch.baseSequence, batch.lastOffsetDelta),
      firstOffset,
      lastOffset,
      timestamp,
    });
    if (entry.batches.length > BATCHES_TO_RETAIN) entry.batches.shift();
  }
}

function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}
