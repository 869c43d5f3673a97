import { describe, expect, it } from 'vitest';
import {
  electControlledShutdownLeader,
  electNewPartitionLeader,
  electOfflinePartitionLeader,
  electPreferredLeader,
  electReassignmentLeader,
  needsUncleanElection,
} from '../../../../src/broker/controller/leader-election.js';
import { type LeaderAndIsr, LeaderRecoveryState } from '../../../../src/broker/zk/zk-data.js';

const state = (leader: number, isr: number[], leaderEpoch = 4): LeaderAndIsr => ({
  leader,
  leaderEpoch,
  isr,
  leaderRecoveryState: LeaderRecoveryState.RECOVERED,
  partitionEpoch: 9,
});
const live =
  (...ids: number[]) =>
  (id: number) =>
    ids.includes(id);

describe('leader election rules (reference §5.7)', () => {
  it('new partition: first live replica of the assignment, all live replicas in sync; none live → none', () => {
    expect(electNewPartitionLeader([3, 1, 2], live(1, 2))).toEqual({ leader: 1, isr: [1, 2] });
    expect(electNewPartitionLeader([3, 1, 2], live(1, 2, 3))).toEqual({ leader: 3, isr: [3, 1, 2] });
    expect(electNewPartitionLeader([3, 1], live(2))).toBeNull();
  });

  it('offline, clean: first assigned replica that is live and in the ISR; ISR keeps its live members; epoch +1', () => {
    // Leader 1 died; 3 is first in the assignment but not in sync, so 2 leads.
    expect(electOfflinePartitionLeader([1, 3, 2], state(1, [1, 2]), live(2, 3), false)).toEqual({
      ...state(2, [2]),
      leaderEpoch: 5,
    });
    expect(electOfflinePartitionLeader([1, 2, 3], state(1, [1, 2, 3]), live(2, 3), false)).toEqual({
      ...state(2, [2, 3]),
      leaderEpoch: 5,
    });
    // The partition epoch is the znode version the write is conditional on: unchanged here.
    expect(electOfflinePartitionLeader([1, 2, 3], state(1, [1, 2, 3]), live(2), false)?.partitionEpoch).toBe(9);
  });

  it('offline, unclean: only with no live ISR member and when allowed; the leader alone in the ISR, RECOVERING', () => {
    const current = state(1, [1]);
    expect(needsUncleanElection(current, live(2, 3))).toBe(true);
    expect(electOfflinePartitionLeader([1, 3, 2], current, live(2, 3), false)).toBeNull();
    expect(electOfflinePartitionLeader([1, 3, 2], current, live(2, 3), true)).toEqual({
      leader: 3,
      leaderEpoch: 5,
      isr: [3],
      leaderRecoveryState: LeaderRecoveryState.RECOVERING,
      partitionEpoch: 9,
    });
    // A live ISR member always wins, unclean allowed or not.
    expect(needsUncleanElection(state(1, [1, 2]), live(2))).toBe(false);
    expect(electOfflinePartitionLeader([1, 3, 2], state(1, [1, 2]), live(2, 3), true)?.leaderRecoveryState).toBe(
      LeaderRecoveryState.RECOVERED,
    );
    expect(electOfflinePartitionLeader([1, 2], current, live(), true)).toBeNull();
  });

  it('controlled shutdown: first assigned replica in the ISR, live or shutting down, not shutting down; ISR loses the shutting-down brokers', () => {
    const shuttingDown = new Set([1]);
    const liveOrShuttingDown = live(1, 2, 3);
    expect(electControlledShutdownLeader([1, 2, 3], state(1, [1, 2, 3]), liveOrShuttingDown, shuttingDown)).toEqual({
      ...state(2, [2, 3]),
      leaderEpoch: 5,
    });
    expect(electControlledShutdownLeader([1, 2, 3], state(1, [1]), liveOrShuttingDown, shuttingDown)).toBeNull();
    expect(electControlledShutdownLeader([1, 2, 3], state(1, [1, 3]), live(1, 3), shuttingDown)?.leader).toBe(3);
  });

  it('preferred: the first assigned replica, only if live and in the ISR; ISR unchanged', () => {
    expect(electPreferredLeader([2, 1, 3], state(1, [1, 2, 3]), live(1, 2, 3))).toEqual({ ...state(2, [1, 2, 3]), leaderEpoch: 5 });
    expect(electPreferredLeader([2, 1, 3], state(1, [1, 3]), live(1, 2, 3))).toBeNull();
    expect(electPreferredLeader([2, 1, 3], state(1, [1, 2, 3]), live(1, 3))).toBeNull();
  });

  it('reassignment: the first target replica live and in the ISR; ISR unchanged', () => {
    expect(electReassignmentLeader([4, 5, 6], state(1, [1, 5, 6]), live(1, 4, 5, 6))).toEqual({ ...state(5, [1, 5, 6]), leaderEpoch: 5 });
    expect(electReassignmentLeader([4, 5], state(1, [1]), live(1, 4, 5))).toBeNull();
  });
});
