import { describe, expect, it } from 'vitest';
import type { MemberSubscription } from '../../../../../src/client/consumer/group/assignor.js';
import { rangeAssignor } from '../../../../../src/client/consumer/group/range-assignor.js';
import { roundRobinAssignor } from '../../../../../src/client/consumer/group/round-robin-assignor.js';

const member = (memberId: string, topics: string[], groupInstanceId: string | null = null): MemberSubscription => ({
  memberId,
  groupInstanceId,
  topics,
});
const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));

/** Each member's partitions as `topic-partition` strings, sorted, for comparing with Java's test expectations. */
function named(assignment: Map<string, Array<{ topic: string; partition: number }>>): Record<string, string[]> {
  return Object.fromEntries([...assignment].map(([id, ps]) => [id, ps.map((p) => `${p.topic}-${p.partition}`).sort()]));
}

// Expected results are those of Kafka's RangeAssignorTest and RoundRobinAssignorTest (3.9) for the same inputs.
describe('range assignor (Java RangeAssignor)', () => {
  it('gives one member every partition; a member of a topic without partitions gets none', () => {
    expect(named(rangeAssignor.assign([member('c', ['t'])], counts({ t: 3 })))).toEqual({ c: ['t-0', 't-1', 't-2'] });
    expect(named(rangeAssignor.assign([member('c', ['t'])], counts({})))).toEqual({ c: [] });
  });

  it('gives the first members of a topic one more partition when they do not divide evenly', () => {
    expect(named(rangeAssignor.assign([member('consumer1', ['t']), member('consumer2', ['t'])], counts({ t: 3 })))).toEqual({
      consumer1: ['t-0', 't-1'],
      consumer2: ['t-2'],
    });
  });

  it('ranges each topic on its own (testTwoConsumersTwoTopicsSixPartitions)', () => {
    const members = [member('consumer1', ['t1', 't2']), member('consumer2', ['t1', 't2'])];
    expect(named(rangeAssignor.assign(members, counts({ t1: 3, t2: 3 })))).toEqual({
      consumer1: ['t1-0', 't1-1', 't2-0', 't2-1'],
      consumer2: ['t1-2', 't2-2'],
    });
  });

  it('assigns mixed subscriptions per topic (testMultipleConsumersMixedTopics)', () => {
    const members = [member('consumer1', ['topic1']), member('consumer2', ['topic1', 'topic2']), member('consumer3', ['topic1'])];
    expect(named(rangeAssignor.assign(members, counts({ topic1: 3, topic2: 2 })))).toEqual({
      consumer1: ['topic1-0'],
      consumer2: ['topic1-1', 'topic2-0', 'topic2-1'],
      consumer3: ['topic1-2'],
    });
  });

  it('orders static members by group.instance.id before dynamic ones by member id', () => {
    // Member ids sort the other way round: the instance ids decide.
    const members = [member('a-member', ['t'], 'instance-2'), member('b-member', ['t'], 'instance-1'), member('0-dynamic', ['t'])];
    expect(named(rangeAssignor.assign(members, counts({ t: 5 })))).toEqual({
      'b-member': ['t-0', 't-1'],
      'a-member': ['t-2', 't-3'],
      '0-dynamic': ['t-4'],
    });
  });
});

describe('round-robin assignor (Java RoundRobinAssignor)', () => {
  it('deals partitions of all topics, in topic order, to members in turn (testTwoConsumersTwoTopicsSixPartitions)', () => {
    const members = [member('consumer1', ['t1', 't2']), member('consumer2', ['t1', 't2'])];
    expect(named(roundRobinAssignor.assign(members, counts({ t2: 3, t1: 3 })))).toEqual({
      consumer1: ['t1-0', 't1-2', 't2-1'],
      consumer2: ['t1-1', 't2-0', 't2-2'],
    });
  });

  it("skips members not subscribed to a partition's topic (testMultipleConsumersMixedTopics)", () => {
    const members = [member('consumer1', ['topic1']), member('consumer2', ['topic1', 'topic2']), member('consumer3', ['topic1'])];
    expect(named(roundRobinAssignor.assign(members, counts({ topic1: 3, topic2: 2 })))).toEqual({
      consumer1: ['topic1-0'],
      consumer2: ['topic1-1', 'topic2-0', 'topic2-1'],
      consumer3: ['topic1-2'],
    });
  });

  it('orders static members by group.instance.id, before dynamic ones (testStaticMemberAssignmentPersistent)', () => {
    const both = ['topic1', 'topic2'];
    const members = [
      member('consumer4', both),
      member('consumer3', both, 'instance3'),
      member('consumer1', both, 'instance1'),
      member('consumer2', both, 'instance2'),
    ];
    expect(named(roundRobinAssignor.assign(members, counts({ topic1: 3, topic2: 3 })))).toEqual({
      consumer1: ['topic1-0', 'topic2-1'],
      consumer2: ['topic1-1', 'topic2-2'],
      consumer3: ['topic1-2'],
      consumer4: ['topic2-0'],
    });
  });

  it('leaves out topics no member subscribes to', () => {
    expect(named(roundRobinAssignor.assign([member('c', ['t'])], counts({ t: 2, other: 2 })))).toEqual({ c: ['t-0', 't-1'] });
  });
});
