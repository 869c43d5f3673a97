import { describe, expect, it } from 'vitest';
import { alterPartitionError } from '../../../../src/broker/controller/alter-partition-checks.js';
import { type LeaderAndIsr, LeaderRecoveryState } from '../../../../src/broker/zk/zk-data.js';
import { ErrorCode } from '../../../../src/protocol/errors.js';

const current: LeaderAndIsr = {
  leader: 1,
  leaderEpoch: 5,
  isr: [1, 2, 3],
  leaderRecoveryState: LeaderRecoveryState.RECOVERED,
  partitionEpoch: 8,
};
const live = new Set([1, 2, 3]);
const check = (next: Partial<LeaderAndIsr>, version = 3, brokers = live) =>
  alterPartitionError(current, { ...current, ...next }, brokers, version);

describe('AlterPartition checks, in Kafka’s order (reference §3)', () => {
  it('a leader ahead of the controller in partition or leader epoch: NOT_CONTROLLER', () => {
    expect(check({ partitionEpoch: 9, isr: [1, 2] })).toBe(ErrorCode.NOT_CONTROLLER);
    expect(check({ leaderEpoch: 6, isr: [1, 2] })).toBe(ErrorCode.NOT_CONTROLLER);
  });

  it('an older leader epoch: FENCED_LEADER_EPOCH', () => {
    expect(check({ leaderEpoch: 4, isr: [1, 2] })).toBe(ErrorCode.FENCED_LEADER_EPOCH);
  });

  it('the current state again, even with an older partition epoch: answered as is (idempotent retries)', () => {
    expect(check({})).toBe('unchanged');
    expect(check({ partitionEpoch: 7 })).toBe('unchanged');
  });

  it('another ISR at an older partition epoch: INVALID_UPDATE_VERSION', () => {
    expect(check({ partitionEpoch: 7, isr: [1, 2] })).toBe(ErrorCode.INVALID_UPDATE_VERSION);
  });

  it('recovery-state rules: RECOVERING with more than the leader, or RECOVERED back to RECOVERING: INVALID_REQUEST', () => {
    expect(check({ leaderRecoveryState: LeaderRecoveryState.RECOVERING, isr: [1, 2] })).toBe(ErrorCode.INVALID_REQUEST);
    expect(check({ leaderRecoveryState: LeaderRecoveryState.RECOVERING, isr: [1] })).toBe(ErrorCode.INVALID_REQUEST);
    const recovering = { ...current, leaderRecoveryState: LeaderRecoveryState.RECOVERING, isr: [1] };
    // The leader's first ISR change after an unclean election clears RECOVERING.
    expect(
      alterPartitionError(recovering, { ...recovering, leaderRecoveryState: LeaderRecoveryState.RECOVERED, isr: [1, 2] }, live, 3),
    ).toBeNull();
  });

  it('an ISR naming a broker that is not live (or is shutting down): INELIGIBLE_REPLICA, OPERATION_NOT_ATTEMPTED before v2', () => {
    expect(check({ isr: [1, 2, 4] })).toBe(ErrorCode.INELIGIBLE_REPLICA);
    expect(check({ isr: [1, 2, 4] }, 1)).toBe(ErrorCode.OPERATION_NOT_ATTEMPTED);
    expect(check({ isr: [1, 3] }, 3, new Set([1, 2]))).toBe(ErrorCode.INELIGIBLE_REPLICA);
  });

  it('otherwise the change is written', () => {
    expect(check({ isr: [1, 2] })).toBeNull();
    expect(check({ isr: [1, 2, 3, 4] }, 3, new Set([1, 2, 3, 4]))).toBeNull();
  });
});
