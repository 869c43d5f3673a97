// OffsetCommit v0-9. v1: generation, member id, a commit timestamp per partition. v2-4: retention
// time. v6: leader epoch. v7: group.instance.id. v9's member epoch is the classic generation here.
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultOffsetCommitResponse, type OffsetCommitRequest } from '../../protocol/generated/apis/offset-commit.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import { mapPartitions, type PartitionErrors } from '../group/group-offsets-service.js';
import { commitReadableTopics } from './commit-readable-topics.js';
import type { Handler } from './handler.js';

/**
 * READ on the group, else every partition is GROUP_AUTHORIZATION_FAILED; READ on each topic, else
 * its partitions are TOPIC_AUTHORIZATION_FAILED and only the others are committed.
 */
export function offsetCommitHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.OffsetCommit> {
  return async (request, ctx) => {
    const answer = defaultOffsetCommitResponse();
    if (!ctx.authorize('READ', 'GROUP', request.groupId)) {
      return { ...answer, topics: mapPartitions(request.topics, () => ErrorCode.GROUP_AUTHORIZATION_FAILED) };
    }
    return { ...answer, topics: await commitReadableTopics(coordinator, request, ctx, (readable) => commit(coordinator, readable)) };
  };
}

function commit(coordinator: GroupCoordinator, request: OffsetCommitRequest): Promise<PartitionErrors> {
  return coordinator.offsets.commit({
    groupId: request.groupId,
    generationId: request.generationIdOrMemberEpoch,
    memberId: request.memberId,
    groupInstanceId: request.groupInstanceId,
    retentionTimeMs: Number(request.retentionTimeMs),
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ ...p, commitTimestamp: Number(p.commitTimestamp) })),
    })),
  });
}
