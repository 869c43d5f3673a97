import { ErrorCode } from '../../../protocol/errors.js';
import { ApiKey } from '../../../protocol/generated/api-info.js';
import type { TopicPartition } from '../partition-fetcher.js';
import type { CoordinatorLink } from './coordinator-link.js';
import { GroupError } from './group-errors.js';
import type { CommitPosition } from './offset-commit.js';

/** OffsetFetch v1 is the first reading offsets kept by the broker rather than ZooKeeper. */
const MIN_FETCH_VERSION = 1;
/** v7 adds requireStable (KIP-447); v8 batches groups. */
const FIRST_REQUIRE_STABLE_VERSION = 7;
const FIRST_BATCHED_VERSION = 8;

/**
 * The group's committed offsets of `partitions`; partitions without one are left out. As the Java
 * consumer, asks for stable offsets only: a partition with a pending transactional commit fails the
 * request with UNSTABLE_OFFSET_COMMIT (retriable), as do coordinator errors.
 */
export async function fetchCommittedOffsets(
  link: CoordinatorLink,
  groupId: string,
  partitions: readonly TopicPartition[],
): Promise<CommitPosition[]> {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  const topics = [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
  const { version, response } = await link.request(
    ApiKey.OffsetFetch,
    (v) =>
      v >= FIRST_BATCHED_VERSION
        ? { groupId: '', topics: [], groups: [{ groupId, memberId: null, memberEpoch: -1, topics }], requireStable: true }
        : { groupId, topics, groups: [], requireStable: v >= FIRST_REQUIRE_STABLE_VERSION },
    { minVersion: MIN_FETCH_VERSION },
  );
  const group = version >= FIRST_BATCHED_VERSION ? response.groups.find((g) => g.groupId === groupId) : response;
  if (group === undefined) throw new GroupError(ErrorCode.COORDINATOR_NOT_AVAILABLE, groupId, 'OffsetFetch');
  if (group.errorCode !== ErrorCode.NONE) throw new GroupError(group.errorCode, groupId, 'OffsetFetch');
  const committed: CommitPosition[] = [];
  for (const t of group.topics) {
    for (const p of t.partitions) {
      // A partition the broker does not know has no committed offset to start from.
      if (p.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) continue;
      if (p.errorCode !== ErrorCode.NONE) throw new GroupError(p.errorCode, groupId, 'OffsetFetch');
      if (p.committedOffset >= 0n)
        committed.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch });
    }
  }
  return committed;
}
