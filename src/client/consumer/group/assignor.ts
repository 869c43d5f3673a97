import type { TopicPartition } from '../partition-fetcher.js';

/** A group member as the leader's assignor sees it. */
export interface MemberSubscription {
  memberId: string;
  groupInstanceId: string | null;
  topics: readonly string[];
}

/** Member id → the partitions it gets (every member present, possibly with none). */
export type GroupAssignment = Map<string, TopicPartition[]>;

/** An eager assignment strategy of the classic protocol, named as in JoinGroup. */
export interface Assignor {
  readonly name: string;
  /** `partitionCounts`: the subscribed topics the cluster knows; others get no partitions. */
  assign(members: readonly MemberSubscription[], partitionCounts: ReadonlyMap<string, number>): GroupAssignment;
}

/**
 * Java's MemberInfo order, which both of its eager assignors follow: static members first, by
 * group.instance.id, then dynamic ones by member id (UTF-16 code unit order, as String.compareTo).
 */
export function compareMembers(a: MemberSubscription, b: MemberSubscription): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) return compareStrings(a.groupInstanceId, b.groupInstanceId);
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function emptyAssignment(members: readonly MemberSubscription[]): GroupAssignment {
  return new Map(members.map((m) => [m.memberId, []]));
}
