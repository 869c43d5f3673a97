import type { ErrorName } from '../../protocol/errors.js';

/** Before these versions a fenced producer is told INVALID_PRODUCER_EPOCH (PRODUCER_FENCED came with KIP-588). */
const PRODUCER_FENCED_SINCE = { AddPartitionsToTxn: 2, AddOffsetsToTxn: 2, EndTxn: 2, TxnOffsetCommit: 2 } as const;

export function fencedError(api: keyof typeof PRODUCER_FENCED_SINCE, version: number): ErrorName {
  return version >= PRODUCER_FENCED_SINCE[api] ? 'PRODUCER_FENCED' : 'INVALID_PRODUCER_EPOCH';
}

/** TRANSACTION_ABORTABLE (KIP-890) reaches only clients that know it: AddPartitionsToTxn v5+, EndTxn v4+; older ones get INVALID_TXN_STATE. */
export function forVersion(error: ErrorName, abortableSince: number, version: number): ErrorName {
  return error === 'TRANSACTION_ABORTABLE' && version < abortableSince ? 'INVALID_TXN_STATE' : error;
}
