import { BATCH } from '../../protocol/records/batch-header.js';
import { topicPartitionKey } from '../log/log-file-names.js';
import type { Log } from '../log/log.js';
import type { RateQuota } from '../replication/replication-quota.js';
import type { Partition } from './partition.js';
import { WakeableSleep } from '../replication/wakeable-sleep.js';

export interface ReplicaAlterLogDirsOptions {
  /** replica.fetch.max.bytes (bytes read per step) and replica.fetch.backoff.ms (the wait while the quota is exceeded), read when used. */
  settings(): { fetchMaxBytes: number; backoffMs: number };
  /** replica.alter.log.dirs.io.max.bytes.per.second over all moves. */
  quota: RateQuota;
  /** Swaps the partition's future log in for its current one on disk (the log manager's replaceCurrentWithFutureLog). */
  replace(partition: Partition): Log;
  /** A move that cannot go on (a log dir failed, the log was closed): its future log is dropped. */
  abandon(partition: Partition, reason: string): void;
  log(level: 'info' | 'warn', message: string): void;
}

/**
 * Kafka's ReplicaAlterLogDirsManager and its thread, in one task: fills the future log of each
 * partition moving to another log dir from its current log, one partition per step in turn, up to
 * replica.fetch.max.bytes of whole batches read up to the log end and appended as they are
 * (offsets, leader epochs, producer ids kept), the future log's start following the current one's.
 * Once the future log has caught up it replaces the current one (Partition's
 * maybeReplaceCurrentWithFutureLog), which appends keep flowing to meanwhile. Steps yield to the
 * event loop between them; while the bytes copied pass the quota, none is taken for
 * replica.fetch.backoff.ms, as Kafka's LocalLeaderEndPoint builds no fetch then.
 */
export class ReplicaAlterLogDirs {
  readonly #options: ReplicaAlterLogDirsOptions;
  /** Partitions being moved, in the order they take steps. */
  readonly #partitions = new Map<string, Partition>();
  #running: Promise<void> | undefined;
  #stopped = false;
  readonly #pause = new WakeableSleep();

  constructor(options: ReplicaAlterLogDirsOptions) {
    this.#options = options;
  }

  /** Starts (or resumes) filling the partition's future log. */
  add(partition: Partition): void {
    if (this.#stopped || !partition.futureLog) return;
    this.#partitions.set(topicPartitionKey(partition.topicPartition), partition);
    this.#running ??= this.#run();
    this.#pause.wake();
  }

  /** Stops the partition's move; its future log stays where it is (the caller deletes it, or a later add resumes). */
  remove(partition: Partition): void {
    const key = topicPartitionKey(partition.topicPartition);
    if (this.#partitions.get(key) === partition) this.#partitions.delete(key);
  }

  has(partition: Partition): boolean {
    return this.#partitions.get(topicPartitionKey(partition.topicPartition)) === partition;
  }

  /** Stops after the step in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#partitions.clear();
    this.#pause.wake();
    await this.#running;
  }

  async #run(): Promise<void> {
    try {
      while (!this.#stopped && this.#partitions.size > 0) {
        if (this.#options.quota.isExceeded()) {
          await this.#pause.sleep(this.#options.settings().backoffMs);
          continue;
        }
        const [key, partition] = this.#partitions.entries().next().value!;
        // To the back of the queue: the partitions take steps in turn.
        this.#partitions.delete(key);
        this.#partitions.set(key, partition);
        this.#step(partition);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#running = undefined;
    }
  }

  #step(partition: Partition): void {
    const name = topicPartitionKey(partition.topicPartition);
    try {
      const future = partition.futureLog;
      if (!future) {
        this.remove(partition);
        return;
      }
      const current = partition.log;
      if (future.logEndOffset < current.logStartOffset) future.truncateFullyAndStartAt(current.logStartOffset);
      if (future.logEndOffset < current.logEndOffset) {
        const records = current.read(future.logEndOffset, this.#options.settings().fetchMaxBytes);
        // An empty future log starting inside the first batch (a log start moved by DeleteRecords)
        // starts at that batch instead, as Kafka's appendRecordsToFollowerOrFutureReplica does.
        const firstOffset = records.length >= BATCH.HEADER_SIZE ? records.readBigInt64BE(BATCH.BASE_OFFSET) : future.logEndOffset;
        if (future.logEndOffset === future.logStartOffset && firstOffset < future.logEndOffset) future.truncateFullyAndStartAt(firstOffset);
        partition.appendToFutureLog(records);
        this.#options.quota.record(records.length);
      }
      if (current.logStartOffset > future.logStartOffset && current.logStartOffset <= future.logEndOffset) {
        future.deleteRecordsBefore(current.logStartOffset);
      }
      if (partition.maybeReplaceCurrentWithFutureLog(() => this.#options.replace(partition))) {
        this.remove(partition);
        this.#options.log('info', `The current replica is successfully replaced with the future replica for ${name}`);
      }
    } catch (err) {
      this.remove(partition);
      this.#options.abandon(partition, (err as Error).message);
    }
  }
}
