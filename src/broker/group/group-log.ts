import type { ErrorName } from '../../protocol/errors.js';
import type { CoordinatorRecord } from './coordinator-records.js';

/** A transactional write: the records belong to a producer's open transaction, settled by its marker. */
export interface TransactionalWrite {
  producerId: bigint;
  producerEpoch: number;
}

/**
 * How Kafka's GroupMetadataManager frames a batch: an offset commit's starts a sequence at 0
 * (storeOffsets, though no producer wrote it), a TxnOffsetCommit's is in the producer's
 * transaction; group metadata, tombstones and `__transaction_state` records carry neither.
 */
export interface CoordinatorBatch {
  offsetCommit?: boolean;
  txn?: TransactionalWrite;
}

/**
 * Where the coordinator keeps its state: the partitions of `__consumer_offsets`. Appends are
 * synchronous and in the page cache when they return, so no other request can slip in between
 * the coordinator deciding and writing (Kafka waits for the append too). Creating the topic and
 * waiting for followers (`awaitReplicated`) are asynchronous: the first happens before any
 * decision, the second before a request that wrote is answered.
 */
export interface GroupLog {
  /** Partitions of the offsets topic: the existing topic's count, else offsets.topic.num.partitions. */
  partitionCount(): number;
  /** Whether the offsets topic exists (its partitions may still be led elsewhere). */
  exists(): boolean;
  /** Creates the topic on first use; rejects with CoordinatorUnavailableError when it cannot. */
  ensureExists(): Promise<void>;
  /** Appends the records to one partition as one batch framed as `batch` says; throws CoordinatorUnavailableError on failure. */
  append(partition: number, records: readonly CoordinatorRecord[], batch?: CoordinatorBatch): void;
  /**
   * Every stored record of the partition, oldest first (nothing when the topic does not exist),
   * with the producer of a transactional batch; `onMarker` hears each transaction's outcome.
   */
  replay(
    partition: number,
    visit: (record: CoordinatorRecord, txnProducerId?: bigint) => void,
    onMarker?: (producerId: bigint, commit: boolean) => void,
  ): void;
  /** Where the next append to the partition will go (-1 when it is not led here). */
  logEndOffset(partition: number): bigint;
  /**
   * Settles once the partition's ISR has everything below `offset` (Kafka's acks=-1 for coordinator
   * writes): NONE, or the error the request is answered with (COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR).
   * Synchronous when nothing is left to wait for, as on a single broker.
   */
  awaitReplicated(partition: number, offset: bigint): Promise<CoordinatorWriteError> | CoordinatorWriteError;
}

/** How a coordinator write that did not reach the ISR is answered (Kafka's append-error mapping). */
export type CoordinatorWriteError = 'NONE' | 'COORDINATOR_NOT_AVAILABLE' | 'NOT_COORDINATOR';

/** The offsets topic cannot be created or written: clients get COORDINATOR_NOT_AVAILABLE and retry. */
export class CoordinatorUnavailableError extends Error {
  /** The append's own error, when an append failed (the transaction coordinator maps it as Kafka does). */
  readonly appendError: ErrorName | undefined;

  constructor(message: string, appendError?: ErrorName) {
    super(message);
    this.appendError = appendError;
    this.name = 'CoordinatorUnavailableError';
  }
}
