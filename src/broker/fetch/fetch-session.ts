import { randomInt } from 'node:crypto';
import { ErrorCode } from '../../protocol/errors.js';

/** Kafka's max.incremental.fetch.session.cache.slots default. */
const MAX_SESSIONS = 1000;
const INITIAL_EPOCH = 0;
const FINAL_EPOCH = -1;
const INT32_MAX = 0x7fffffff;

/** One partition a fetch reads: by topic id from Fetch v13 (name looked up), by name before. */
export interface FetchPartition {
  topic: string;
  topicId: string;
  partition: number;
  fetchOffset: bigint;
  maxBytes: number;
  currentLeaderEpoch: number;
  /** A follower's (Fetch v12+): the epoch of its last batch, checked against ours for divergence. */
  lastFetchedEpoch: number;
  /** A follower's log start (Fetch v5+), which the leader records. */
  replicaLogStartOffset: bigint;
}

/** What was read for a partition, as the response carries it. */
export interface FetchPartitionResult {
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  records: Buffer;
  /** read_committed: aborted transactions overlapping the records. */
  abortedTransactions?: readonly { producerId: bigint; firstOffset: bigint }[];
  /** A follower's log diverged from ours: where our epoch ends (KIP-320). */
  divergingEpoch?: { epoch: number; endOffset: bigint };
}

export interface FetchSessionRequest {
  sessionId: number;
  sessionEpoch: number;
  usesTopicIds: boolean;
  partitions: readonly FetchPartition[];
  forgotten: readonly { topic: string; topicId: string; partition: number }[];
}

/**
 * What to read for one Fetch, and how to answer: `errorCode` (a session error: read nothing),
 * the partitions in reading order, and `finish`, which takes their results and gives the session
 * id to answer with and which partitions the response includes.
 */
export interface FetchPlan {
  errorCode: number;
  partitions: readonly FetchPartition[];
  finish(results: readonly FetchPartitionResult[]): { sessionId: number; include: boolean[] };
}

interface CachedPartition extends FetchPartition {
  /** What the client was last told; -1 forces the partition into the next response. */
  highWatermark: bigint;
  logStartOffset: bigint;
}

interface FetchSession {
  id: number;
  /** The epoch the next incremental request must carry. */
  epoch: number;
  usesTopicIds: boolean;
  /** Insertion order is reading order; partitions that returned data move to the end (no starvation). */
  partitions: Map<string, CachedPartition>;
  lastUsed: number;
}

/**
 * Incremental fetch sessions (KIP-227), as Kafka's FetchManager runs them: epoch 0 opens a
 * session, later requests send only what changed and get only partitions with news (data, a
 * moved high watermark or log start, an error), epoch -1 closes it. The least recently used
 * session is evicted when the cache is full.
 */
export class FetchSessionCache {
  readonly #sessions = new Map<number, FetchSession>();

  constructor(private readonly now: () => number = Date.now) {}

