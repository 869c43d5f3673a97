// OffsetCommit v0-9. v1: generation, member id, a commit timestamp per partition. v2-4: retention
// time. v6: leader epoch. v7: group.instance.id. v9's member epoch is the classic generation here.
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultOffsetCommitResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
} from '../../protocol/generated/apis/offset-commit.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

export function offsetCommitHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.OffsetCommit> {
  return (request) =>
    coordinator.coordinate(
      [request.groupId],
      () => commit(coordinator, request),
      (errorCode) => failed(request, errorCode),
    );
}

/** Every partition answered with the coordinator's error. */
function failed(request: OffsetCommitRequest, errorCode: number): OffsetCommitResponse {
  return {
    ...defaultOffsetCommitResponse(),
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
  };
}

async function commit(coordinator: GroupCoordinator, request: OffsetCommitRequest): Promise<OffsetCommitResponse> {
  const topics = await coordinator.offsets.commit({
    groupId: request.groupId,
    generationId: request.generationIdOrMemberEpoch,
    memberId: request.memberId,
    groupInstanceId: request.groupInstanceId,
    retentionTimeMs: Number(request.retentionTimeMs),
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        partitionIndex: p.partitionIndex,
        committedOffset: p.committedOffset,
        committedLeaderEpoch: p.committedLeaderEpoch,
        committedMetadata: p.committedMetadata,
        commitTimestamp: Number(p.commitTimestamp),
      })),
    })),
  });
  return { ...defaultOffsetCommitResponse(), topics };
}
