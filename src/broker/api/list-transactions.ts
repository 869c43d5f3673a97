import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultListTransactionsResponse } from '../../protocol/generated/apis/list-transactions.js';
import type { TransactionCoordinator } from '../transaction/transaction-coordinator.js';
import type { Handler } from './handler.js';

/**
 * ListTransactions v0-1 (KIP-664; v1 adds the duration filter, KIP-994): the transactions this
 * broker coordinates whose ids the principal may DESCRIBE.
 */
export function listTransactionsHandler(coordinator: TransactionCoordinator): Handler<typeof ApiKey.ListTransactions> {
  return (request, ctx) => {
    const duration = ctx.apiVersion >= 1 ? request.durationFilter : -1n;
    const { unknownStateFilters, transactions } = coordinator.list(request.stateFilters, request.producerIdFilters, duration);
    return {
      ...defaultListTransactionsResponse(),
      unknownStateFilters,
      transactionStates: transactions
        .filter((t) => ctx.authorize('DESCRIBE', 'TRANSACTIONAL_ID', t.transactionalId))
        .map((t) => ({
          transactionalId: t.transactionalId,
          producerId: t.producerId,
          transactionState: t.state,
        })),
    };
  };
}
