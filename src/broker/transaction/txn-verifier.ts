import type { ErrorName } from '../../protocol/errors.js';
import { ErrorCode, errorName } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultAddPartitionsToTxnRequest } from '../../protocol/generated/apis/add-partitions-to-txn.js';
import type { BrokerLogger } from '../broker-logger.js';
import type { GroupLog } from '../group/group-log.js';
import { coordinatorPartition } from '../group/coordinator-partition.js';
import { type TopicPartition, topicPartitionKey } from '../log/log-file-names.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { BrokerLinks } from './broker-links.js';
import { PerBrokerBatcher } from './per-broker-batcher.js';
import type { TransactionCoordinator } from './transaction-coordinator.js';
import { TRANSACTION_STATE_TOPIC } from './transaction-log.js';

export interface TxnVerifierOptions {
  localBrokerId: number;
  metadata: MetadataCache;
  coordinator: Pick<TransactionCoordinator, 'verifyPartitions'>;
  transactionLog: Pick<GroupLog, 'partitionCount'>;
  /** Other brokers' inter-broker listeners; absent on a single broker. */
  links?: Pick<BrokerLinks, 'get' | 'drop'>;
  log: BrokerLogger;
}

/** The first AddPartitionsToTxn version with batched transactions and verify_only. */
const VERIFY_VERSION = 4;

interface Producer {
  producerId: bigint;
  producerEpoch: number;
}

/** One Produce request's partitions to verify with their coordinator. */
interface Verification {
  transactionalId: string;
  producer: Producer;
  partitions: readonly TopicPartition[];
}

/**
 * KIP-890 part 1 (Kafka's AddPartitionsToTxnManager): a partition leader asks the producer's
 * transaction coordinator whether the partition is in the producer's open transaction before its
 * first transactional batch there is appended — AddPartitionsToTxn v4 with verify_only, or the
 * local coordinator directly. Answers an error name per partition (NONE: verified). As Kafka's,
 * a coordinator has one request from this broker out at a time, and the verifications asked for
 * meanwhile go together in the next one (one transaction each; a second one for the same
 * transactional id waits for the request after).
 */
export class TxnVerifier {
  /** Per coordinator: each verification's error name per partition key. */
  readonly #coordinators = new PerBrokerBatcher<Verification, Map<string, ErrorName>>(
    (leader, batch) => this.#request(leader, batch),
    (v) => v.transactionalId,
  );

  constructor(private readonly options: TxnVerifierOptions) {}

  async verify(transactionalId: string, producer: Producer, partitions: readonly TopicPartition[]): Promise<Map<string, ErrorName>> {
    const { metadata, localBrokerId, coordinator, links } = this.options;
    const partition = coordinatorPartition(transactionalId, this.options.transactionLog.partitionCount());
    const leader = metadata.topic(TRANSACTION_STATE_TOPIC)?.partitions[partition]?.leader ?? -1;
    if (leader < 0 || (leader !== localBrokerId && !links)) return answerAll(partitions, 'COORDINATOR_NOT_AVAILABLE');
    if (leader === localBrokerId) {
      const verified = coordinator.verifyPartitions(transactionalId, producer, partitions);
      return typeof verified === 'string' ? answerAll(partitions, verified) : verified;
    }
    return this.#coordinators.request(leader, { transactionalId, producer, partitions });
  }

  /** One AddPartitionsToTxn (verify_only) for `batch`: per verification, the error name per partition key. */
  async #request(leader: number, batch: readonly Verification[]): Promise<Map<string, ErrorName>[]> {
    const links = this.options.links!;
    const answerEach = (error: ErrorName) => batch.map(({ partitions }) => answerAll(partitions, error));
    try {
      const link = await links.get(leader);
      const version = link.versionOf(ApiKey.AddPartitionsToTxn);
      // A coordinator without verify_only: verification is skipped, as Kafka skips it.
      if (version === undefined || version < VERIFY_VERSION) return answerEach('NONE');
      const transactions = batch.map(({ transactionalId, producer, partitions }) => {
        const byTopic = new Map<string, number[]>();
        for (const tp of partitions) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
        return { transactionalId, ...producer, verifyOnly: true, topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps })) };
      });
      const response = await link.request(ApiKey.AddPartitionsToTxn, { ...defaultAddPartitionsToTxnRequest(), transactions }, version);
      if (response.errorCode !== ErrorCode.NONE) {
        return answerEach(response.errorCode === ErrorCode.CLUSTER_AUTHORIZATION_FAILED ? 'INVALID_TXN_STATE' : nameOf(response.errorCode));
      }
      const results = new Map(response.resultsByTransaction.map((r) => [r.transactionalId, r.topicResults]));
      return batch.map(({ transactionalId, partitions }) => {
        const topicResults = results.get(transactionalId);
        // A transaction the answer leaves out is not verified: its Produce is retried.
        const answers = answerAll(partitions, topicResults === undefined ? 'NETWORK_EXCEPTION' : 'NONE');
        for (const t of topicResults ?? []) {
          for (const p of t.resultsByPartition)
            answers.set(topicPartitionKey({ topic: t.name, partition: p.partitionIndex }), nameOf(p.partitionErrorCode));
        }
        return answers;
      });
    } catch (err) {
      const ids = batch.map((v) => v.transactionalId).join(', ');
      this.options.log('info', `Verifying transactions of ${ids} with broker ${leader} failed: ${(err as Error).message}`);
      links.drop(leader);
      return answerEach('NETWORK_EXCEPTION');
    }
  }
}

function answerAll(partitions: readonly TopicPartition[], error: ErrorName): Map<string, ErrorName> {
  return new Map(partitions.map((tp) => [topicPartitionKey(tp), error]));
}

function nameOf(code: number): ErrorName {
  return errorName(code) ?? 'UNKNOWN_SERVER_ERROR';
}
