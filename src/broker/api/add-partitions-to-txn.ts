import { CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode, type ErrorName } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  type AddPartitionsToTxnRequestAddPartitionsToTxnTopic,
  type AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult,
  defaultAddPartitionsToTxnResponse,
} from '../../protocol/generated/apis/add-partitions-to-txn.js';
import type { TopicPartition } from '../log/log-file-names.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';
import { fencedError, forVersion } from './txn-errors.js';

const BATCHED_VERSION = 4;
const ABORTABLE_VERSION = 5;

/**
 * AddPartitionsToTxn v0-5: producers (v0-3, one transaction) add partitions to their open
 * transaction; partition leaders (v4+, several, `verify_only`) ask whether a partition is in it
 * (KIP-890). v4+ needs CLUSTER_ACTION (only brokers send it); a transaction needs WRITE on its
 * id, else all its partitions are TRANSACTIONAL_ID_AUTHORIZATION_FAILED. Partitions of topics the
 * principal may not WRITE are TOPIC_AUTHORIZATION_FAILED, unknown ones UNKNOWN_TOPIC_OR_PARTITION,
 * and the rest of that transaction OPERATION_NOT_ATTEMPTED, as Kafka answers.
 */
export function addPartitionsToTxnHandler(broker: BrokerContext): Handler<typeof ApiKey.AddPartitionsToTxn> {
  return async (request, ctx) => {
    const version = ctx.apiVersion;
    const add = async (txn: {
      transactionalId: string;
      producerId: bigint;
      producerEpoch: number;
      verifyOnly: boolean;
      topics: AddPartitionsToTxnRequestAddPartitionsToTxnTopic[];
    }): Promise<AddPartitionsToTxnResponseAddPartitionsToTxnTopicResult[]> => {
      const partitions = txn.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
      const refusals = new Map<TopicPartition, ErrorName>();
      for (const tp of partitions) {
        if (!ctx.authorize('WRITE', 'TOPIC', tp.topic)) refusals.set(tp, 'TOPIC_AUTHORIZATION_FAILED');
        else if (!broker.metadata.topic(tp.topic)?.partitions[tp.partition]) refusals.set(tp, 'UNKNOWN_TOPIC_OR_PARTITION');
      }
      let errorOf: (tp: TopicPartition) => ErrorName;
      if (!ctx.authorize('WRITE', 'TRANSACTIONAL_ID', txn.transactionalId)) {
        errorOf = () => 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED';
      } else if (refusals.size > 0) {
        errorOf = (tp) => refusals.get(tp) ?? 'OPERATION_NOT_ATTEMPTED';
      } else if (txn.verifyOnly) {
        const verified = broker.transactionCoordinator.verifyPartitions(txn.transactionalId, txn, partitions);
        errorOf = (tp) => (typeof verified === 'string' ? verified : (verified.get(`${tp.topic}-${tp.partition}`) ?? 'NONE'));
      } else {
        const error = await broker.transactionCoordinator.addPartitions(
          txn.transactionalId,
          txn,
          partitions,
          fencedError('AddPartitionsToTxn', version),
        );
        errorOf = () => error;
      }
      let i = 0;
      return txn.topics.map((t) => ({
        name: t.name,
        resultsByPartition: t.partitions.map((partitionIndex) => ({
          partitionIndex,
          partitionErrorCode: ErrorCode[forVersion(errorOf(partitions[i++]!), ABORTABLE_VERSION, version)],
        })),
      }));
    };
    if (version < BATCHED_VERSION) {
      const resultsByTopicV3AndBelow = await add({
        transactionalId: request.v3AndBelowTransactionalId,
        producerId: request.v3AndBelowProducerId,
        producerEpoch: request.v3AndBelowProducerEpoch,
        verifyOnly: false,
        topics: request.v3AndBelowTopics,
      });
      return { ...defaultAddPartitionsToTxnResponse(), resultsByTopicV3AndBelow };
    }
    if (!ctx.authorize('CLUSTER_ACTION', 'CLUSTER', CLUSTER_NAME)) {
      return { ...defaultAddPartitionsToTxnResponse(), errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED };
    }
    const resultsByTransaction = await Promise.all(
      request.transactions.map(async (txn) => ({ transactionalId: txn.transactionalId, topicResults: await add(txn) })),
    );
    return { ...defaultAddPartitionsToTxnResponse(), resultsByTransaction };
  };
}
