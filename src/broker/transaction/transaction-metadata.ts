import type { TransactionStateName } from '../../protocol/transaction-states.js';
import { type TopicPartition, topicPartitionKey } from '../log/log-file-names.js';
import type { StoredTransaction } from './transaction-log.js';

/** Kafka's ProducerIdAndEpoch limit: at this epoch a producer gets a new id instead of a bump. */
export const MAX_PRODUCER_EPOCH = 32_767;

/** The states a transition may come from (Kafka's TransactionState.validPreviousStates). */
const VALID_PREVIOUS: Record<TransactionStateName, readonly TransactionStateName[]> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  PrepareAbort: ['Ongoing', 'PrepareEpochFence'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
  Dead: ['Empty', 'CompleteAbort', 'CompleteCommit'],
  PrepareEpochFence: ['Ongoing'],
};

/**
 * One transactional id as its coordinator keeps it (Kafka's TransactionMetadata). A change is
 * prepared (`pendingState` set: other requests get CONCURRENT_TRANSACTIONS), written to
 * `__transaction_state`, and applied only once the write is replicated under the same coordinator epoch.
 */
export class TransactionMetadata {
  producerId: bigint;
  /** The id before the last one, when the epoch ran out (a retried InitProducerId is recognised by it). */
  lastProducerId = -1n;
  producerEpoch: number;
  lastProducerEpoch = -1;
  txnTimeoutMs: number;
  state: TransactionStateName;
  readonly partitions = new Map<string, TopicPartition>();
  txnStartTimestamp: number;
  txnLastUpdateTimestamp: number;
  pendingState: TransactionStateName | undefined;

  constructor(
    readonly transactionalId: string,
    stored: StoredTransaction,
  ) {
    this.producerId = stored.producerId;
    this.producerEpoch = stored.producerEpoch;
    this.txnTimeoutMs = stored.txnTimeoutMs;
    this.state = stored.state;
    for (const tp of stored.partitions) this.partitions.set(topicPartitionKey(tp), tp);
    this.txnStartTimestamp = stored.txnStartTimestamp;
    this.txnLastUpdateTimestamp = stored.txnLastUpdateTimestamp;
  }

  get stored(): StoredTransaction {
    return {
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      txnTimeoutMs: this.txnTimeoutMs,
      state: this.state,
      partitions: [...this.partitions.values()],
      txnLastUpdateTimestamp: this.txnLastUpdateTimestamp,
      txnStartTimestamp: this.txnStartTimestamp,
    };
  }

  /** Prepares a transition to `next.state`; throws if the state machine does not allow it (a coordinator bug). */
  prepare(next: StoredTransaction): StoredTransaction {
    if (!VALID_PREVIOUS[next.state].includes(this.state)) {
      throw new Error(`Transaction ${this.transactionalId}: illegal transition from ${this.state} to ${next.state}`);
    }
    this.pendingState = next.state;
    return next;
  }

  /** The prepared transition was written: it becomes the state. */
  complete(next: StoredTransaction): void {
    if (next.producerId !== this.producerId) {
      this.lastProducerId = this.producerId;
      this.lastProducerEpoch = -1;
    } else if (next.producerEpoch !== this.producerEpoch) this.lastProducerEpoch = this.producerEpoch;
    this.producerId = next.producerId;
    this.producerEpoch = next.producerEpoch;
    this.txnTimeoutMs = next.txnTimeoutMs;
    this.state = next.state;
    this.partitions.clear();
    for (const tp of next.partitions) this.partitions.set(topicPartitionKey(tp), tp);
    this.txnStartTimestamp = next.txnStartTimestamp;
    this.txnLastUpdateTimestamp = next.txnLastUpdateTimestamp;
    this.pendingState = undefined;
  }
}
