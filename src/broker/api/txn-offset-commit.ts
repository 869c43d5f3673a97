import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultTxnOffsetCommitResponse, type TxnOffsetCommitRequest } from '../../protocol/generated/apis/txn-offset-commit.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

/**
 * TxnOffsetCommit v0-4: a transactional producer's offsets for a group, written to the group's
 * `__consumer_offsets` partition in its transaction and applied when the COMMIT marker comes
 * (v3+ carry the member's generation and id, checked as far as they are given).
 */
export function txnOffsetCommitHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.TxnOffsetCommit> {
  return (request) =>
    coordinator.coordinate(
      [request.groupId],
      async () => ({ ...defaultTxnOffsetCommitResponse(), topics: await commit(coordinator, request) }),
      (errorCode) => ({
        ...defaultTxnOffsetCommitResponse(),
        topics: request.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
        })),
      }),
    );
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
