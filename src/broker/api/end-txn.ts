import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultEndTxnResponse } from '../../protocol/generated/apis/end-txn.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';
import { fencedError, forVersion } from './txn-errors.js';

const ABORTABLE_VERSION = 4;

/**
 * EndTxn v0-4: commit or abort, answered once the coordinator wrote PrepareCommit/PrepareAbort; the
 * markers follow. Needs WRITE on the transactional id.
 */
export function endTxnHandler(broker: BrokerContext): Handler<typeof ApiKey.EndTxn> {
  return async (request, ctx) => {
    if (!ctx.authorize('WRITE', 'TRANSACTIONAL_ID', request.transactionalId)) {
      return { ...defaultEndTxnResponse(), errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
    }
    const error = await broker.transactionCoordinator.endTxn(
      request.transactionalId,
      request,
      request.committed,
      fencedError('EndTxn', ctx.apiVersion),
    );
    return { ...defaultEndTxnResponse(), errorCode: ErrorCode[forVersion(error, ABORTABLE_VERSION, ctx.apiVersion)] };
  };
}
