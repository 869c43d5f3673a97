import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultDescribeTransactionsResponse,
  defaultDescribeTransactionsResponseTransactionState,
} from '../../protocol/generated/apis/describe-transactions.js';
import type { TransactionCoordinator } from '../transaction/transaction-coordinator.js';
import type { Handler } from './handler.js';

/**
 * DescribeTransactions v0 (KIP-664): each id's state, timeout, start time, producer and partitions,
 * from its coordinator. An id the principal may not DESCRIBE is TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
 * partitions of topics it may not DESCRIBE are left out, as Kafka does.
 */
export function describeTransactionsHandler(coordinator: TransactionCoordinator): Handler<typeof ApiKey.DescribeTransactions> {
  return (request, ctx) => ({
    ...defaultDescribeTransactionsResponse(),
    transactionStates: request.transactionalIds.map((transactionalId) => {
      if (!ctx.authorize('DESCRIBE', 'TRANSACTIONAL_ID', transactionalId)) {
        return {
          ...defaultDescribeTransactionsResponseTransactionState(),
          transactionalId,
          errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        };
      }
      const t = coordinator.describe(transactionalId);
      const byTopic = new Map<string, number[]>();
      for (const { topic, partition } of t.partitions) {
        if (ctx.authorize('DESCRIBE', 'TOPIC', topic)) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
      }
      return {
        errorCode: ErrorCode[t.error],
        transactionalId,
        transactionState: t.state,
        transactionTimeoutMs: t.txnTimeoutMs,
        transactionStartTimeMs: BigInt(t.txnStartTimestamp),
        producerId: t.producerId,
        producerEpoch: t.producerEpoch,
        topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      };
    }),
  });
}
