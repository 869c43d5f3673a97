import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultDescribeTransactionsResponse } from '../../protocol/generated/apis/describe-transactions.js';
import type { TransactionCoordinator } from '../transaction/transaction-coordinator.js';
import type { Handler } from './handler.js';

/** DescribeTransactions v0 (KIP-664): each id's state, timeout, start time, producer and partitions, from its coordinator. */
export function describeTransactionsHandler(coordinator: TransactionCoordinator): Handler<typeof ApiKey.DescribeTransactions> {
  return (request) => ({
    ...defaultDescribeTransactionsResponse(),
    transactionStates: request.transactionalIds.map((transactionalId) => {
      const t = coordinator.describe(transactionalId);
      const byTopic = new Map<string, number[]>();
      for (const { topic, partition } of t.partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
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
