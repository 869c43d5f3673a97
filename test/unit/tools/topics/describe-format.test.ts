import { describe, expect, it } from 'vitest';
import { ApiKey } from '../../../../src/protocol/generated/api-info.js';
import { partitionLine, topicLine } from '../../../../src/tools/topics/describe-format.js';
import { describesWithTopicPartitions } from '../../../../src/tools/topics/describe-topic-partitions.js';
import { reportJson, reportText, selectReports } from '../../../../src/tools/topics/describe-report.js';
import { ZERO_UUID } from '../../../../src/protocol/primitives/uuid.js';
import type { PartitionInfo, TopicDescription } from '../../../../src/tools/topics/topic-description.js';

/** A partition as Metadata describes it: no ELR lists. */
const viaMetadata = (p: Omit<PartitionInfo, 'elr' | 'lastKnownElr'>): PartitionInfo => ({ ...p, elr: null, lastKnownElr: null });

const first: TopicDescription = {
  name: 'first',
  topicId: ZERO_UUID,
  partitions: [2, 0, 1].map((partition) => viaMetadata({ partition, leader: 1, replicas: [1], isr: [1] })),
  configs: [
    { name: 'retention.ms', value: '60000', isDefault: false },
    { name: 'min.insync.replicas', value: '1', isDefault: true },
  ],
};

describe('kafka-topics --describe layout', () => {
  it('prints the summary and sorted partition lines byte for byte (Metadata API: Elr N/A)', () => {
    const text = reportText(selectReports([first], { healthFilters: [], topicsWithOverrides: false, liveBrokers: new Set([1]) }));
    expect(text).toBe(
      'Topic: first\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: retention.ms=60000\n' +
        '\tTopic: first\tPartition: 0\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A\n' +
        '\tTopic: first\tPartition: 1\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A\n' +
        '\tTopic: first\tPartition: 2\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A\tLastKnownElr: N/A\n',
    );
  });

  it('ends with "Configs: " when every config is a default, and shows a topic id unless it is zero', () => {
    const plain = { ...first, configs: [], topicId: '3wXG7l0YSzOQ2cAzbn4x5g' };
    expect(topicLine(plain)).toBe('Topic: first\tTopicId: 3wXG7l0YSzOQ2cAzbn4x5g\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: ');
    expect(topicLine({ ...plain, topicId: ZERO_UUID })).toBe('Topic: first\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: ');
  });

  it('joins replica lists with commas, prints "none" without a leader, and shows reassignments', () => {
    expect(partitionLine('t', viaMetadata({ partition: 4, leader: -1, replicas: [1, 2, 3], isr: [] }))).toBe(
      '\tTopic: t\tPartition: 4\tLeader: none\tReplicas: 1,2,3\tIsr: \tElr: N/A\tLastKnownElr: N/A',
    );
    const moving = viaMetadata({
      partition: 0,
      leader: 1,
      replicas: [1, 2, 3],
      isr: [1, 2],
      reassignment: { addingReplicas: [3], removingReplicas: [2] },
    });
    expect(partitionLine('t', moving)).toBe(
      '\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2\tAdding Replicas: 3\tRemoving Replicas: 2\tElr: N/A\tLastKnownElr: N/A',
    );
    // The replication factor does not count replicas still being added.
    expect(topicLine({ name: 't', topicId: ZERO_UUID, partitions: [moving], configs: [] })).toContain('ReplicationFactor: 2\t');
  });

  it('prints the ELR lists DescribeTopicPartitions gives, comma-joined and empty when empty (N/A only from Metadata)', () => {
    const p = { partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1] };
    expect(partitionLine('t', { ...p, elr: [2, 3], lastKnownElr: [] })).toBe(
      '\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1\tElr: 2,3\tLastKnownElr: ',
    );
    expect(partitionLine('t', { ...p, elr: [], lastKnownElr: [3] })).toMatch(/\tElr: \tLastKnownElr: 3$/);
    const json = reportJson(
      selectReports([{ ...first, partitions: [{ ...p, elr: [2], lastKnownElr: [] }] }], {
        healthFilters: [],
        topicsWithOverrides: false,
        liveBrokers: new Set([1]),
      }),
    );
    expect(json[0]).toMatchObject({ partitions: [{ partition: 0, elr: [2], lastKnownElr: [] }] });
    expect(
      reportJson(selectReports([first], { healthFilters: [], topicsWithOverrides: false, liveBrokers: new Set([1]) }))[0],
    ).toMatchObject({
      partitions: [
        { elr: null, lastKnownElr: null },
        { elr: null, lastKnownElr: null },
        { elr: null, lastKnownElr: null },
      ],
    });
  });
});

