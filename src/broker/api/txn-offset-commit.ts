import type { ApiKey } from '../../protocol/generated/api-info.js';
import { ErrorCode } from '../../protocol/errors.js';
import { defaultTxnOffsetCommitResponse, type TxnOffsetCommitRequest } from '../../protocol/generated/apis/txn-offset-commit.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import { mapPartitions } from '../group/group-offsets-service.js';
import { commitReadableTopics } from './commit-readable-topics.js';
import type { Handler } from './handler.js';

/**
 * TxnOffsetCommit v0-4: a transactional producer's offsets for a group, written to the group's
 * `__consumer_offsets` partition in its transaction and applied when the COMMIT marker comes
 * (v3+ carry the member's generation and id, checked as far as they are given). Needs WRITE on
 * the transactional id and READ on the group, else every partition carries that error; partitions
 * of topics the principal may not READ are TOPIC_AUTHORIZATION_FAILED, the others committed.
 */
export function txnOffsetCommitHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.TxnOffsetCommit> {
  return async (request, ctx) => {
    const answer = defaultTxnOffsetCommitResponse();
    const failed = (errorCode: number) => ({ ...answer, topics: mapPartitions(request.topics, () => errorCode) });
    if (!ctx.authorize('WRITE', 'TRANSACTIONAL_ID', request.transactionalId))
      return failed(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    if (!ctx.authorize('READ', 'GROUP', request.groupId)) return failed(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    return { ...answer, topics: await commitReadableTopics(coordinator, request, ctx, (readable) => commit(coordinator, readable)) };
  };
}

function commit(coordinator: GroupCoordinator, request: TxnOffsetCommitRequest) {
  return coordinator.offsets.commit(
    {
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      retentionTimeMs: -1,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ ...p, commitTimestamp: -1 })),
      })),
    },
    { producerId: request.producerId, producerEpoch: request.producerEpoch },
  );
}
