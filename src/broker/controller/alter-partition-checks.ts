import { ErrorCode } from '../../protocol/errors.js';
import { type LeaderAndIsr, LeaderRecoveryState } from '../zk/zk-data.js';

/**
 * The per-partition checks of an AlterPartition against the controller's state, in Kafka's
 * order: an error code, 'unchanged' for a request already applied (answered with the current
 * state), or null to write it.
 */
export function alterPartitionError(
  current: LeaderAndIsr,
  next: LeaderAndIsr,
  liveBrokers: ReadonlySet<number>,
  version: number,
): number | 'unchanged' | null {
  // A leader ahead of the controller: this controller is likely stale.
  if (next.partitionEpoch > current.partitionEpoch || next.leaderEpoch > current.leaderEpoch) return ErrorCode.NOT_CONTROLLER;
  if (next.leaderEpoch < current.leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH;
  const sameIsr = next.isr.length === current.isr.length && next.isr.every((id, i) => current.isr[i] === id);
  if (
    next.leader === current.leader &&
    sameIsr &&
    next.leaderRecoveryState === current.leaderRecoveryState &&
    next.partitionEpoch <= current.partitionEpoch
  ) {
    return 'unchanged';
  }
  if (next.partitionEpoch < current.partitionEpoch) return ErrorCode.INVALID_UPDATE_VERSION;
  if (next.leaderRecoveryState === LeaderRecoveryState.RECOVERING && next.isr.length > 1) return ErrorCode.INVALID_REQUEST;
  if (current.leaderRecoveryState === LeaderRecoveryState.RECOVERED && next.leaderRecoveryState === LeaderRecoveryState.RECOVERING) {
    return ErrorCode.INVALID_REQUEST;
  }
  if (next.isr.some((id) => !liveBrokers.has(id))) return version > 1 ? ErrorCode.INELIGIBLE_REPLICA : ErrorCode.OPERATION_NOT_ATTEMPTED;
  return null;
}
