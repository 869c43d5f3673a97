import { describe, expect, it } from 'vitest';
import { FetchSessionCache, type FetchPartitionResult } from '../../../src/broker/fetch/fetch-session.js';
import { FetchSessionHandler, type SessionFetch, type SessionPartition } from '../../../src/client/fetch-session-handler.js';
import { ErrorCode } from '../../../src/protocol/errors.js';

// The client side of KIP-227 sessions against the broker's own session cache (what a leader runs).

const key = (topic: string, partition: number) => `${topic}-${partition}`;
const ID_A = 'AAAAAAAAAAAAAAAAAAAAAQ';
const ID_B = 'AAAAAAAAAAAAAAAAAAAAAg';

function part(topic: string, partition: number, fetchOffset: bigint, topicId = topic === 'a' ? ID_A : ID_B): SessionPartition {
  return {
    topic,
    topicId,
    partition,
    fetchOffset,
    logStartOffset: 0n,
    currentLeaderEpoch: 3,
    lastFetchedEpoch: 3,
    partitionMaxBytes: 1 << 20,
  };
}

const fetchMap = (...parts: SessionPartition[]) => new Map(parts.map((p) => [key(p.topic, p.partition), p]));

/** A leader: its session cache, and each partition's high watermark and records to answer with. */
class Leader {
  cache = new FetchSessionCache();
  highWatermarks = new Map<string, bigint>();
  records = new Map<string, Buffer>();
  /** What the last plan read: the partitions and fetch offsets the broker's session holds. */
  lastRead: string[] = [];

  fetch(request: SessionFetch): {
    errorCode: number;
    sessionId: number;
    responses: { topic: string; topicId: string; partitions: { partitionIndex: number }[] }[];
  } {
    const plan = this.cache.plan({
      sessionId: request.sessionId,
      sessionEpoch: request.sessionEpoch,
      usesTopicIds: true,
      partitions: request.toSend.map((p) => ({
        topic: p.topic,
        topicId: p.topicId,
        partition: p.partition,
        fetchOffset: p.fetchOffset,
        maxBytes: p.partitionMaxBytes,
        currentLeaderEpoch: p.currentLeaderEpoch,
        lastFetchedEpoch: p.lastFetchedEpoch,
        replicaLogStartOffset: p.logStartOffset,
      })),
      forgotten: [...request.toForget, ...request.toReplace],
    });
    if (plan.errorCode !== ErrorCode.NONE) return { errorCode: plan.errorCode, sessionId: 0, responses: [] };
    this.lastRead = plan.partitions.map((p) => `${key(p.topic, p.partition)}@${p.fetchOffset}`);
    const results: FetchPartitionResult[] = plan.partitions.map((p) => ({
      errorCode: ErrorCode.NONE,
      highWatermark: this.highWatermarks.get(key(p.topic, p.partition)) ?? 0n,
      lastStableOffset: 0n,
      logStartOffset: 0n,
      records: this.records.get(key(p.topic, p.partition)) ?? Buffer.alloc(0),
    }));
    const { sessionId, include } = plan.finish(results);
    const responses = plan.partitions
      .filter((_, i) => include[i])
      .map((p) => ({ topic: p.topic, topicId: p.topicId, partitions: [{ partitionIndex: p.partition }] }));
    return { errorCode: ErrorCode.NONE, sessionId, responses };
  }
}

const answered = (response: ReturnType<Leader['fetch']>) => response.responses.map((t) => `${t.topic}-${t.partitions[0]!.partitionIndex}`);

