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
import type { TransactionCoordinator } from './transaction-coordinator.js';
import { TRANSACTION_STATE_TOPIC } from './transaction-log.js';

export interface TxnVerifierOptions {
  localBrokerId: number;
  metadata: MetadataCache;
  coordinator: TransactionCoordinator;
  transactionLog: GroupLog;
  /** Other brokers' inter-broker listeners; absent on a single broker. */
  links?: BrokerLinks;
  log: BrokerLogger;
}

/** The first AddPartitionsToTxn version with batched transactions and verify_only. */
const VERIFY_VERSION = 4;

/**
 * KIP-890 part 1 (Kafka's AddPartitionsToTxnManager): a partition leader asks the producer's
 * transaction coordinator whether the partition is in the producer's open transaction before its
 * first transactional batch there is appended — AddPartitionsToTxn v4 with verify_only, or the
 * local coordinator directly. Answers an error name per partition (NONE: verified).
 */
export class TxnVerifier {
  constructor(private readonly options: TxnVerifierOptions) {}

  async verify(
    transactionalId: string,
    producer: { producerId: bigint; producerEpoch: number },
    partitions: readonly TopicPartition[],
  ): Promise<Map<string, ErrorName>> {
    const all = (error: ErrorName) => new Map(partitions.map((tp) => [topicPartitionKey(tp), error]));
    const { metadata, localBrokerId, coordinator, links } = this.options;
    const partition = coordinatorPartition(transactionalId, this.options.transactionLog.partitionCount());
    const leader = metadata.topic(TRANSACTION_STATE_TOPIC)?.partitions[partition]?.leader ?? -1;
    if (leader < 0) return all('COORDINATOR_NOT_AVAILABLE');
    if (leader === localBrokerId) {
      const verified = coordinator.verifyPartitions(transactionalId, producer, partitions);
      return typeof verified === 'string' ? all(verified) : verified;
    }
    if (!links) return all('COORDINATOR_NOT_AVAILABLE');
    try {
      const link = await links.get(leader);
      const version = link.versionOf(ApiKey.AddPartitionsToTxn);
      // A coordinator without verify_only: verification is skipped, as Kafka skips it.
      if (version === undefined || version < VERIFY_VERSION) return all('NONE');
      const byTopic = new Map<string, number[]>();
      for (const tp of partitions) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
      const response = await link.request(
        ApiKey.AddPartitionsToTxn,
        {
          ...defaultAddPartitionsToTxnRequest(),
          transactions: [
            { transactionalId, ...producer, verifyOnly: true, topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps })) },
          ],
        },
        version,
      );
      if (response.errorCode !== ErrorCode.NONE) {
        return all(response.errorCode === ErrorCode.CLUSTER_AUTHORIZATION_FAILED ? 'INVALID_TXN_STATE' : nameOf(response.errorCode));
      }
      const answers = all('NONE');
      for (const t of response.resultsByTransaction[0]?.topicResults ?? []) {
        for (const p of t.resultsByPartition)
          answers.set(topicPartitionKey({ topic: t.name, partition: p.partitionIndex }), nameOf(p.partitionErrorCode));
      }
      return answers;
    } catch (err) {
      this.options.log('info', `Verifying transaction of ${transactionalId} with broker ${leader} failed: ${(err as Error).message}`);
      links.drop(leader);
      return all('NETWORK_EXCEPTION');
    }
  }
}

function nameOf(code: number): ErrorName {
  return errorName(code) ?? 'UNKNOWN_SERVER_ERROR';
}
