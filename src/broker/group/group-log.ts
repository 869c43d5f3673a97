import type { CoordinatorRecord } from './coordinator-records.js';

/**
 * Where the coordinator keeps its state: the partitions of `__consumer_offsets`. Appends are
 * synchronous and in the page cache when they return, so no other request can slip in between
 * the coordinator deciding and writing (Kafka waits for the append too). Only creating the topic
 * is asynchronous, and happens before any decision.
 */
export interface GroupLog {
  /** Partitions of the offsets topic: the existing topic's count, else offsets.topic.num.partitions. */
  partitionCount(): number;
  /** Creates the topic on first use; rejects with CoordinatorUnavailableError when it cannot. */
  ensureExists(): Promise<void>;
  /** Appends the records to one partition as one batch; throws CoordinatorUnavailableError on failure. */
  append(partition: number, records: readonly CoordinatorRecord[]): void;
  /** Every stored record of the partition, oldest first (nothing when the topic does not exist). */
  replay(partition: number, visit: (record: CoordinatorRecord) => void): void;
}

/** The offsets topic cannot be created or written: clients get COORDINATOR_NOT_AVAILABLE and retry. */
export class CoordinatorUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoordinatorUnavailableError';
  }
}
