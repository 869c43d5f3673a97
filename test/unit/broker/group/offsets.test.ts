import { describe, expect, it } from 'vitest';
import type { CommitRequest } from '../../../../src/broker/group/group-offsets-service.js';
import { decodeCoordinatorRecord } from '../../../../src/broker/group/coordinator-records.js';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import { ManualScheduler } from './manual-scheduler.js';
import { MemoryGroupLog } from './memory-group-log.js';
import { harness, joinNew, settle, subscription, type Harness } from './harness.js';

function commit(overrides: Partial<CommitRequest> & { offsets?: [string, number, bigint][] } = {}): CommitRequest {
  const { offsets = [['t', 0, 10n]], ...rest } = overrides;
  const topics = new Map<string, CommitRequest['topics'][number]['partitions']>();
  for (const [topic, partition, offset] of offsets) {
    const list = topics.get(topic) ?? [];
    list.push({
      partitionIndex: partition,
      committedOffset: offset,
      committedLeaderEpoch: 0,
      committedMetadata: 'meta',
      commitTimestamp: -1,
    });
    topics.set(topic, list);
  }
  return {
    groupId: 'g',
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [...topics].map(([name, partitions]) => ({ name, partitions })),
    ...rest,
  };
}

async function errors(h: Harness, req: CommitRequest): Promise<number[]> {
  return (await h.coordinator.offsets.commit(req)).flatMap((t) => t.partitions.map((p) => p.errorCode));
}

function fetchOne(h: Harness, groupId = 'g', topic = 't', partition = 0): bigint {
  return h.coordinator.offsets.fetch(groupId, [{ name: topic, partitionIndexes: [partition] }]).topics[0]!.partitions[0]!.committedOffset;
}

/** A one-member consumer group subscribed to `topics`, Stable in generation 1. */
async function consumerGroup(h: Harness, ...topics: string[]): Promise<string> {
  const m = await joinNew(h, { protocols: [{ name: 'range', metadata: subscription(...topics) }] });
  h.scheduler.advance(0);
  await settle();
  await h.coordinator.membership.sync({
    groupId: 'g',
    generationId: 1,
    memberId: m.memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: [],
  });
  return m.memberId;
}

