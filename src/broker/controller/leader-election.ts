import { type LeaderAndIsr, LeaderRecoveryState } from '../zk/zk-data.js';

/**
 * Kafka's partition leader election rules (PartitionLeaderElectionAlgorithms and Election), as
 * pure functions of the assignment, the current state and which replicas are online. Each
 * returns the state to write, or null when no replica qualifies. Every election bumps the
 * leader epoch; the partition epoch is the znode version the write will be conditional on.
 */

/** Which brokers count as online for a partition: live, not in controlled shutdown, log dir online. */
export type IsOnline = (brokerId: number) => boolean;

/** A new partition: its first live replica leads, all live replicas are in sync, epoch 0. */
export function electNewPartitionLeader(assignment: readonly number[], isOnline: IsOnline): { leader: number; isr: number[] } | null {
  const live = assignment.filter(isOnline);
  return live.length === 0 ? null : { leader: live[0]!, isr: live };
}

/**
 * An offline (or new-but-known) partition: the first assigned replica that is online and in the
 * ISR; the ISR keeps its online members. Without one, and only if `uncleanAllowed`, the first
 * online replica leads alone and the partition is RECOVERING until its leader's first ISR change.
 */
export function electOfflinePartitionLeader(
  assignment: readonly number[],
  current: LeaderAndIsr,
  isOnline: IsOnline,
  uncleanAllowed: boolean,
): LeaderAndIsr | null {
  const clean = assignment.find((id) => isOnline(id) && current.isr.includes(id));
  if (clean !== undefined) return withNewLeader(current, clean, current.isr.filter(isOnline));
  if (!uncleanAllowed) return null;
  const unclean = assignment.find(isOnline);
  if (unclean === undefined) return null;
  return { ...withNewLeader(current, unclean, [unclean]), leaderRecoveryState: LeaderRecoveryState.RECOVERING };
}

/** Whether a partition has no online ISR member, so only an unclean election could give it a leader. */
export function needsUncleanElection(current: LeaderAndIsr, isOnline: IsOnline): boolean {
  return !current.isr.some(isOnline);
}

/** Controlled shutdown: the first assigned replica in the ISR that is online and not shutting down; the ISR loses the shutting-down brokers. */
export function electControlledShutdownLeader(
  assignment: readonly number[],
  current: LeaderAndIsr,
  isOnlineOrShuttingDown: IsOnline,
  shuttingDown: ReadonlySet<number>,
): LeaderAndIsr | null {
  const leader = assignment.find((id) => isOnlineOrShuttingDown(id) && current.isr.includes(id) && !shuttingDown.has(id));
  if (leader === undefined) return null;
  return withNewLeader(
    current,
    leader,
    current.isr.filter((id) => !shuttingDown.has(id)),
  );
}

/** Preferred replica: the first assigned replica, only if online and in the ISR; the ISR is unchanged. */
export function electPreferredLeader(assignment: readonly number[], current: LeaderAndIsr, isOnline: IsOnline): LeaderAndIsr | null {
  const preferred = assignment[0];
  if (preferred === undefined || !isOnline(preferred) || !current.isr.includes(preferred)) return null;
  return withNewLeader(current, preferred, current.isr);
}

/** Reassignment: the first target replica that is online and in the ISR; the ISR is unchanged. */
export function electReassignmentLeader(targetReplicas: readonly number[], current: LeaderAndIsr, isOnline: IsOnline): LeaderAndIsr | null {
  const leader = targetReplicas.find((id) => isOnline(id) && current.isr.includes(id));
  return leader === undefined ? null : withNewLeader(current, leader, current.isr);
}

/** Kafka's LeaderAndIsr.newLeaderAndIsr: the next leader epoch, the recovery state kept. */
export function withNewLeader(current: LeaderAndIsr, leader: number, isr: readonly number[]): LeaderAndIsr {
  return { ...current, leader, isr: [...isr], leaderEpoch: current.leaderEpoch + 1 };
}
