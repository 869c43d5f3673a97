import { ErrorCode } from '../../protocol/errors.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import { mapPartitions, type PartitionErrors } from '../group/group-offsets-service.js';
import type { RequestContext } from './handler.js';

/** What OffsetCommit and TxnOffsetCommit requests share: a group and the partitions of each topic. */
interface OffsetsOfGroup {
  groupId: string;
  topics: { name: string; partitions: { partitionIndex: number }[] }[];
}

/**
 * Commits, through the group's coordinator, the offsets of the topics the principal may READ; each
 * partition of the others is TOPIC_AUTHORIZATION_FAILED, listed after them (Kafka's
 * handleOffsetCommitRequest and handleTxnOffsetCommitRequest). A coordinator error (not the
 * coordinator, a failed write) answers every readable partition.
 */
export async function commitReadableTopics<R extends OffsetsOfGroup>(
  coordinator: GroupCoordinator,
  request: R,
  ctx: RequestContext,
  commit: (readable: R) => Promise<PartitionErrors>,
): Promise<PartitionErrors> {
  const mayRead = (name: string) => ctx.authorize('READ', 'TOPIC', name);
  const readable = { ...request, topics: request.topics.filter((t) => mayRead(t.name)) };
  const refused = request.topics.filter((t) => !mayRead(t.name));
  const committed = await coordinator.coordinate(
    [request.groupId],
    () => commit(readable),
    (errorCode) => mapPartitions(readable.topics, () => errorCode),
  );
  return [...committed, ...mapPartitions(refused, () => ErrorCode.TOPIC_AUTHORIZATION_FAILED)];
}