describe('committed offsets', () => {
  it('commits outside group management and fetches them back, unknown partitions as -1', async () => {
    const h = harness();
    expect(
      await errors(
        h,
        commit({
          offsets: [
            ['t', 0, 10n],
            ['t', 1, 20n],
            ['u', 0, 5n],
          ],
        }),
      ),
    ).toEqual([0, 0, 0]);
    const all = h.coordinator.offsets.fetch('g', null);
    expect(all.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata])])).toEqual([
      [
        't',
        [
          [0, 10n, 'meta'],
          [1, 20n, 'meta'],
        ],
      ],
      ['u', [[0, 5n, 'meta']]],
    ]);
    const some = h.coordinator.offsets.fetch('g', [{ name: 't', partitionIndexes: [1, 5] }]);
    expect(some.topics[0]!.partitions).toEqual([
      { partitionIndex: 1, committedOffset: 20n, committedLeaderEpoch: 0, metadata: 'meta', errorCode: 0 },
      { partitionIndex: 5, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
    ]);
    expect(fetchOne(h, 'nobody')).toBe(-1n);
    expect(h.coordinator.admin.list([], [])).toEqual([{ groupId: 'g', protocolType: '', groupState: 'Empty', groupType: 'classic' }]);
  });

  it('refuses unknown partitions, oversized metadata, strangers and stale generations', async () => {
    const h = harness();
    const big = commit();
    big.topics[0]!.partitions[0]!.committedMetadata = 'x'.repeat(101);
    expect(await errors(h, big)).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE]);
    expect(
      await errors(
        h,
        commit({
          offsets: [
            ['missing', 0, 1n],
            ['t', 9, 1n],
            ['t', 1, 1n],
          ],
        }),
      ),
    ).toEqual([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.NONE]);
    expect(await errors(h, commit({ groupId: 'other', generationId: 3, memberId: 'm' }))).toEqual([ErrorCode.ILLEGAL_GENERATION]);

    const member = await consumerGroup(h, 't');
    expect(await errors(h, commit({ generationId: 1, memberId: 'stranger' }))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(await errors(h, commit({ generationId: 0, memberId: member }))).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(await errors(h, commit())).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(await errors(h, commit({ generationId: 1, memberId: member, offsets: [['t', 0, 77n]] }))).toEqual([ErrorCode.NONE]);
    expect(fetchOne(h)).toBe(77n);
  });

  it('accepts commits of the current generation during a rebalance, so revoking members lose nothing', async () => {
    const h = harness();
    const member = await consumerGroup(h, 't');
    await joinNew(h);
    expect(h.coordinator.admin.describe('g').groupState).toBe('PreparingRebalance');
    expect(await errors(h, commit({ generationId: 1, memberId: member, offsets: [['t', 0, 42n]] }))).toEqual([ErrorCode.NONE]);
    expect(fetchOne(h)).toBe(42n);
  });

  it('answers COORDINATOR_NOT_AVAILABLE and keeps nothing when the log cannot be written', async () => {
    const h = harness();
    h.log.failing = true;
    expect(await errors(h, commit())).toEqual([ErrorCode.COORDINATOR_NOT_AVAILABLE]);
    h.log.failing = false;
    expect(fetchOne(h)).toBe(-1n);
  });

  it('reloads offsets and groups from the log, latest value per key, tombstones removing', async () => {
    const log = new MemoryGroupLog(3);
    const h = harness({}, log);
    await h.coordinator.offsets.commit(commit({ offsets: [['t', 0, 1n]] }));
    await h.coordinator.offsets.commit(
      commit({
        offsets: [
          ['t', 0, 2n],
          ['t', 1, 3n],
        ],
      }),
    );
    await h.coordinator.offsets.commit(commit({ groupId: 'gone', offsets: [['t', 0, 9n]] }));
    expect(h.coordinator.admin.delete('gone')).toBe(ErrorCode.NONE);
    const member = await consumerGroup(h, 't');
    h.coordinator.close();

    const scheduler = new ManualScheduler();
    const again = harness({}, log, scheduler);
    expect(fetchOne(again, 'g', 't', 0)).toBe(2n);
    expect(fetchOne(again, 'g', 't', 1)).toBe(3n);
    expect(fetchOne(again, 'gone')).toBe(-1n);
    expect(again.coordinator.admin.list([], []).map((g) => g.groupId)).toEqual(['g']);
    const described = again.coordinator.admin.describe('g');
    expect(described).toMatchObject({ groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(described.members.map((m) => m.memberId)).toEqual([member]);
    // The reloaded member keeps its generation while it heartbeats; silent, it expires.
    expect(again.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: member, groupInstanceId: null })).toBe(
      ErrorCode.NONE,
    );
    scheduler.advance(10_000);
    expect(again.coordinator.admin.describe('g').groupState).not.toBe('Stable');
    expect(again.warnings).toEqual([]);
  });

  it('skips unreadable records when loading, with a warning', async () => {
    const log = new MemoryGroupLog(1);
    log.partitions[0]!.push({ key: Buffer.from([0, 1, 0]), value: null });
    const h = harness({}, log);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toMatch(/^__consumer_offsets-0: skipping an unreadable record/);
  });

  it('writes group records to the partition chosen by the group id hash', async () => {
    const log = new MemoryGroupLog(5);
    const h = harness({}, log);
    await h.coordinator.offsets.commit(commit({ groupId: 'my-group' }));
    expect(h.coordinator.partitionFor('my-group')).toBe(1906497762 % 5);
    expect(log.partitions[1906497762 % 5]).toHaveLength(1);
  });

  it('expires offsets of an Empty group after the retention and then removes the group', async () => {
    const h = harness({ retentionMs: 100_000, retentionCheckIntervalMs: 10_000 });
    await h.coordinator.offsets.commit(commit());
    h.scheduler.advance(90_000);
    await h.coordinator.offsets.commit(commit({ offsets: [['t', 1, 5n]] }));
    h.scheduler.advance(10_000);
    expect(fetchOne(h)).toBe(-1n);
    expect(fetchOne(h, 'g', 't', 1)).toBe(5n);
    h.scheduler.advance(90_000);
    expect(h.coordinator.admin.list([], [])).toEqual([]);
    const last = h.log.records.slice(-2).map(decodeCoordinatorRecord);
    expect(last).toEqual([
      { type: 'offset', group: 'g', topic: 't', partition: 1, value: null },
      { type: 'group', group: 'g', value: null },
    ]);
  });

  it('honours an explicit retention time (OffsetCommit v2-4) and keeps subscribed topics of active groups', async () => {
    const h = harness({ retentionMs: 100_000, retentionCheckIntervalMs: 10_000 });
    const member = await consumerGroup(h, 't');
    await h.coordinator.offsets.commit(
      commit({
        generationId: 1,
        memberId: member,
        offsets: [
          ['t', 0, 1n],
          ['u', 0, 1n],
        ],
      }),
    );
    await h.coordinator.offsets.commit(commit({ groupId: 'short', retentionTimeMs: 20_000 }));
    for (let t = 0; t < 120_000; t += 5_000) {
      h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: member, groupInstanceId: null });
      h.scheduler.advance(5_000);
    }
    expect(fetchOne(h, 'g', 't', 0)).toBe(1n);
    expect(fetchOne(h, 'g', 'u', 0)).toBe(-1n);
    expect(fetchOne(h, 'short')).toBe(-1n);
  });

  it('deletes offsets of topics the group does not consume (OffsetDelete)', async () => {
    const h = harness();
    const member = await consumerGroup(h, 't');
    await h.coordinator.offsets.commit(
      commit({
        generationId: 1,
        memberId: member,
        offsets: [
          ['t', 0, 1n],
          ['u', 0, 1n],
        ],
      }),
    );
    const result = h.coordinator.offsets.deleteOffsets('g', [
      { name: 't', partitions: [{ partitionIndex: 0 }] },
      { name: 'u', partitions: [{ partitionIndex: 0 }] },
    ]);
    expect(result).toEqual({
      errorCode: 0,
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC }] },
        { name: 'u', partitions: [{ partitionIndex: 0, errorCode: 0 }] },
      ],
    });
    expect(fetchOne(h, 'g', 'u', 0)).toBe(-1n);
    expect(fetchOne(h, 'g', 't', 0)).toBe(1n);
    expect(h.coordinator.offsets.deleteOffsets('nope', []).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });
});

