import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultAddOffsetsToTxnResponse } from '../../protocol/generated/apis/add-offsets-to-txn.js';
import { CoordinatorUnavailableError } from '../group/group-log.js';
import { OFFSETS_TOPIC } from '../group/offsets-topic-log.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';
import { fencedError } from './txn-errors.js';

/**
 * AddOffsetsToTxn v0-4: the group's `__consumer_offsets` partition joins the transaction, so its
 * TxnOffsetCommit offsets get the transaction's marker (the offsets topic is created if need be).
 * Needs WRITE on the transactional id and READ on the group.
 */
export function addOffsetsToTxnHandler(broker: BrokerContext): Handler<typeof ApiKey.AddOffsetsToTxn> {
  return async (request, ctx) => {
    if (!ctx.authorize('WRITE', 'TRANSACTIONAL_ID', request.transactionalId)) {
      return { ...defaultAddOffsetsToTxnResponse(), errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED };
    }
    if (!ctx.authorize('READ', 'GROUP', request.groupId)) {
      return { ...defaultAddOffsetsToTxnResponse(), errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
    }
    try {
      await broker.groupLog.ensureExists();
    } catch (err) {
      if (!(err instanceof CoordinatorUnavailableError)) throw err;
      return { ...defaultAddOffsetsToTxnResponse(), errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    }
    const partition = { topic: OFFSETS_TOPIC, partition: broker.groupCoordinator.partitionFor(request.groupId) };
    const error = await broker.transactionCoordinator.addPartitions(
      request.transactionalId,
      request,
      [partition],
      fencedError('AddOffsetsToTxn', ctx.apiVersion),
    );
    return { ...defaultAddOffsetsToTxnResponse(), errorCode: ErrorCode[error] };
  };
}
