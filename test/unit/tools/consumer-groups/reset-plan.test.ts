import { describe, expect, it } from 'vitest';
import { KtsError } from '../../../../src/util/errors.js';
import { planReset, type PartitionFacts, type PlanStrategy } from '../../../../src/tools/consumer-groups/reset-plan.js';
import { partitionKey, type TopicPartition } from '../../../../src/tools/consumer-groups/topic-partitions.js';

const t0 = { topic: 't', partition: 0 };
const t1 = { topic: 't', partition: 1 };
const a5 = { topic: 'a', partition: 5 };

/** t-0 holds offsets 10..20 with 15 committed; t-1 holds 0..4 with nothing committed; a-5 is empty at 7. */
const FACTS = new Map<string, PartitionFacts>([
  [partitionKey(t0), { committed: 15, logStart: 10, logEnd: 20, atTimestamp: 12 }],
  [partitionKey(t1), { logStart: 0, logEnd: 4 }],
  [partitionKey(a5), { committed: 7, logStart: 7, logEnd: 7 }],
]);
const factsOf = (tp: TopicPartition) => FACTS.get(partitionKey(tp)) ?? {};
const plan = (strategy: PlanStrategy, partitions: TopicPartition[] = [t1, t0, a5]) => planReset(strategy, partitions, factsOf);

describe('reset plans (ConsumerGroupService.prepareOffsetsToReset)', () => {
  it('to-earliest, to-latest and to-current, sorted by topic and partition', () => {
    expect(plan({ kind: 'to-earliest' }).offsets).toEqual([
      { ...a5, offset: 7 },
      { ...t0, offset: 10 },
      { ...t1, offset: 0 },
    ]);
    expect(plan({ kind: 'to-latest' }).offsets.map((o) => o.offset)).toEqual([7, 20, 4]);
    // No committed offset: the latest one.
    expect(plan({ kind: 'to-current' }).offsets.map((o) => o.offset)).toEqual([7, 15, 4]);
  });

  it("to-offset is clamped into the log with Kafka's warnings", () => {
    const result = plan({ kind: 'to-offset', offset: 5 });
    expect(result.offsets.map((o) => o.offset)).toEqual([7, 10, 4]);
    expect(result.warnings).toEqual([
      'WARN: New offset (5) is lower than earliest offset for topic partition a-5. Value will be set to 7',
      'WARN: New offset (5) is lower than earliest offset for topic partition t-0. Value will be set to 10',
      'WARN: New offset (5) is higher than latest offset for topic partition t-1. Value will be set to 4',
    ]);
  });

  it('shift-by moves the committed offset and needs one', () => {
    expect(plan({ kind: 'shift-by', shift: -2 }, [t0]).offsets).toEqual([{ ...t0, offset: 13 }]);
    expect(plan({ kind: 'shift-by', shift: 100 }, [t0]).offsets[0]!.offset).toBe(20);
    expect(() => plan({ kind: 'shift-by', shift: 1 }, [t1])).toThrow(
      new KtsError('Error: Cannot shift offset for partition t-1 since there is no current committed offset'),
    );
  });

  it('timestamp: the offset found, or the latest with a warning when no record is that late', () => {
    const result = plan({ kind: 'timestamp' }, [t0, t1]);
    expect(result.offsets.map((o) => o.offset)).toEqual([12, 4]);
    expect(result.warnings).toEqual(['Warn: Partition 1 from topic t is empty. Falling back to latest known offset.']);
  });

  it('requested offsets (from a file) are clamped too', () => {
    const offsets = new Map([
      [partitionKey(t0), 30],
      [partitionKey(t1), 2],
    ]);
    expect(plan({ kind: 'requested', offsets }, [t0, t1]).offsets.map((o) => o.offset)).toEqual([20, 2]);
  });

  it('partitions the cluster knows nothing about are errors', () => {
    const ghost = { topic: 'ghost', partition: 9 };
    expect(() => plan({ kind: 'to-earliest' }, [ghost])).toThrow('Error: Error getting starting offset of topic partition: ghost-9');
    expect(() => plan({ kind: 'to-offset', offset: 1 }, [ghost])).toThrow('Error: Error getting ending offset of topic partition: ghost-9');
    expect(() => plan({ kind: 'timestamp' }, [ghost])).toThrow('Error: Error getting offset by timestamp of topic partition: ghost-9');
  });
});