  plan(request: FetchSessionRequest): FetchPlan {
    const { sessionId, sessionEpoch } = request;
    if (sessionEpoch === INITIAL_EPOCH || sessionEpoch === FINAL_EPOCH) {
      if (sessionId !== 0) this.#sessions.delete(sessionId);
      return sessionEpoch === FINAL_EPOCH ? sessionless(request.partitions) : this.#full(request);
    }
    const session = this.#sessions.get(sessionId);
    if (!session) return sessionError(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    if (session.epoch !== sessionEpoch) return sessionError(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
    if (session.usesTopicIds !== request.usesTopicIds) return sessionError(ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR);
    update(session, request);
    if (session.partitions.size === 0) {
      this.#sessions.delete(session.id);
      return sessionless(request.partitions);
    }
    session.epoch = session.epoch === INT32_MAX ? 1 : session.epoch + 1;
    this.#touch(session);
    return incremental(session);
  }

  #full(request: FetchSessionRequest): FetchPlan {
    return {
      errorCode: ErrorCode.NONE,
      partitions: request.partitions,
      finish: (results) => {
        const include = results.map(() => true);
        if (request.partitions.length === 0) return { sessionId: 0, include };
        const partitions = new Map<string, CachedPartition>();
        request.partitions.forEach((p, i) => {
          const result = results[i]!;
          const cached = cachedPartition(p);
          record(cached, result);
          partitions.set(keyOf(p, request.usesTopicIds), cached);
        });
        const session = { id: this.#newSessionId(), epoch: 1, usesTopicIds: request.usesTopicIds, partitions, lastUsed: 0 };
        this.#touch(session);
        return { sessionId: session.id, include };
      },
    };
  }

  #touch(session: FetchSession): void {
    session.lastUsed = this.now();
    this.#sessions.delete(session.id);
    this.#sessions.set(session.id, session);
    // Map order is least recently used first.
    while (this.#sessions.size > MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
  }

  #newSessionId(): number {
    for (;;) {
      const id = randomInt(1, INT32_MAX);
      if (!this.#sessions.has(id)) return id;
    }
  }
}

function sessionless(partitions: readonly FetchPartition[]): FetchPlan {
  return { errorCode: ErrorCode.NONE, partitions, finish: (results) => ({ sessionId: 0, include: results.map(() => true) }) };
}

function sessionError(errorCode: number): FetchPlan {
  return { errorCode, partitions: [], finish: () => ({ sessionId: 0, include: [] }) };
}

function incremental(session: FetchSession): FetchPlan {
  const cached = [...session.partitions.values()];
  return {
    errorCode: ErrorCode.NONE,
    partitions: cached,
    finish: (results) => {
      const include = cached.map((partition, i) => record(partition, results[i]!));
      cached.forEach((partition, i) => {
        if (results[i]!.records.length === 0) return;
        const key = keyOf(partition, session.usesTopicIds);
        session.partitions.delete(key);
        session.partitions.set(key, partition);
      });
      return { sessionId: session.id, include };
    },
  };
}

/** Adds and updates the request's partitions, drops the forgotten ones. */
function update(session: FetchSession, request: FetchSessionRequest): void {
  for (const p of request.partitions) {
    const key = keyOf(p, session.usesTopicIds);
    const cached = session.partitions.get(key);
    if (cached) Object.assign(cached, p);
    else session.partitions.set(key, cachedPartition(p));
  }
  for (const p of request.forgotten) session.partitions.delete(keyOf(p, session.usesTopicIds));
}

/**
 * A partition the session holds, not yet told anything. Field by field: a broker keeps one per
 * partition per follower, and V8 makes `{ ...p, more }` several times larger.
 */
function cachedPartition(p: FetchPartition): CachedPartition {
  return {
    topic: p.topic,
    topicId: p.topicId,
    partition: p.partition,
    fetchOffset: p.fetchOffset,
    maxBytes: p.maxBytes,
    currentLeaderEpoch: p.currentLeaderEpoch,
    lastFetchedEpoch: p.lastFetchedEpoch,
    replicaLogStartOffset: p.replicaLogStartOffset,
    highWatermark: -1n,
    logStartOffset: -1n,
  };
}

/**
 * Kafka's CachedPartition.maybeUpdateResponseData: remembers what the client is told and says
 * whether the partition must be in the response.
 */
function record(cached: CachedPartition, result: FetchPartitionResult): boolean {
  let mustRespond = result.records.length > 0 || result.divergingEpoch !== undefined;
  if (cached.highWatermark !== result.highWatermark) {
    cached.highWatermark = result.highWatermark;
    mustRespond = true;
  }
  if (cached.logStartOffset !== result.logStartOffset) {
    cached.logStartOffset = result.logStartOffset;
    mustRespond = true;
  }
  if (result.errorCode !== ErrorCode.NONE) {
    // Sent again once the error is gone.
    cached.highWatermark = -1n;
    mustRespond = true;
  }
  return mustRespond;
}

function keyOf(p: { topic: string; topicId: string; partition: number }, usesTopicIds: boolean): string {
  return `${usesTopicIds ? p.topicId : p.topic}:${p.partition}`;
}
