import type { BrokerAddress } from '../../client/bootstrap.js';
import type { VersionedCluster } from '../../client/versioned-cluster.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { DescribeProducersResponseProducerState } from '../../protocol/generated/apis/describe-producers.js';
import { KtsError } from '../../util/errors.js';
import { javaExceptionClass } from '../common/kafka-exceptions.js';

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface TransactionListing {
  transactionalId: string;
  /** The broker that answered: the transaction's coordinator. */
  coordinator: number;
  producerId: bigint;
  state: string;
}

export interface TransactionDescription {
  coordinatorId: number;
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  state: string;
  transactionTimeoutMs: number;
  /** undefined: no transaction open. */
  transactionStartTimeMs: bigint | undefined;
  topicPartitions: TopicPartitionRef[];
}

export type ProducerState = DescribeProducersResponseProducerState;

/** An abort by markers (Kafka's AbortTransactionSpec). */
export interface AbortSpec {
  topicPartition: TopicPartitionRef;
  producerId: bigint;
  producerEpoch: number;
  coordinatorEpoch: number;
}

/** Kafka's error text for a broker's error code in a failed admin call: `<Java exception>: <message>`. */
export class AdminCallError extends KtsError {
  constructor(
    readonly errorCode: number,
    message: string | null,
  ) {
    super(message ?? exceptionMessage(errorCode));
    this.name = 'AdminCallError';
  }
}

