import { describe, expect, it } from 'vitest';
import type { SyncRequest } from '../../../../src/broker/group/group-membership.js';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import { harness, joinNew, joinRequest, settle, subscription, track, type Harness } from './harness.js';

function syncRequest(memberId: string, generationId: number, assignments: SyncRequest['assignments'] = []): SyncRequest {
  return { groupId: 'g', generationId, memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments };
}

/** Three members join, the leader assigns, everyone is synced: the group is Stable in generation 1. */
async function stableGroupOfThree(h: Harness): Promise<string[]> {
  const members = [await joinNew(h), await joinNew(h), await joinNew(h)];
  h.scheduler.advance(0);
  await settle();
  const results = members.map((m) => m.join.value!);
  expect(results.every((r) => r.errorCode === ErrorCode.NONE && r.generationId === 1)).toBe(true);
  const leader = results.find((r) => r.members.length > 0)!;
  expect(leader.members.map((m) => m.memberId).sort()).toEqual(members.map((m) => m.memberId).sort());
  const syncs = members.map((m) =>
    track(
      h.coordinator.membership.sync(
        syncRequest(
          m.memberId,
          1,
          m.memberId === leader.leaderId ? members.map((x, i) => ({ memberId: x.memberId, assignment: Buffer.from([i]) })) : [],
        ),
      ),
    ),
  );
  await settle();
  for (let i = 0; i < members.length; i++)
    expect(syncs[i]!.value).toMatchObject({ errorCode: ErrorCode.NONE, assignment: Buffer.from([i]) });
  return members.map((m) => m.memberId);
}

