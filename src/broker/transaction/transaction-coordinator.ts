import type { ErrorName } from '../../protocol/errors.js';
import { TRANSACTION_STATES, type TransactionStateName } from '../../protocol/transaction-states.js';
import type { BrokerLogger } from '../broker-logger.js';
import type { BrokerConfigValues } from '../config/broker-config-defs.js';
import type { InternalTopicLog } from '../coordinator/internal-topic-log.js';
import type { ProducerIdManager } from '../coordinator/producer-id-manager.js';
import { coordinatorPartition } from '../group/coordinator-partition.js';
import { CoordinatorUnavailableError } from '../group/group-log.js';
import { type TopicPartition, topicPartitionKey } from '../log/log-file-names.js';
import { decodeTransactionRecord, type StoredTransaction, transactionRecord } from './transaction-log.js';
import { MAX_PRODUCER_EPOCH, TransactionMetadata } from './transaction-metadata.js';
import type { TxnMarkerChannel } from './txn-marker-channel.js';

export interface TransactionCoordinatorOptions {
  /** `__transaction_state`. */
  log: InternalTopicLog;
  producerIds: ProducerIdManager;
  markers: TxnMarkerChannel;
  config: () => BrokerConfigValues;
  now?: () => number;
  logger: BrokerLogger;
}

/** The transactional ids of one `__transaction_state` partition led here, at the leader epoch they were loaded in (the coordinator epoch). */
interface OwnedPartition {
  readonly partition: number;
  readonly epoch: number;
  readonly txns: Map<string, TransactionMetadata>;
}

export interface ProducerIdAndEpoch {
  producerId: bigint;
  producerEpoch: number;
}

export interface DescribedTransaction {
  error: ErrorName;
  state: TransactionStateName | '';
  txnTimeoutMs: number;
  txnStartTimestamp: number;
  producerId: bigint;
  producerEpoch: number;
  partitions: TopicPartition[];
}

export interface ListedTransaction {
  transactionalId: string;
  producerId: bigint;
  state: TransactionStateName;
}

const NO_PRODUCER = { producerId: -1n, producerEpoch: -1 };
/** How long a failed coordinator write waits before it is tried again (completing a transaction). */
const RETRY_BACKOFF_MS = 100;

/**
 * The transaction coordinator of one broker (Kafka's TransactionCoordinator + TransactionStateManager):
 * the transactional ids of the `__transaction_state` partitions this broker leads, each partition
 * loaded when leadership arrives (its leader epoch then is the coordinator epoch every marker
 * carries) and dropped when it leaves; a leader-epoch bump that keeps the leadership here is not a
 * change. Every change is written to the partition and applied once the ISR has it; commits and
 * aborts go as markers to the leaders of the transaction's partitions, then the transaction is
 * completed. Transactions open longer than their timeout are aborted with the producer's epoch
 * bumped (fencing it), and idle ids expire.
 */
export class TransactionCoordinator {
  readonly #owned = new Map<number, OwnedPartition>();
  readonly #options: TransactionCoordinatorOptions;
  readonly #now: () => number;
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(options: TransactionCoordinatorOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Loads the partitions led here (a single broker leads them all) and starts the timeout and expiry timers. */
  start(): void {
    const log = this.#options.log;
    if (log.exists()) for (let p = 0; p < log.partitionCount(); p++) this.#owner(p);
    const config = this.#options.config();
    this.#every(config['transaction.abort.timed.out.transaction.cleanup.interval.ms'], () => this.abortTimedOutTransactions());
    this.#every(config['transaction.remove.expired.transaction.cleanup.interval.ms'], () => void this.expireTransactionalIds());
  }

  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#owned.clear();
    this.#options.markers.close();
  }

  /** A `__transaction_state` partition became led here (loaded, unfinished commits and aborts resumed) or stopped being (dropped). */
  onLeadershipChange(partition: number, isLeader: boolean): void {
    this.#owned.delete(partition);
    if (isLeader) this.#owner(partition);
  }

