import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { WriteTxnMarkersRequest, WriteTxnMarkersResponse } from '../../protocol/generated/apis/write-txn-markers.js';
import type { BrokerLogger } from '../broker-logger.js';
import { type TopicPartition, topicPartitionKey } from '../log/log-file-names.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { BrokerLinks } from './broker-links.js';
import { PerBrokerBatcher } from './per-broker-batcher.js';
import type { TxnMarkerWriter } from './txn-marker-writer.js';

/** The marker a transaction's partitions get. */
export interface TxnMarkerSpec {
  producerId: bigint;
  producerEpoch: number;
  commit: boolean;
  coordinatorEpoch: number;
}

export interface TxnMarkerChannelOptions {
  localBrokerId: number;
  metadata: MetadataCache;
  /** Writes markers to partitions led by this broker (the WriteTxnMarkers handler's own path). */
  writer: Pick<TxnMarkerWriter, 'write'>;
  /** Connections to other brokers' inter-broker listeners; absent on a single broker, which leads every partition. */
  links?: BrokerLinks;
  log: BrokerLogger;
}

/** How long partitions whose marker failed wait before it is sent again. */
const RETRY_BACKOFF_MS = 100;

/** Errors after which the marker is sent again, to whichever broker leads the partition by then (Kafka's TransactionMarkerRequestCompletionHandler). */
const RETRIABLE = new Set<number>([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  ErrorCode.REQUEST_TIMED_OUT,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.NETWORK_EXCEPTION,
]);
/** A newer producer epoch or coordinator wrote there: this coordinator stops completing the transaction. */
const FENCED = new Set<number>([ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.TRANSACTION_COORDINATOR_FENCED]);

/** One transaction's markers for one leader. */
interface LeaderMarkers {
  marker: TxnMarkerSpec;
  partitions: readonly TopicPartition[];
}

/**
 * Sends a transaction's markers to the leaders of its partitions (Kafka's
 * TransactionMarkerChannelManager): grouped by leader, WriteTxnMarkers to other brokers over
 * their inter-broker listener, straight to the local writer for this broker's partitions, and
 * again after a backoff for partitions whose leader moved or failed, until every partition has its
 * marker, the partition is gone (a deleted topic), or this broker is no longer the coordinator.
 * As Kafka's, a leader has one request out at a time, and the markers of every transaction that
 * completed meanwhile go in the next one.
 */
export class TxnMarkerChannel {
  readonly #links: BrokerLinks | undefined;
  /** Per leader: the error code per partition key of each transaction's markers; a partition left out got no answer. */
  readonly #leaders = new PerBrokerBatcher<LeaderMarkers, Map<string, number>>((leader, batch) =>
    this.#request(leader, batch).catch((err: Error) => {
      // The local writer failed outright: every partition of the batch is tried again.
      this.options.log('warn', `Writing transaction markers on broker ${leader} failed: ${err.message}`);
      return batch.map(() => new Map());
    }),
  );
  #closed = false;

  constructor(private readonly options: TxnMarkerChannelOptions) {
    this.#links = options.links;
  }

  /** Resolves 'done' when every partition has the marker, 'stopped' when the coordinator must not finish the transaction. */
  async send(marker: TxnMarkerSpec, partitions: readonly TopicPartition[], stillOwner: () => boolean): Promise<'done' | 'stopped'> {
    let remaining = [...partitions];
    while (remaining.length > 0) {
      if (this.#closed || !stillOwner()) return 'stopped';
      const byLeader = new Map<number, TopicPartition[]>();
      const retry: TopicPartition[] = [];
      for (const tp of remaining) {
        const state = this.options.metadata.topic(tp.topic)?.partitions[tp.partition];
        if (!state) continue; // the topic was deleted: nothing left to mark
        if (state.leader < 0) retry.push(tp);
        else byLeader.set(state.leader, [...(byLeader.get(state.leader) ?? []), tp]);
      }
      const answers = await Promise.all([...byLeader].map(([leader, tps]) => this.#leaders.request(leader, { marker, partitions: tps })));
      for (const [i, [leader, tps]] of [...byLeader].entries()) {
        for (const tp of tps) {
          const error = answers[i]!.get(topicPartitionKey(tp)) ?? ErrorCode.NETWORK_EXCEPTION;
          if (error === ErrorCode.NONE || error === ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT || error === ErrorCode.UNSUPPORTED_VERSION)
            continue;
          if (FENCED.has(error)) {
            this.options.log(
              'warn',
              `Marker for producer ${marker.producerId} to ${topicPartitionKey(tp)} was fenced (error ${error}): not completing the transaction`,
            );
            return 'stopped';
          }
          if (RETRIABLE.has(error)) retry.push(tp);
          else
            this.options.log(
              'error',
              `Marker for producer ${marker.producerId} to ${topicPartitionKey(tp)} on broker ${leader} failed with error ${error}; dropped`,
            );
        }
      }
      remaining = retry;
      if (remaining.length > 0) await this.#backoff();
    }
    return 'done';
  }

  close(): void {
    this.#closed = true;
  }

  /** One WriteTxnMarkers for `batch`: per transaction, the error code per partition key (none: retried). */
  async #request(leader: number, batch: readonly LeaderMarkers[]): Promise<Map<string, number>[]> {
    const request: WriteTxnMarkersRequest = { markers: batch.map(({ marker, partitions }) => markerEntry(marker, partitions)) };
    let response: WriteTxnMarkersResponse;
    if (leader === this.options.localBrokerId) response = await this.options.writer.write(request);
    else {
      try {
        if (!this.#links) throw new Error(`broker ${leader} is not this broker and no other is known`);
        const link = await this.#links.get(leader);
        const version = link.versionOf(ApiKey.WriteTxnMarkers);
        if (version === undefined)
          return batch.map(({ partitions }) => new Map(partitions.map((tp) => [topicPartitionKey(tp), ErrorCode.UNSUPPORTED_VERSION])));
        response = await link.request(ApiKey.WriteTxnMarkers, request, version);
      } catch (err) {
        this.options.log('info', `WriteTxnMarkers to broker ${leader} failed: ${(err as Error).message}`);
        this.#links?.drop(leader);
        return batch.map(() => new Map());
      }
    }
    // The answer lists the markers in the request's order (Kafka's WriteTxnMarkersResponse).
    return batch.map((_, i) => {
      const errors = new Map<string, number>();
      for (const t of response.markers[i]?.topics ?? [])
        for (const p of t.partitions) errors.set(topicPartitionKey({ topic: t.name, partition: p.partitionIndex }), p.errorCode);
      return errors;
    });
  }

  #backoff(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, RETRY_BACKOFF_MS).unref());
  }
}

function markerEntry(marker: TxnMarkerSpec, tps: readonly TopicPartition[]): WriteTxnMarkersRequest['markers'][number] {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of tps) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return {
    producerId: marker.producerId,
    producerEpoch: marker.producerEpoch,
    transactionResult: marker.commit,
    coordinatorEpoch: marker.coordinatorEpoch,
    topics: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
  };
}
