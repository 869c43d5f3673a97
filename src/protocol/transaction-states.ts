/**
 * Kafka's TransactionState: the states a transaction coordinator keeps a transactional id in, by
 * the id `__transaction_state` stores (TransactionLogValue.TransactionStatus) and the name
 * DescribeTransactions and ListTransactions use.
 */
export const TRANSACTION_STATES = [
  'Empty',
  'Ongoing',
  'PrepareCommit',
  'PrepareAbort',
  'CompleteCommit',
  'CompleteAbort',
  'Dead',
  'PrepareEpochFence',
] as const;

export type TransactionStateName = (typeof TRANSACTION_STATES)[number];

export function transactionStateId(state: TransactionStateName): number {
  return TRANSACTION_STATES.indexOf(state);
}