/** Messages of the errors these commands meet (Kafka's Errors enum); others print the exception class. */
const MESSAGES: ReadonlyMap<number, string> = new Map([
  [ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, 'The transactionalId could not be found'],
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.'],
  [
    ErrorCode.NOT_LEADER_OR_FOLLOWER,
    'For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.',
  ],
  [ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The coordinator is not available.'],
  [ErrorCode.NOT_COORDINATOR, 'This is not the correct coordinator.'],
  [ErrorCode.INVALID_PRODUCER_EPOCH, 'Producer attempted to produce with an old epoch.'],
  [
    ErrorCode.TRANSACTION_COORDINATOR_FENCED,
    'Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer',
  ],
]);

function exceptionMessage(code: number): string {
  return MESSAGES.get(code) ?? javaExceptionClass(code);
}

const RETRIABLE = new Set<number>([ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_COORDINATOR]);
const RETRIES = 10;
const RETRY_BACKOFF_MS = 200;
const TRANSACTION_KEY_TYPE = 1;
/** v4+ batch keys; one key is asked for here. */
const LAST_SINGLE_KEY_FIND_COORDINATOR_VERSION = 3;

/**
 * What `kafka-transactions.sh` asks of the cluster (Kafka's Admin listTransactions,
 * describeTransactions, describeProducers, abortTransaction), over kts's own client.
 */
export class TransactionsAdmin {
  constructor(private readonly cluster: VersionedCluster) {}

  /** ListTransactions to every broker (v1 for a duration filter), each listing tagged with the broker that coordinates it. */
  async list(filter: { durationMs?: bigint; producerIds?: readonly bigint[] } = {}): Promise<TransactionListing[]> {
    const { brokers } = await this.cluster.metadata([]);
    const listings: TransactionListing[] = [];
    for (const broker of [...brokers].sort((a, b) => a.nodeId - b.nodeId)) {
      const conn = await this.cluster.connection(broker);
      const r = await conn.request(
        ApiKey.ListTransactions,
        { stateFilters: [], producerIdFilters: [...(filter.producerIds ?? [])], durationFilter: filter.durationMs ?? -1n },
        filter.durationMs !== undefined && filter.durationMs >= 0n ? 1 : 0,
      );
      if (r.errorCode !== ErrorCode.NONE) throw new AdminCallError(r.errorCode, null);
      for (const t of r.transactionStates) {
        listings.push({
          transactionalId: t.transactionalId,
          coordinator: broker.nodeId,
          producerId: t.producerId,
          state: t.transactionState,
        });
      }
    }
    return listings;
  }

  /** FindCoordinator for the id, then DescribeTransactions there (retried while the coordinator moves or loads). */
  async describe(transactionalId: string): Promise<TransactionDescription> {
    for (let attempt = 0; ; attempt++) {
      const coordinator = await this.cluster.bootstrap.request(
        ApiKey.FindCoordinator,
        { key: transactionalId, keyType: TRANSACTION_KEY_TYPE, coordinatorKeys: [] },
        LAST_SINGLE_KEY_FIND_COORDINATOR_VERSION,
      );
      let error = coordinator.errorCode;
      if (error === ErrorCode.NONE) {
        const conn = await this.cluster.connection({ host: coordinator.host, port: coordinator.port });
        const r = await conn.request(ApiKey.DescribeTransactions, { transactionalIds: [transactionalId] });
        const t = r.transactionStates[0];
        error = t?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
        if (t && error === ErrorCode.NONE) {
          return {
            coordinatorId: coordinator.nodeId,
            transactionalId,
            producerId: t.producerId,
            producerEpoch: t.producerEpoch,
            state: t.transactionState,
            transactionTimeoutMs: t.transactionTimeoutMs,
            transactionStartTimeMs: t.transactionStartTimeMs >= 0n ? t.transactionStartTimeMs : undefined,
            topicPartitions: t.topics.flatMap((x) => x.partitions.map((partition) => ({ topic: x.topic, partition }))),
          };
        }
      }
      if (!RETRIABLE.has(error) || attempt >= RETRIES) throw new AdminCallError(error, null);
      await sleep(RETRY_BACKOFF_MS);
    }
  }

  /** DescribeProducers on the partition's leader, or on `brokerId` (any replica). */
  async describeProducers(tp: TopicPartitionRef, brokerId?: number): Promise<ProducerState[]> {
    const conn = await this.cluster.connection(await this.#brokerFor(tp, brokerId));
    const r = await conn.request(ApiKey.DescribeProducers, { topics: [{ name: tp.topic, partitionIndexes: [tp.partition] }] });
    const p = r.topics[0]?.partitions[0];
    if (!p) throw new AdminCallError(ErrorCode.UNKNOWN_SERVER_ERROR, null);
    if (p.errorCode !== ErrorCode.NONE) throw new AdminCallError(p.errorCode, p.errorMessage);
    return p.activeProducers;
  }

  /** Admin.abortTransaction: an ABORT marker written by the partition's leader (WriteTxnMarkers). */
  async abort(spec: AbortSpec): Promise<void> {
    const conn = await this.cluster.connection(await this.#brokerFor(spec.topicPartition));
    const r = await conn.request(ApiKey.WriteTxnMarkers, {
      markers: [
        {
          producerId: spec.producerId,
          producerEpoch: spec.producerEpoch,
          transactionResult: false,
          coordinatorEpoch: spec.coordinatorEpoch,
          topics: [{ name: spec.topicPartition.topic, partitionIndexes: [spec.topicPartition.partition] }],
        },
      ],
    });
    const error = r.markers[0]?.topics[0]?.partitions[0]?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR;
    if (error !== ErrorCode.NONE) throw new AdminCallError(error, null);
  }

  /** Every partition of the topics (all topics, internal ones included, when none are named), limited to replicas on `brokerId`. */
  async partitions(topics: readonly string[] | null, brokerId?: number): Promise<TopicPartitionRef[]> {
    const m = await this.cluster.metadata(topics);
    const found: TopicPartitionRef[] = [];
    for (const t of m.topics) {
      if (t.errorCode !== ErrorCode.NONE) throw new AdminCallError(t.errorCode, null);
      for (const p of t.partitions) {
        if (brokerId === undefined || p.replicaNodes.includes(brokerId)) found.push({ topic: t.name!, partition: p.partitionIndex });
      }
    }
    return found;
  }

  async #brokerFor(tp: TopicPartitionRef, brokerId?: number): Promise<BrokerAddress> {
    const m = await this.cluster.metadata([tp.topic]);
    const id = brokerId ?? m.topics[0]?.partitions.find((p) => p.partitionIndex === tp.partition)?.leaderId ?? -1;
    const broker = m.brokers.find((b) => b.nodeId === id);
    if (!broker) {
      throw new AdminCallError(
        brokerId === undefined ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.BROKER_NOT_AVAILABLE,
        brokerId === undefined ? null : `Broker ${brokerId} is not available`,
      );
    }
    return broker;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