/** The offsets topic as a broker whose metadata does not show it sees it; `createdHere` once ensureExists made this broker its leader. */
class UnknownTopicLog extends MemoryGroupLog {
  createdHere = false;

  constructor(private readonly ledHere: boolean) {
    super();
  }

  override exists(): boolean {
    return this.createdHere;
  }

  override async ensureExists(): Promise<void> {
    await super.ensureExists();
    this.createdHere = this.ledHere;
  }

  override logEndOffset(partition: number): bigint {
    return this.createdHere ? super.logEndOffset(partition) : -1n;
  }
}

describe('a broker that does not know the offsets topic', () => {
  const fetchThrough = (h: Harness) =>
    h.coordinator.coordinate(
      ['g'],
      () => h.coordinator.offsets.fetch('g', [{ name: 't', partitionIndexes: [0] }]),
      (errorCode) => ({ errorCode, topics: [] }),
    );

  it('answers NOT_COORDINATOR when the topic exists elsewhere (a cluster member restarted, its metadata not in yet), never its empty store', async () => {
    const h = harness({}, new UnknownTopicLog(false));
    expect(await fetchThrough(h)).toEqual({ errorCode: ErrorCode.NOT_COORDINATOR, topics: [] });
    h.log.failing = true;
    expect(await fetchThrough(h)).toEqual({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, topics: [] });
  });

  it('creates it first and serves the request when it leads it then (a single broker)', async () => {
    const h = harness({}, new UnknownTopicLog(true));
    const answer = await fetchThrough(h);
    expect(answer.errorCode).toBe(ErrorCode.NONE);
    expect(answer.topics[0]!.partitions[0]).toMatchObject({ committedOffset: -1n, errorCode: ErrorCode.NONE });
  });
});

describe('group administration', () => {
  it('lists with state and type filters, describes, and deletes only Empty groups', async () => {
    const h = harness();
    await consumerGroup(h, 't');
    await h.coordinator.offsets.commit(commit({ groupId: 'simple' }));
    const ids = (states: string[], types: string[] = []) =>
      h.coordinator.admin
        .list(states, types)
        .map((g) => g.groupId)
        .sort();
    expect(ids([])).toEqual(['g', 'simple']);
    expect(ids(['stable'])).toEqual(['g']);
    expect(ids(['Empty', 'PreparingRebalance'])).toEqual(['simple']);
    expect(ids([], ['consumer'])).toEqual([]);
    expect(ids([], ['Classic'])).toEqual(['g', 'simple']);
    expect(h.coordinator.admin.describe('nope')).toMatchObject({ errorCode: 0, groupState: 'Dead', members: [] });
    const g = h.coordinator.admin.describe('g');
    expect(g.members[0]).toMatchObject({ clientId: 'client', clientHost: '/127.0.0.1', memberMetadata: subscription('t') });

    expect(h.coordinator.admin.delete('g')).toBe(ErrorCode.NON_EMPTY_GROUP);
    expect(h.coordinator.admin.delete('nope')).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    expect(h.coordinator.admin.delete('')).toBe(ErrorCode.INVALID_GROUP_ID);
    expect(h.coordinator.admin.delete('simple')).toBe(ErrorCode.NONE);
    expect(fetchOne(h, 'simple')).toBe(-1n);
    expect(ids([])).toEqual(['g']);
  });
});
