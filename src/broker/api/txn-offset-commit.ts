import type { ApiKey } from '../../protocol/generated/api-info.js';
import { ErrorCode } from '../../protocol/errors.js';
import {
  defaultTxnOffsetCommitResponse,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponse,
} from '../../protocol/generated/apis/txn-offset-commit.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
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
    if (!ctx.authorize('WRITE', 'TRANSACTIONAL_ID', request.transactionalId)) {
      return failed(request, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    }
    if (!ctx.authorize('READ', 'GROUP', request.groupId)) return failed(request, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const readable = (name: string) => ctx.authorize('READ', 'TOPIC', name);
    const denied = { ...request, topics: request.topics.filter((t) => !readable(t.name)) };
    const allowed = { ...request, topics: request.topics.filter((t) => readable(t.name)) };
    const committed = await coordinator.coordinate(
      [request.groupId],
      async () => ({ ...defaultTxnOffsetCommitResponse(), topics: await commit(coordinator, allowed) }),
      (errorCode) => failed(allowed, errorCode),
    );
    return { ...committed, topics: [...committed.topics, ...failed(denied, ErrorCode.TOPIC_AUTHORIZATION_FAILED).topics] };
  };
}

/** Every partition answered with one error. */
function failed(request: TxnOffsetCommitRequest, errorCode: number): TxnOffsetCommitResponse {
  return {
    ...defaultTxnOffsetCommitResponse(),
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
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
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          committedOffset: p.committedOffset,
          committedLeaderEpoch: p.committedLeaderEpoch,
          committedMetadata: p.committedMetadata,
          commitTimestamp: -1,
        })),
      })),
    },
    { producerId: request.producerId, producerEpoch: request.producerEpoch },
  );
}
