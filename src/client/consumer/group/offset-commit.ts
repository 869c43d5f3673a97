import { ErrorCode } from '../../../protocol/errors.js';
import { ApiKey } from '../../../protocol/generated/api-info.js';
import type { OffsetCommitRequestTopic } from '../../../protocol/generated/apis/offset-commit.js';
import type { TopicPartition } from '../partition-fetcher.js';
import type { CoordinatorLink } from './coordinator-link.js';
import type { MemberIdentity } from './join-sync.js';

/** What a member commits for a partition: the next offset to read, and the leader epoch of the record before it. */
export interface CommitPosition extends TopicPartition {
  offset: bigint;
  /** -1 when unknown. */
  leaderEpoch: number;
}

export interface CommitResult extends CommitPosition {
  errorCode: number;
}

/** OffsetCommit v2 is the first with the retention time Kafka's brokers expect (-1: the broker's). */
const MIN_COMMIT_VERSION = 2;

/** One OffsetCommit in the member's generation; each partition comes back with its error code. */
export async function commitOffsets(
  link: CoordinatorLink,
  member: MemberIdentity,
  positions: readonly CommitPosition[],
): Promise<CommitResult[]> {
  const topics = new Map<string, OffsetCommitRequestTopic>();
  for (const p of positions) {
    const topic = topics.get(p.topic) ?? { name: p.topic, partitions: [] };
    topics.set(p.topic, topic);
    topic.partitions.push({
      partitionIndex: p.partition,
      committedOffset: p.offset,
      committedLeaderEpoch: p.leaderEpoch,
      commitTimestamp: -1n,
      committedMetadata: '',
    });
  }
  const { response } = await link.request(
    ApiKey.OffsetCommit,
    (version) => ({
      groupId: member.groupId,
      generationIdOrMemberEpoch: member.generationId,
      memberId: member.memberId,
      groupInstanceId: version >= 7 ? member.groupInstanceId : null,
      retentionTimeMs: -1n,
      topics: [...topics.values()],
    }),
    { minVersion: MIN_COMMIT_VERSION },
  );
  const codes = new Map<string, number>();
  for (const t of response.topics) for (const p of t.partitions) codes.set(`${t.name}\0${p.partitionIndex}`, p.errorCode);
  return positions.map((p) => ({ ...p, errorCode: codes.get(`${p.topic}\0${p.partition}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }));
}