describe('--describe filters', () => {
  const health: TopicDescription = {
    name: 'h',
    topicId: ZERO_UUID,
    partitions: [
      { partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3] },
      { partition: 1, leader: 1, replicas: [1, 2, 3], isr: [1, 2] },
      { partition: 2, leader: -1, replicas: [1, 2, 3], isr: [] },
      { partition: 3, leader: 9, replicas: [9, 2, 3], isr: [9] },
    ].map(viaMetadata),
    configs: [{ name: 'min.insync.replicas', value: '2', isDefault: false }],
  };
  const live = new Set([1, 2, 3]);
  const shown = (healthFilters: Parameters<typeof selectReports>[1]['healthFilters']) =>
    selectReports([health], { healthFilters, topicsWithOverrides: false, liveBrokers: live })[0]!;

  it('hides the summary and keeps only matching partitions', () => {
    expect(shown(['under-replicated']).showSummary).toBe(false);
    expect(shown(['under-replicated']).partitions.map((p) => p.partition)).toEqual([1, 2, 3]);
    expect(shown(['unavailable']).partitions.map((p) => p.partition)).toEqual([2, 3]);
    expect(shown(['under-min-isr']).partitions.map((p) => p.partition)).toEqual([2, 3]);
    expect(shown(['at-min-isr']).partitions.map((p) => p.partition)).toEqual([1]);
    expect(shown(['at-min-isr', 'unavailable']).partitions.map((p) => p.partition)).toEqual([1, 2, 3]);
  });

  it('--topics-with-overrides prints only summaries of topics with non-default configs', () => {
    const plain = { ...first, name: 'plain', configs: [{ name: 'retention.ms', value: '1', isDefault: true }] };
    const reports = selectReports([first, plain], { healthFilters: [], topicsWithOverrides: true, liveBrokers: live });
    expect(reportText(reports)).toBe('Topic: first\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: retention.ms=60000\n');
    expect(reportJson(reports)).toEqual([
      { name: 'first', topicId: ZERO_UUID, partitionCount: 3, replicationFactor: 1, configs: { 'retention.ms': '60000' }, partitions: [] },
    ]);
  });
});

describe('where --describe reads partitions', () => {
  const versions = (...keys: number[]) => new Map(keys.map((k) => [k, { min: 0, max: 12 }]));

  it('uses DescribeTopicPartitions by name when the broker lists it, Metadata otherwise and always for --topic-id', () => {
    expect(describesWithTopicPartitions(versions(ApiKey.Metadata, ApiKey.DescribeTopicPartitions), false)).toBe(true);
    expect(describesWithTopicPartitions(versions(ApiKey.Metadata, ApiKey.DescribeTopicPartitions), true)).toBe(false);
    // Older Kafka, Redpanda: no DescribeTopicPartitions, so Metadata and N/A.
    expect(describesWithTopicPartitions(versions(ApiKey.Metadata), false)).toBe(false);
    // Listed, but no version both sides speak.
    expect(describesWithTopicPartitions(new Map([[ApiKey.DescribeTopicPartitions, { min: 1, max: 3 }]]), false)).toBe(false);
  });
});
