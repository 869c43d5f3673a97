// OffsetCommit v0-9. v1: generation, member id, a commit timestamp per partition. v2-4: retention
// time. v6: leader epoch. v7: group.instance.id. v9's member epoch is the classic generation here.
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultOffsetCommitResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
} from '../../protocol/generated/apis/offset-commit.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

/**
 * READ on the group, else every partition is GROUP_AUTHORIZATION_FAILED; READ on each topic, else
 * its partitions are TOPIC_AUTHORIZATION_FAILED and only the others are committed.
 */
export function offsetCommitHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.OffsetCommit> {
  return async (request, ctx) => {
    if (!ctx.authorize('READ', 'GROUP', request.groupId)) return failed(request, ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const readable = (name: string) => ctx.authorize('READ', 'TOPIC', name);
    const denied = { ...request, topics: request.topics.filter((t) => !readable(t.name)) };
    const allowed = { ...request, topics: request.topics.filter((t) => readable(t.name)) };
    const committed = await coordinator.coordinate(
      [request.groupId],
      () => commit(coordinator, allowed),
      (errorCode) => failed(allowed, errorCode),
    );
    return { ...committed, topics: [...committed.topics, ...failed(denied, ErrorCode.TOPIC_AUTHORIZATION_FAILED).topics] };
  };
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