describe('group membership', () => {
  it('requires a member id first (KIP-394), then forms a generation with one leader', async () => {
    const h = harness();
    const first = await h.coordinator.membership.join(joinRequest({ clientId: 'app' }));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^app-[0-9a-f-]{36}$/);
    await stableGroupOfThree(h);
    expect(h.coordinator.admin.describe('g').groupState).toBe('Stable');
    // The sync persisted the group with every member's assignment.
    expect(h.log.records.length).toBe(1);
  });

  it('joins a dynamic member directly for JoinGroup below v4', async () => {
    const h = harness();
    const join = track(h.coordinator.membership.join(joinRequest({ requireKnownMemberId: false })));
    await settle();
    h.scheduler.advance(0);
    await settle();
    expect(join.value).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 });
    expect(join.value!.leaderId).toBe(join.value!.memberId);
  });

  it('waits group.initial.rebalance.delay.ms and extends it while members keep arriving', async () => {
    const h = harness({ initialRebalanceDelayMs: 3000 });
    const a = await joinNew(h);
    h.scheduler.advance(2000);
    const b = await joinNew(h);
    h.scheduler.advance(1500);
    await settle();
    expect(a.join.value).toBeUndefined();
    h.scheduler.advance(3000);
    await settle();
    expect(a.join.value?.generationId).toBe(1);
    expect(b.join.value?.generationId).toBe(1);
  });

  it('rebalances when a member leaves and when one stops heartbeating', async () => {
    const h = harness();
    const [m1, m2, m3] = await stableGroupOfThree(h);
    expect(h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: m1!, groupInstanceId: null })).toBe(
      ErrorCode.NONE,
    );

    const left = h.coordinator.membership.leave('g', [{ memberId: m3!, groupInstanceId: null }]);
    expect(left.members[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: m1!, groupInstanceId: null })).toBe(
      ErrorCode.REBALANCE_IN_PROGRESS,
    );
    expect(h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: m3!, groupInstanceId: null })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    // m1 rejoins; m2 goes silent: once its session times out the generation forms without it.
    const rejoin = track(h.coordinator.membership.join(joinRequest({ memberId: m1! })));
    await settle();
    h.scheduler.advance(9_999);
    await settle();
    expect(rejoin.value).toBeUndefined();
    h.scheduler.advance(1);
    await settle();
    expect(rejoin.value).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leaderId: m1 });
    expect(rejoin.value!.members.map((m) => m.memberId)).toEqual([m1]);
    expect(h.coordinator.admin.describe('g').members.map((m) => m.memberId)).toEqual([m1]);
    expect(m2).toBeDefined();

    // m1 syncs, then misses its session timeout: the group ends up Empty in generation 3.
    await h.coordinator.membership.sync(syncRequest(m1!, 2, [{ memberId: m1!, assignment: Buffer.from('a') }]));
    h.scheduler.advance(10_000);
    await settle();
    expect(h.coordinator.admin.describe('g')).toMatchObject({ groupState: 'Empty', members: [] });
    expect(h.coordinator.admin.list([], []).map((g) => g.groupState)).toEqual(['Empty']);
  });

  it('drops members that heartbeat but do not rejoin within the rebalance timeout', async () => {
    const h = harness();
    const [m1, m2, m3] = await stableGroupOfThree(h);
    const joins = [m1!, m2!].map((id) => track(h.coordinator.membership.join(joinRequest({ memberId: id }))));
    await settle();
    for (let t = 0; t < 30_000; t += 5_000) {
      expect(h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: m3!, groupInstanceId: null })).toBe(
        ErrorCode.REBALANCE_IN_PROGRESS,
      );
      h.scheduler.advance(5_000);
    }
    await settle();
    expect(joins.map((j) => j.value?.generationId)).toEqual([2, 2]);
    expect(h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: m3!, groupInstanceId: null })).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  it('keeps a member alive while it heartbeats and answers stale generations with ILLEGAL_GENERATION', async () => {
    const h = harness();
    const [m1] = await stableGroupOfThree(h);
    for (let i = 0; i < 5; i++) {
      h.scheduler.advance(6000);
      for (const id of h.coordinator.admin.describe('g').members.map((m) => m.memberId)) {
        h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: id, groupInstanceId: null });
      }
    }
    expect(h.coordinator.admin.describe('g')).toMatchObject({ groupState: 'Stable' });
    expect(h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 0, memberId: m1!, groupInstanceId: null })).toBe(
      ErrorCode.ILLEGAL_GENERATION,
    );
  });

  it('answers followers that sync before the leader once the assignment arrives', async () => {
    const h = harness();
    const a = await joinNew(h);
    const b = await joinNew(h);
    h.scheduler.advance(0);
    await settle();
    const leaderId = a.join.value!.leaderId;
    const follower = leaderId === a.memberId ? b.memberId : a.memberId;
    const followerSync = track(h.coordinator.membership.sync(syncRequest(follower, 1)));
    await settle();
    expect(followerSync.value).toBeUndefined();
    expect(h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: follower, groupInstanceId: null })).toBe(
      ErrorCode.NONE,
    );
    await h.coordinator.membership.sync(syncRequest(leaderId, 1, [{ memberId: follower, assignment: Buffer.from('f') }]));
    await settle();
    expect(followerSync.value).toMatchObject({ errorCode: ErrorCode.NONE, assignment: Buffer.from('f') });
  });

  it('removes members that never send SyncGroup and rebalances the rest', async () => {
    const h = harness();
    const a = await joinNew(h);
    const b = await joinNew(h);
    h.scheduler.advance(0);
    await settle();
    const leaderId = a.join.value!.leaderId;
    const leaderSync = track(h.coordinator.membership.sync(syncRequest(leaderId, 1, [])));
    await settle();
    expect(leaderSync.value?.errorCode).toBe(ErrorCode.NONE);
    for (let t = 0; t < 30_000; t += 5_000) {
      for (const m of [a, b])
        h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: m.memberId, groupInstanceId: null });
      h.scheduler.advance(5_000);
    }
    expect(h.coordinator.admin.describe('g').members.map((m) => m.memberId)).toEqual([leaderId]);
    expect(h.coordinator.admin.describe('g').groupState).toBe('PreparingRebalance');
    expect([a.memberId, b.memberId]).toContain(leaderId);
  });

  it('tells waiting syncs REBALANCE_IN_PROGRESS when a member joins during CompletingRebalance', async () => {
    const h = harness();
    const a = await joinNew(h);
    h.scheduler.advance(0);
    await settle();
    // A single-member group: a is the leader. Another member arrives before a syncs.
    const b = await joinNew(h);
    expect(h.coordinator.admin.describe('g').groupState).toBe('PreparingRebalance');
    const lateSync = await h.coordinator.membership.sync(syncRequest(a.memberId, 1, []));
    expect(lateSync.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const rejoin = track(h.coordinator.membership.join(joinRequest({ memberId: a.memberId })));
    await settle();
    expect(rejoin.value?.generationId).toBe(2);
    expect(b.join.value?.generationId).toBe(2);
  });

  it('validates session timeouts, group ids, protocols and group size', async () => {
    const h = harness({ maxGroupSize: 1 });
    expect((await h.coordinator.membership.join(joinRequest({ sessionTimeoutMs: 999 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await h.coordinator.membership.join(joinRequest({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await h.coordinator.membership.join(joinRequest({ protocols: [] }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await h.coordinator.membership.join(joinRequest({ memberId: 'ghost' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(h.coordinator.admin.list([], [])).toEqual([]);
    await joinNew(h);
    expect((await h.coordinator.membership.join(joinRequest())).errorCode).toBe(ErrorCode.GROUP_MAX_SIZE_REACHED);
    expect(
      (
        await h.coordinator.membership.join(
          joinRequest({ protocolType: 'connect', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] }),
        )
      ).errorCode,
    ).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('selects the protocol every member supports, by preference votes', async () => {
    const h = harness();
    const p = (...names: string[]) => names.map((name) => ({ name, metadata: Buffer.from(name) }));
    const a = await joinNew(h, { protocols: p('cooperative-sticky', 'range') });
    const b = await joinNew(h, { protocols: p('range', 'cooperative-sticky') });
    const c = await joinNew(h, { protocols: p('roundrobin', 'range') });
    h.scheduler.advance(0);
    await settle();
    for (const m of [a, b, c]) expect(m.join.value).toMatchObject({ protocolName: 'range', protocolType: 'consumer' });
    const leader = [a, b, c].map((m) => m.join.value!).find((r) => r.members.length)!;
    expect(leader.members.map((m) => m.metadata.toString())).toEqual(['range', 'range', 'range']);
    expect((await h.coordinator.membership.join(joinRequest({ protocols: p('roundrobin') }))).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
  });

  it('lets a static member rejoin a Stable group without a rebalance and fences its old id (KIP-345)', async () => {
    const h = harness();
    const joins = ['i1', 'i2'].map((id) => track(h.coordinator.membership.join(joinRequest({ groupInstanceId: id }))));
    await settle();
    h.scheduler.advance(0);
    await settle();
    const [r1, r2] = joins.map((j) => j.value!);
    expect(r1!.memberId).toMatch(/^i1-/);
    const leaderId = r1!.leaderId;
    await h.coordinator.membership.sync({
      ...syncRequest(leaderId, 1, [
        { memberId: r1!.memberId, assignment: Buffer.from('one') },
        { memberId: r2!.memberId, assignment: Buffer.from('two') },
      ]),
    });
    const follower = leaderId === r1!.memberId ? { id: 'i2', old: r2! } : { id: 'i1', old: r1! };
    await settle();

    const again = await h.coordinator.membership.join(joinRequest({ groupInstanceId: follower.id }));
    expect(again).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, members: [], skipAssignment: false });
    expect(again.memberId).not.toBe(follower.old.memberId);
    expect(h.coordinator.admin.describe('g').groupState).toBe('Stable');
    const sync = await h.coordinator.membership.sync({ ...syncRequest(again.memberId, 1), groupInstanceId: follower.id });
    expect(sync.assignment.toString()).toBe(follower.id === 'i1' ? 'one' : 'two');
    expect(
      h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: follower.old.memberId, groupInstanceId: follower.id }),
    ).toBe(ErrorCode.FENCED_INSTANCE_ID);

    // The static leader rejoining is told to skip the assignment (JoinGroup v9+).
    const leaderInstance = follower.id === 'i1' ? 'i2' : 'i1';
    const leaderAgain = await h.coordinator.membership.join(joinRequest({ groupInstanceId: leaderInstance }));
    expect(leaderAgain).toMatchObject({ errorCode: ErrorCode.NONE, skipAssignment: true, leaderId: leaderAgain.memberId });
    expect(leaderAgain.members).toHaveLength(2);

    // Leaving by instance id with a stale member id is fenced; with the right one it triggers a rebalance.
    expect(
      h.coordinator.membership.leave('g', [{ memberId: follower.old.memberId, groupInstanceId: follower.id }]).members[0]!.errorCode,
    ).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(h.coordinator.membership.leave('g', [{ memberId: '', groupInstanceId: follower.id }]).members[0]!.errorCode).toBe(
      ErrorCode.NONE,
    );
    expect(h.coordinator.admin.describe('g').groupState).toBe('PreparingRebalance');
  });

  it('expires a pending member that never comes back with its id', async () => {
    const h = harness();
    const a = await joinNew(h);
    h.scheduler.advance(0);
    await settle();
    await h.coordinator.membership.sync(syncRequest(a.memberId, 1, []));
    const pending = await h.coordinator.membership.join(joinRequest());
    expect(pending.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(h.coordinator.admin.describe('g').groupState).toBe('Stable');
    h.scheduler.advance(9_000);
    h.coordinator.membership.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null });
    h.scheduler.advance(1_000);
    expect(h.coordinator.admin.describe('g').groupState).toBe('Stable');
    expect((await h.coordinator.membership.join(joinRequest({ memberId: pending.memberId }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('answers waiting requests with NOT_COORDINATOR on close and leaves no timers behind', async () => {
    const h = harness({ initialRebalanceDelayMs: 3000 });
    const a = await joinNew(h);
    h.coordinator.close();
    await settle();
    expect(a.join.value?.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(h.scheduler.pending).toBe(0);
  });

  it('fails a join with COORDINATOR_NOT_AVAILABLE while the offsets topic cannot be created', async () => {
    const h = harness();
    h.log.failing = true;
    expect((await h.coordinator.membership.join(joinRequest())).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(subscription('x').readInt16BE(0)).toBe(1);
  });
});
