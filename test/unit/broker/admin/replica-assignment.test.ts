import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/broker/api-error.js';
import {
  type AssignableBroker,
  addPartitionsStart,
  assignReplicas,
  rackAlternatedBrokers,
} from '../../../../src/broker/admin/replica-assignment.js';

const noRacks = (...ids: number[]): AssignableBroker[] => ids.map((id) => ({ id, rack: null }));

describe('assignReplicas (Kafka’s AdminUtils.assignReplicasToBrokers, reference §4)', () => {
  it('rack-unaware, start 0 shift 0: the worked example, followers shifting after each round', () => {
    expect(assignReplicas(noRacks(0, 1, 2, 3, 4), 10, 3, 0, { startIndex: 0, shift: 0 })).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 0],
      [4, 0, 1],
      [0, 2, 3],
      [1, 3, 4],
      [2, 4, 0],
      [3, 0, 1],
      [4, 1, 2],
    ]);
  });

  it('rack-unaware, start 2 shift 1', () => {
    expect(assignReplicas(noRacks(0, 1, 2, 3, 4), 6, 3, 0, { startIndex: 2, shift: 1 })).toEqual([
      [2, 4, 0],
      [3, 0, 1],
      [4, 1, 2],
      [0, 2, 3],
      [1, 3, 4],
      [2, 0, 1],
    ]);
  });

  it('rack-aware: alternates racks, then places followers on racks without a replica', () => {
    const brokers: AssignableBroker[] = [
      { id: 0, rack: 'a' },
      { id: 1, rack: 'a' },
      { id: 2, rack: 'b' },
      { id: 3, rack: 'b' },
      { id: 4, rack: 'c' },
      { id: 5, rack: 'c' },
    ];
    expect(rackAlternatedBrokers(brokers)).toEqual([0, 2, 4, 1, 3, 5]);
    expect(assignReplicas(brokers, 6, 3, 0, { startIndex: 0, shift: 0 })).toEqual([
      [0, 2, 4],
      [2, 4, 1],
      [4, 1, 3],
      [1, 3, 5],
      [3, 5, 0],
      [5, 0, 2],
    ]);
  });

  it('rack-aware over Kafka’s javadoc example racks', () => {
    const racks = ['rack1', 'rack3', 'rack3', 'rack2', 'rack2', 'rack1'];
    const brokers = racks.map((rack, id) => ({ id, rack }));
    expect(rackAlternatedBrokers(brokers)).toEqual([0, 3, 1, 5, 4, 2]);
    const assignment = assignReplicas(brokers, 7, 3, 0, { startIndex: 0, shift: 0 });
    expect(assignment.slice(0, 6)).toEqual([
      [0, 3, 1],
      [3, 1, 5],
      [1, 5, 4],
      [5, 4, 2],
      [4, 2, 0],
      [2, 0, 3],
    ]);
    expect(assignment[6]).toEqual([0, 4, 2]);
  });

  it('every replica of a partition on a different broker, leaders spread evenly, whatever the random start', () => {
    for (let run = 0; run < 50; run++) {
      const assignment = assignReplicas(noRacks(1, 2, 3), 6, 3);
      for (const replicas of assignment) expect(new Set(replicas).size).toBe(3);
      const leaders = assignment.map((r) => r[0]);
      for (const id of [1, 2, 3]) expect(leaders.filter((l) => l === id)).toHaveLength(2);
    }
  });

  it('adding partitions continues the round-robin from partition 0’s first replica', () => {
    const brokers = noRacks(0, 1, 2, 3, 4);
    const start = addPartitionsStart(brokers, [2, 3, 4]);
    expect(start).toEqual({ startIndex: 2, shift: 2 });
    // Partitions 3 and 4 of a topic whose partition 0 starts at broker 2.
    expect(assignReplicas(brokers, 2, 3, 3, start)).toEqual([
      [0, 3, 4],
      [1, 4, 0],
    ]);
  });

  it('refuses with Kafka’s messages', () => {
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof ApiError ? `${err.errorName}: ${err.message}` : String(err);
      }
      return 'no error';
    };
    expect(refusal(() => assignReplicas(noRacks(1, 2, 3), 1, 4))).toBe(
      'INVALID_REPLICATION_FACTOR: Replication factor: 4 larger than available brokers: 3.',
    );
    expect(refusal(() => assignReplicas(noRacks(1), 1, 0))).toBe('INVALID_REPLICATION_FACTOR: Replication factor must be larger than 0.');
    expect(refusal(() => assignReplicas(noRacks(1), 0, 1))).toBe('INVALID_PARTITIONS: Number of partitions must be larger than 0.');
    expect(
      refusal(() =>
        assignReplicas(
          [
            { id: 1, rack: 'a' },
            { id: 2, rack: null },
          ],
          1,
          1,
        ),
      ),
    ).toBe('UNKNOWN_SERVER_ERROR: Not all brokers have rack information for replica rack aware assignment.');
  });
});