describe('FetchSessionHandler', () => {
  it('opens a session with a full fetch, then sends and receives only what changed', () => {
    const leader = new Leader();
    const handler = new FetchSessionHandler(key);
    const first = handler.build(fetchMap(part('a', 0, 5n), part('a', 1, 7n), part('b', 0, 0n)));
    expect([first.sessionId, first.sessionEpoch, first.toSend.length]).toEqual([0, 0, 3]);
    const full = leader.fetch(first);
    expect(answered(full)).toEqual(['a-0', 'a-1', 'b-0']);
    expect(handler.handleResponse(full, true)).toBe(true);

    // Idle: nothing sent, nothing answered, yet the leader still reads every partition of the session.
    const idle = handler.build(fetchMap(part('a', 0, 5n), part('a', 1, 7n), part('b', 0, 0n)));
    expect([idle.sessionId, idle.sessionEpoch]).toEqual([full.sessionId, 1]);
    expect([idle.toSend, idle.toForget]).toEqual([[], []]);
    const quiet = leader.fetch(idle);
    expect(answered(quiet)).toEqual([]);
    expect(leader.lastRead).toEqual(['a-0@5', 'a-1@7', 'b-0@0']);
    expect(handler.handleResponse(quiet, true)).toBe(true);

    // a-1 moved on, b-0 is no longer fetched, a-2 is new; the leader's high watermark of a-0 moved.
    leader.highWatermarks.set('a-0', 9n);
    const changed = handler.build(fetchMap(part('a', 0, 5n), part('a', 1, 8n), part('a', 2, 0n)));
    expect(changed.sessionEpoch).toBe(2);
    expect(changed.toSend.map((p) => `${p.topic}-${p.partition}@${p.fetchOffset}`)).toEqual(['a-1@8', 'a-2@0']);
    expect(changed.toForget.map((p) => `${p.topic}-${p.partition}`)).toEqual(['b-0']);
    const news = leader.fetch(changed);
    expect(leader.lastRead.sort()).toEqual(['a-0@5', 'a-1@8', 'a-2@0']);
    expect(answered(news)).toEqual(['a-0', 'a-2']); // a moved high watermark; a new partition (never told)
    expect(handler.handleResponse(news, true)).toBe(true);
    expect(handler.build(fetchMap(part('a', 0, 5n), part('a', 1, 8n), part('a', 2, 0n))).sessionEpoch).toBe(3);
  });

  it('forgets a partition under its old topic id when the topic was created again', () => {
    const leader = new Leader();
    const handler = new FetchSessionHandler(key);
    expect(handler.handleResponse(leader.fetch(handler.build(fetchMap(part('a', 0, 5n)))), true)).toBe(true);
    const recreated = handler.build(fetchMap(part('a', 0, 0n, ID_B)));
    expect(recreated.toReplace.map((p) => p.topicId)).toEqual([ID_A]);
    expect(recreated.toSend.map((p) => p.topicId)).toEqual([ID_B]);
    expect(handler.handleResponse(leader.fetch(recreated), true)).toBe(true);
    expect(leader.lastRead).toEqual(['a-0@0']); // once: the old id's entry is gone from the leader's session
  });

  it('starts over with a full fetch when the leader lost the session (a restart, an eviction)', () => {
    const leader = new Leader();
    const handler = new FetchSessionHandler(key);
    const wanted = fetchMap(part('a', 0, 5n), part('a', 1, 7n));
    expect(handler.handleResponse(leader.fetch(handler.build(wanted)), true)).toBe(true);
    leader.cache = new FetchSessionCache();
    const lost = leader.fetch(handler.build(wanted));
    expect(lost.errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    expect(handler.handleResponse(lost, true)).toBe(false);
    const again = handler.build(wanted);
    expect([again.sessionId, again.sessionEpoch, again.toSend.length]).toEqual([0, 0, 2]);
    const full = leader.fetch(again);
    expect(answered(full)).toEqual(['a-0', 'a-1']);
    expect(handler.handleResponse(full, true)).toBe(true);
    expect(handler.build(wanted).toSend).toEqual([]);
  });

  it('closes the session and opens a new one after a failed request or a wrong epoch', () => {
    const leader = new Leader();
    const handler = new FetchSessionHandler(key);
    const wanted = fetchMap(part('a', 0, 5n));
    const opened = leader.fetch(handler.build(wanted));
    expect(handler.handleResponse(opened, true)).toBe(true);
    handler.build(wanted); // sent, but no answer came
    handler.handleError();
    const retry = handler.build(wanted);
    expect([retry.sessionId, retry.sessionEpoch, retry.toSend.length]).toEqual([opened.sessionId, 0, 1]);
    const reopened = leader.fetch(retry);
    expect(reopened.sessionId).not.toBe(opened.sessionId);
    expect(handler.handleResponse(reopened, true)).toBe(true);
    // The old session is gone from the leader: asking with it fails.
    expect(leader.fetch({ sessionId: opened.sessionId, sessionEpoch: 1, toSend: [], toForget: [], toReplace: [] }).errorCode).toBe(
      ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
    );

    const stale = leader.fetch({ ...handler.build(wanted), sessionEpoch: 7 });
    expect(stale.errorCode).toBe(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    expect(handler.handleResponse(stale, true)).toBe(false);
    expect(handler.build(wanted)).toMatchObject({ sessionId: reopened.sessionId, sessionEpoch: 0 });
  });

  it('refuses an answer about partitions outside the session, and stays sessionless when the broker opens none', () => {
    const handler = new FetchSessionHandler(key);
    handler.build(fetchMap(part('a', 0, 5n)));
    const stray = { errorCode: 0, sessionId: 42, responses: [{ topic: '', topicId: ID_B, partitions: [{ partitionIndex: 0 }] }] };
    expect(handler.handleResponse(stray, true)).toBe(false);
    expect(handler.build(fetchMap(part('a', 0, 5n)))).toMatchObject({ sessionId: 0, sessionEpoch: 0 });
    // By name (Fetch before v13), and a sessionless answer: every fetch stays full.
    expect(
      handler.handleResponse(
        { errorCode: 0, sessionId: 0, responses: [{ topic: 'a', topicId: '', partitions: [{ partitionIndex: 0 }] }] },
        false,
      ),
    ).toBe(true);
    expect(handler.build(fetchMap(part('a', 0, 5n)))).toMatchObject({ sessionId: 0, sessionEpoch: 0, toSend: [part('a', 0, 5n)] });
  });
});
