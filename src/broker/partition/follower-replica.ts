/**
 * A follower's position as its leader tracks it (Kafka's Replica/ReplicaState): log end and start
 * from its last fetch, and the last time it was caught up, which decides ISR membership.
 */
export class FollowerReplica {
  /** -1 until it fetches under the current leader. */
  logEndOffset = -1n;
  logStartOffset = -1n;
  lastCaughtUpTimeMs = 0;
  #lastFetchLeaderLogEndOffset = -1n;
  #lastFetchTimeMs = 0;

  /**
   * Kafka's updateFetchStateOrThrow: a fetch at or past the leader's log end means caught up now; a
   * fetch reaching the log end the leader had at the previous fetch means caught up back then.
   */
  updateFetchState(fetchOffset: bigint, logStartOffset: bigint, fetchTimeMs: number, leaderEndOffset: bigint): void {
    if (fetchOffset >= leaderEndOffset) this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, fetchTimeMs);
    else if (fetchOffset >= this.#lastFetchLeaderLogEndOffset) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, this.#lastFetchTimeMs);
    }
    this.logEndOffset = fetchOffset;
    this.logStartOffset = logStartOffset;
    this.#lastFetchLeaderLogEndOffset = leaderEndOffset;
    this.#lastFetchTimeMs = fetchTimeMs;
  }

  /** Caught up: at the leader's log end, or was within the last `maxLagMs`. */
  isCaughtUp(leaderEndOffset: bigint, now: number, maxLagMs: number): boolean {
    return this.logEndOffset >= leaderEndOffset || now - this.lastCaughtUpTimeMs <= maxLagMs;
  }

  /**
   * A new leader epoch (Kafka's resetReplicaState): ISR members count as caught up now, others not;
   * a leader that just took over knows nothing of the followers' logs yet.
   */
  reset(now: number, leaderEndOffset: bigint, isNewLeader: boolean, inSync: boolean): void {
    this.lastCaughtUpTimeMs = inSync ? now : 0;
    if (isNewLeader) {
      this.logEndOffset = -1n;
      this.logStartOffset = -1n;
      this.#lastFetchLeaderLogEndOffset = -1n;
      this.#lastFetchTimeMs = 0;
    } else {
      this.#lastFetchLeaderLogEndOffset = leaderEndOffset;
      this.#lastFetchTimeMs = inSync ? now : 0;
    }
  }
}