  partitionFor(transactionalId: string): number {
    return coordinatorPartition(transactionalId, this.#options.log.partitionCount());
  }

  /** InitProducerId with a transactional id (Kafka's handleInitProducerId). */
  async initProducerId(
    transactionalId: string,
    txnTimeoutMs: number,
    expected: ProducerIdAndEpoch,
    version: number,
  ): Promise<{ error: ErrorName } & ProducerIdAndEpoch> {
    const fail = (error: ErrorName) => ({ error, ...NO_PRODUCER });
    if (transactionalId === '') return fail('INVALID_REQUEST');
    if (txnTimeoutMs <= 0 || txnTimeoutMs > this.#options.config()['transaction.max.timeout.ms'])
      return fail('INVALID_TRANSACTION_TIMEOUT');
    let owned = this.#owner(this.partitionFor(transactionalId));
    if (typeof owned === 'string') return fail(owned);
    let txn = owned.txns.get(transactionalId);
    if (!txn) {
      const producerId = await this.#options.producerIds.generateProducerId();
      owned = this.#owner(this.partitionFor(transactionalId));
      if (typeof owned === 'string') return fail(owned);
      txn = owned.txns.get(transactionalId);
      if (!txn) {
        txn = new TransactionMetadata(transactionalId, {
          producerId,
          producerEpoch: -1,
          txnTimeoutMs,
          state: 'Empty',
          partitions: [],
          txnLastUpdateTimestamp: this.#now(),
          txnStartTimestamp: -1,
        });
        owned.txns.set(transactionalId, txn);
      }
    }
    if (txn.pendingState) return fail('CONCURRENT_TRANSACTIONS');
    const fenced: ErrorName = version >= 4 ? 'PRODUCER_FENCED' : 'INVALID_PRODUCER_EPOCH';
    if (expected.producerId >= 0n) {
      const known = txn.producerEpoch === -1 || expected.producerId === txn.producerId || expected.producerId === txn.lastProducerId;
      if (!known) return fail(fenced);
      const isCompleted = txn.state === 'Empty' || txn.state === 'CompleteCommit' || txn.state === 'CompleteAbort';
      // A retry of the InitProducerId that made the current epoch: answered with it, not bumped again.
      const isRetry =
        (expected.producerId === txn.producerId && expected.producerEpoch === txn.lastProducerEpoch) ||
        (expected.producerId === txn.lastProducerId && txn.producerEpoch === 0);
      if (isRetry && isCompleted) return { error: 'NONE', producerId: txn.producerId, producerEpoch: txn.producerEpoch };
      if (expected.producerId === txn.producerId && expected.producerEpoch !== txn.producerEpoch) return fail(fenced);
    }
    switch (txn.state) {
      case 'PrepareCommit':
      case 'PrepareAbort':
        return fail('CONCURRENT_TRANSACTIONS');
      case 'Ongoing':
        // The previous producer of this id left a transaction open: it is fenced and aborted; the client retries.
        void this.#abortWithBump(owned, txn);
        return fail('CONCURRENT_TRANSACTIONS');
      case 'Empty':
      case 'CompleteCommit':
      case 'CompleteAbort': {
        let next: ProducerIdAndEpoch = { producerId: txn.producerId, producerEpoch: txn.producerEpoch + 1 };
        if (txn.producerEpoch >= MAX_PRODUCER_EPOCH - 1) {
          next = { producerId: await this.#options.producerIds.generateProducerId(), producerEpoch: 0 };
          if (txn.pendingState) return fail('CONCURRENT_TRANSACTIONS');
        }
        const stored = txn.prepare({
          ...next,
          txnTimeoutMs,
          state: 'Empty',
          partitions: [],
          txnLastUpdateTimestamp: this.#now(),
          txnStartTimestamp: -1,
        });
        const error = await this.#write(owned, txn, stored);
        return error === 'NONE' ? { error, ...next } : fail(error);
      }
      default:
        return fail('CONCURRENT_TRANSACTIONS');
    }
  }

  /** AddPartitionsToTxn (and AddOffsetsToTxn with the group's offsets partition): the partitions join the open transaction. */
  async addPartitions(
    transactionalId: string,
    producer: ProducerIdAndEpoch,
    partitions: readonly TopicPartition[],
    fenced: ErrorName,
  ): Promise<ErrorName> {
    const checked = this.#checkProducer(transactionalId, producer, fenced);
    if (typeof checked === 'string') return checked;
    const { owned, txn } = checked;
    if (txn.pendingState || txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') return 'CONCURRENT_TRANSACTIONS';
    const added = partitions.filter((tp) => !txn.partitions.has(topicPartitionKey(tp)));
    if (txn.state === 'Ongoing' && added.length === 0) return 'NONE';
    const now = this.#now();
    const starting = txn.state !== 'Ongoing';
    const stored = txn.prepare({
      ...txn.stored,
      state: 'Ongoing',
      partitions: [...txn.partitions.values(), ...added],
      txnLastUpdateTimestamp: now,
      txnStartTimestamp: starting ? now : txn.txnStartTimestamp,
    });
    return this.#write(owned, txn, stored);
  }

  /**
   * AddPartitionsToTxn v4+ with verify_only, from a partition leader (KIP-890): whether each
   * partition is in the producer's open transaction (TRANSACTION_ABORTABLE if not); nothing is written.
   */
  verifyPartitions(
    transactionalId: string,
    producer: ProducerIdAndEpoch,
    partitions: readonly TopicPartition[],
  ): ErrorName | Map<string, ErrorName> {
    const checked = this.#checkProducer(transactionalId, producer, 'PRODUCER_FENCED');
    if (typeof checked === 'string') return checked;
    const { txn } = checked;
    if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') return 'CONCURRENT_TRANSACTIONS';
    return new Map(
      partitions.map((tp) => {
        const key = topicPartitionKey(tp);
        return [key, txn.state === 'Ongoing' && txn.partitions.has(key) ? 'NONE' : 'TRANSACTION_ABORTABLE'];
      }),
    );
  }

  /** EndTxn (Kafka's handleEndTransaction): answered once PrepareCommit/PrepareAbort is written; the markers follow. */
  async endTxn(transactionalId: string, producer: ProducerIdAndEpoch, commit: boolean, fenced: ErrorName): Promise<ErrorName> {
    const checked = this.#checkProducer(transactionalId, producer, fenced);
    if (typeof checked === 'string') return checked;
    const { owned, txn } = checked;
    if (txn.pendingState) return 'CONCURRENT_TRANSACTIONS';
    switch (txn.state) {
      case 'Ongoing': {
        const stored = txn.prepare({
          ...txn.stored,
          state: commit ? 'PrepareCommit' : 'PrepareAbort',
          txnLastUpdateTimestamp: this.#now(),
        });
        const error = await this.#write(owned, txn, stored);
        if (error === 'NONE') void this.#completeTransaction(owned, txn);
        return error;
      }
      case 'CompleteCommit':
        return commit ? 'NONE' : 'INVALID_TXN_STATE';
      case 'CompleteAbort':
        return commit ? 'INVALID_TXN_STATE' : 'NONE';
      case 'PrepareCommit':
        return commit ? 'CONCURRENT_TRANSACTIONS' : 'INVALID_TXN_STATE';
      case 'PrepareAbort':
        return commit ? 'INVALID_TXN_STATE' : 'CONCURRENT_TRANSACTIONS';
      default:
        return 'INVALID_TXN_STATE';
    }
  }

  /** DescribeTransactions for one id. */
  describe(transactionalId: string): DescribedTransaction {
    const none = { state: '' as const, txnTimeoutMs: 0, txnStartTimestamp: -1, producerId: -1n, producerEpoch: -1, partitions: [] };
    if (transactionalId === '') return { error: 'INVALID_REQUEST', ...none };
    const owned = this.#owner(this.partitionFor(transactionalId));
    if (typeof owned === 'string') return { error: owned, ...none };
    const txn = owned.txns.get(transactionalId);
    if (!txn || txn.state === 'Dead') return { error: 'TRANSACTIONAL_ID_NOT_FOUND', ...none };
    return {
      error: 'NONE',
      state: txn.state,
      txnTimeoutMs: txn.txnTimeoutMs,
      txnStartTimestamp: txn.txnStartTimestamp,
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      partitions: [...txn.partitions.values()],
    };
  }

  /**
   * ListTransactions over the partitions led here: by state names, producer ids and (v1) how
   * long the transaction has been open; unknown state names are returned apart.
   */
  list(
    stateFilters: readonly string[],
    producerIdFilters: readonly bigint[],
    durationFilterMs: bigint,
  ): {
    unknownStateFilters: string[];
    transactions: ListedTransaction[];
  } {
    const known = new Set<string>(TRANSACTION_STATES);
    const unknownStateFilters = stateFilters.filter((s) => !known.has(s));
    const states = new Set(stateFilters);
    const producers = new Set(producerIdFilters);
    const now = this.#now();
    const transactions: ListedTransaction[] = [];
    const log = this.#options.log;
    for (let p = 0; log.exists() && p < log.partitionCount(); p++) {
      const owned = this.#owner(p);
      if (typeof owned === 'string') continue;
      for (const txn of owned.txns.values()) {
        if (txn.state === 'Dead') continue;
        if (states.size > 0 && !states.has(txn.state)) continue;
        if (producers.size > 0 && !producers.has(txn.producerId)) continue;
        if (durationFilterMs >= 0n && (txn.txnStartTimestamp < 0 || BigInt(now - txn.txnStartTimestamp) < durationFilterMs)) continue;
        transactions.push({ transactionalId: txn.transactionalId, producerId: txn.producerId, state: txn.state });
      }
    }
    return { unknownStateFilters, transactions };
  }

  /** Kafka's abortTimedOutTransactions: open longer than their timeout, they are aborted with the epoch bumped. */
  abortTimedOutTransactions(): void {
    const now = this.#now();
    for (const owned of [...this.#owned.values()]) {
      if (this.#owner(owned.partition) !== owned) continue;
      for (const txn of owned.txns.values()) {
        if (txn.state !== 'Ongoing' || txn.pendingState || txn.txnStartTimestamp + txn.txnTimeoutMs >= now) continue;
        this.#options.logger(
          'info',
          `Aborting transaction ${txn.transactionalId} (producer id ${txn.producerId}, epoch ${txn.producerEpoch}): open longer than its timeout of ${txn.txnTimeoutMs} ms`,
        );
        void this.#abortWithBump(owned, txn);
      }
    }
  }

  /** Kafka's removeExpiredTransactionalIds: ids idle longer than transactional.id.expiration.ms get a tombstone. */
  async expireTransactionalIds(): Promise<void> {
    const cutoff = this.#now() - this.#options.config()['transactional.id.expiration.ms'];
    for (const owned of [...this.#owned.values()]) {
      if (this.#owner(owned.partition) !== owned) continue;
      for (const txn of [...owned.txns.values()]) {
        const idle = txn.state === 'Empty' || txn.state === 'CompleteCommit' || txn.state === 'CompleteAbort';
        if (!idle || txn.pendingState || txn.txnLastUpdateTimestamp > cutoff) continue;
        txn.prepare({ ...txn.stored, state: 'Dead' });
        if ((await this.#write(owned, txn, null)) === 'NONE') owned.txns.delete(txn.transactionalId);
      }
    }
  }

  /** The metadata of a request's transactional id, checked against the producer it claims to be. */
  #checkProducer(
    transactionalId: string,
    producer: ProducerIdAndEpoch,
    fenced: ErrorName,
  ): ErrorName | { owned: OwnedPartition; txn: TransactionMetadata } {
    const owned = this.#owner(this.partitionFor(transactionalId));
    if (typeof owned === 'string') return owned;
    const txn = owned.txns.get(transactionalId);
    if (!txn || txn.producerId !== producer.producerId) return 'INVALID_PRODUCER_ID_MAPPING';
    if (txn.producerEpoch !== producer.producerEpoch) return fenced;
    return { owned, txn };
  }

  /**
   * The partition's state if this broker leads it (loaded now if it was not: a single broker's
   * partitions), NOT_COORDINATOR otherwise. A leader epoch bumped while the leadership stays here
   * (the controller shrinking the ISR, a reassignment) changes nothing: as Kafka's
   * TransactionStateManager, the state and its coordinator epoch stay those of the load, and only
   * onLeadershipChange replaces them.
   */
  #owner(partition: number): OwnedPartition | ErrorName {
    const epoch = this.#options.log.leaderEpoch(partition);
    if (epoch === undefined) {
      this.#owned.delete(partition);
      return 'NOT_COORDINATOR';
    }
    return this.#owned.get(partition) ?? this.#load(partition, epoch);
  }

  /** Whether `owned` is still the state of a partition led here: no leadership change dropped or replaced it since. */
  #stillOwns(owned: OwnedPartition): boolean {
    return this.#owned.get(owned.partition) === owned && this.#options.log.leaderEpoch(owned.partition) !== undefined;
  }

  /** Reads the partition (the last record of each id wins) and resumes the commits and aborts left half done. */
  #load(partition: number, epoch: number): OwnedPartition {
    const stored = new Map<string, StoredTransaction>();
    this.#options.log.replay(partition, (record) => {
      try {
        const { transactionalId, value } = decodeTransactionRecord(record);
        if (value) stored.set(transactionalId, value);
        else stored.delete(transactionalId);
      } catch (err) {
        this.#options.logger('warn', `__transaction_state-${partition}: skipping an unreadable record: ${(err as Error).message}`);
      }
    });
    const owned: OwnedPartition = { partition, epoch, txns: new Map() };
    for (const [id, value] of stored) owned.txns.set(id, new TransactionMetadata(id, value));
    this.#owned.set(partition, owned);
    for (const txn of owned.txns.values()) {
      if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') void this.#completeTransaction(owned, txn);
    }
    return owned;
  }

  /** Fences the producer (epoch + 1) and aborts its open transaction with the new epoch (timeouts, InitProducerId over an open transaction). */
  async #abortWithBump(owned: OwnedPartition, txn: TransactionMetadata): Promise<void> {
    const producerEpoch = Math.min(txn.producerEpoch + 1, MAX_PRODUCER_EPOCH);
    const stored = txn.prepare({ ...txn.stored, producerEpoch, state: 'PrepareAbort', txnLastUpdateTimestamp: this.#now() });
    const error = await this.#write(owned, txn, stored);
    if (error === 'NONE') await this.#completeTransaction(owned, txn);
    else this.#options.logger('warn', `Could not abort transaction ${txn.transactionalId}: ${error}`);
  }

  /**
   * Markers to every partition of the prepared transaction, then CompleteCommit/CompleteAbort
   * (retried until written or no longer coordinator). The completion is pending from the start,
   * as Kafka's prepareComplete: requests for the id meanwhile get CONCURRENT_TRANSACTIONS.
   */
  async #completeTransaction(owned: OwnedPartition, txn: TransactionMetadata): Promise<void> {
    const commit = txn.state === 'PrepareCommit';
    const completed = (): StoredTransaction => ({
      ...txn.stored,
      state: commit ? 'CompleteCommit' : 'CompleteAbort',
      partitions: [],
      txnLastUpdateTimestamp: this.#now(),
    });
    const stillOwner = () => this.#stillOwns(owned);
    txn.prepare(completed());
    const outcome = await this.#options.markers.send(
      { producerId: txn.producerId, producerEpoch: txn.producerEpoch, commit, coordinatorEpoch: owned.epoch },
      [...txn.partitions.values()],
      stillOwner,
    );
    if (outcome === 'stopped') {
      txn.pendingState = undefined;
      return;
    }
    for (;;) {
      if (!stillOwner()) return;
      const error = await this.#write(owned, txn, txn.prepare(completed()));
      if (error === 'NONE' || error === 'NOT_COORDINATOR') return;
      this.#options.logger('info', `Completing transaction ${txn.transactionalId} failed with ${error}; retrying`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_BACKOFF_MS).unref());
    }
  }

  /**
   * Writes the prepared change (null: the id's tombstone) and applies it once the ISR has it and
   * this broker still holds the state it was prepared in (no leadership change since; Kafka checks
   * the coordinator epoch of its cache entry); the pending state is cleared
   * either way. Append errors map as Kafka's appendTransactionToLog maps them.
   */
  async #write(owned: OwnedPartition, txn: TransactionMetadata, next: StoredTransaction | null): Promise<ErrorName> {
    const log = this.#options.log;
    const p = owned.partition;
    let error: ErrorName;
    try {
      log.append(p, [transactionRecord(txn.transactionalId, next)]);
      error = await log.awaitReplicated(p, log.logEndOffset(p), this.#options.config()['request.timeout.ms']);
    } catch (err) {
      if (!(err instanceof CoordinatorUnavailableError)) throw err;
      error = appendError(err.appendError);
    }
    if (error === 'NONE' && !this.#stillOwns(owned)) error = 'NOT_COORDINATOR';
    if (error !== 'NONE') {
      txn.pendingState = undefined;
      return error;
    }
    if (next) txn.complete(next);
    else txn.pendingState = undefined;
    return 'NONE';
  }

  #every(intervalMs: number, task: () => void): void {
    const timer = setInterval(task, intervalMs);
    timer.unref();
    this.#timers.push(timer);
  }
}

function appendError(error: ErrorName | undefined): ErrorName {
  switch (error) {
    case 'UNKNOWN_TOPIC_OR_PARTITION':
    case 'NOT_ENOUGH_REPLICAS':
    case 'NOT_ENOUGH_REPLICAS_AFTER_APPEND':
    case 'REQUEST_TIMED_OUT':
      return 'COORDINATOR_NOT_AVAILABLE';
    case 'NOT_LEADER_OR_FOLLOWER':
    case 'KAFKA_STORAGE_ERROR':
      return 'NOT_COORDINATOR';
    default:
      return 'UNKNOWN_SERVER_ERROR';
  }
}
