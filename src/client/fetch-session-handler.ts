import { ErrorCode } from '../protocol/errors.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';

/** Session id 0: no session. */
const INVALID_SESSION_ID = 0;
/** Epoch 0 asks for a new session (a full request); -1 asks for none. */
const INITIAL_EPOCH = 0;
const INT32_MAX = 0x7fffffff;

/** What a fetch asks of one partition: a change in any field sends it again in an incremental request. */
export interface SessionPartition {
  readonly topic: string;
  /** ZERO_UUID when unknown (Fetch before v13). */
  readonly topicId: string;
  readonly partition: number;
  readonly fetchOffset: bigint;
  readonly logStartOffset: bigint;
  readonly currentLeaderEpoch: number;
  readonly lastFetchedEpoch: number;
  readonly partitionMaxBytes: number;
}

/** A partition the request tells the broker to drop from the session. */
export interface ForgottenPartition {
  readonly topic: string;
  readonly topicId: string;
  readonly partition: number;
}

/** One request's part of the session (Kafka's FetchRequestData). */
export interface SessionFetch {
  readonly sessionId: number;
  readonly sessionEpoch: number;
  /** The partitions the request carries: all of them in a full request, the added and changed ones in an incremental one. */
  readonly toSend: readonly SessionPartition[];
  /** Partitions no longer fetched. */
  readonly toForget: readonly ForgottenPartition[];
  /** Partitions whose topic id changed (a topic deleted and created again): forgotten under the old id from Fetch v13. */
  readonly toReplace: readonly ForgottenPartition[];
}

/** The parts of a Fetch response the session follows: responses name topics by id from v13, by name before. */
export interface SessionFetchResponse {
  readonly errorCode: number;
  readonly sessionId: number;
  readonly responses: readonly { topic: string; topicId: string; partitions: readonly { partitionIndex: number }[] }[];
}

/**
 * The client side of incremental fetch sessions (KIP-227, Kafka's FetchSessionHandler), one per
 * broker fetched from: the first request is full and opens a session; later ones carry only the
 * partitions added or changed since (a new fetch offset, epoch …) and the ones to forget, and the
 * broker answers only for partitions with news. An idle follower's fetch is then empty both ways
 * instead of naming every partition it copies. A session error or a failed request starts over
 * with a full request.
 */
export class FetchSessionHandler {
  #sessionId = INVALID_SESSION_ID;
  #epoch = INITIAL_EPOCH;
  /** What the broker's session holds, in the order it was sent, by the caller's key. */
  #partitions = new Map<string, SessionPartition>();

  /** `keyOf` names a topic partition uniquely (the caller's keys for build()). */
  constructor(private readonly keyOf: (topic: string, partition: number) => string) {}

  /**
   * The next request for `next`, every partition to fetch now by its key; the session moves on
   * once the response is handled.
   */
  build(next: ReadonlyMap<string, SessionPartition>): SessionFetch {
    const sessionId = this.#sessionId;
    const sessionEpoch = this.#epoch;
    if (this.#isFull) {
      this.#partitions = new Map(next);
      return { sessionId, sessionEpoch, toSend: [...next.values()], toForget: [], toReplace: [] };
    }
    const toSend: SessionPartition[] = [];
    const toForget: ForgottenPartition[] = [];
    const toReplace: ForgottenPartition[] = [];
    // forEach, not for-of: no [key, value] array per partition on every fetch.
    this.#partitions.forEach((previous, key) => {
      const p = next.get(key);
      if (p === undefined) {
        this.#partitions.delete(key);
        toForget.push(previous);
        return;
      }
      if (p.topicId !== previous.topicId && p.topicId !== ZERO_UUID && previous.topicId !== ZERO_UUID) toReplace.push(previous);
      else if (sameFetch(p, previous)) return;
      this.#partitions.set(key, p);
      toSend.push(p);
    });
    next.forEach((p, key) => {
      if (this.#partitions.has(key)) return;
      this.#partitions.set(key, p);
      toSend.push(p);
    });
    return { sessionId, sessionEpoch, toSend, toForget, toReplace };
  }

  /**
   * Follows the broker's answer to the last built request. False when the response cannot be used
   * (a session error, or partitions the session does not hold): the next request is full.
   */
  handleResponse(response: SessionFetchResponse, usesTopicIds: boolean): boolean {
    if (response.errorCode !== ErrorCode.NONE) {
      // The broker no longer knows the session: a new one. Otherwise close ours while opening one.
      if (response.errorCode === ErrorCode.FETCH_SESSION_ID_NOT_FOUND) this.#sessionId = INVALID_SESSION_ID;
      this.#epoch = INITIAL_EPOCH;
      return false;
    }
    if (!this.#holdsAll(response, usesTopicIds)) {
      if (this.#isFull) this.#sessionId = INVALID_SESSION_ID;
      this.#epoch = INITIAL_EPOCH;
      return false;
    }
    if (response.sessionId === INVALID_SESSION_ID) {
      // A sessionless answer, or the broker closed the session: full requests from now on.
      this.#sessionId = INVALID_SESSION_ID;
      this.#epoch = INITIAL_EPOCH;
    } else if (this.#isFull) {
      this.#sessionId = response.sessionId;
      this.#epoch = 1;
    } else {
      this.#epoch = this.#epoch === INT32_MAX ? 1 : this.#epoch + 1;
    }
    return true;
  }

  /** The request failed (no response): the next one closes the session and opens a new one. */
  handleError(): void {
    this.#epoch = INITIAL_EPOCH;
  }

  get #isFull(): boolean {
    return this.#epoch === INITIAL_EPOCH;
  }

  /** Kafka's verifyFullFetchResponsePartitions / verifyIncrementalFetchResponsePartitions: nothing the session does not hold. */
  #holdsAll(response: SessionFetchResponse, usesTopicIds: boolean): boolean {
    let names: Map<string, string> | undefined;
    for (const topic of response.responses) {
      let name = topic.topic;
      if (usesTopicIds) {
        names ??= new Map([...this.#partitions.values()].map((p) => [p.topicId, p.topic]));
        const known = names.get(topic.topicId);
        if (known === undefined) return false;
        name = known;
      }
      for (const p of topic.partitions) if (!this.#partitions.has(this.keyOf(name, p.partitionIndex))) return false;
    }
    return true;
  }
}

function sameFetch(a: SessionPartition, b: SessionPartition): boolean {
  return (
    a.fetchOffset === b.fetchOffset &&
    a.logStartOffset === b.logStartOffset &&
    a.currentLeaderEpoch === b.currentLeaderEpoch &&
    a.lastFetchedEpoch === b.lastFetchedEpoch &&
    a.partitionMaxBytes === b.partitionMaxBytes &&
    a.topicId === b.topicId
  );
}
