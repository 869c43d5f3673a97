import { setTimeout as sleep } from 'node:timers/promises';
import { ProtocolError } from '../../../protocol/primitives/protocol-error.js';
import { clusterConnections, type BrokerConnections } from '../../broker-connections.js';
import { resolveFetcherConfig, type FetcherConfig, type FetcherOptions } from '../consumer-config.js';
import { ConsumerError } from '../consumer-errors.js';
import type { ConsumerRecord } from '../consumer-record.js';
import type { FetchedPartition } from '../fetched-partition.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../list-offsets.js';
import { PartitionFetcher, type PartitionOffset, type TopicPartition } from '../partition-fetcher.js';
import { ASSIGNORS } from './assignors.js';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from './consumer-protocol.js';
import { CoordinatorLink } from './coordinator-link.js';
import { resolveGroupConfig, type GroupConfig, type GroupOptions } from './group-config.js';
import { ClusterUnreachableError, GroupError } from './group-errors.js';
import { HeartbeatLoop, sendHeartbeat } from './heartbeat.js';
import { joinGroup, syncGroup, type JoinedGeneration, type MemberIdentity } from './join-sync.js';
import { leaveGroup } from './leave-group.js';
import type { CommitPosition } from './offset-commit.js';
import { OffsetCommitter } from './offset-committer.js';
import { fetchCommittedOffsets } from './offset-fetch.js';
import { RetryBackoff } from './retry-backoff.js';

/** What the member subscribes to: named topics, or every non-internal topic a pattern matches. */
export type Subscription = { topics: readonly string[] } | { matches: (topic: string) => boolean };

export interface GroupConsumerOptions extends FetcherOptions {
  group: GroupOptions;
}

/** Called after each rebalance with the partitions the member now reads and where each starts. */
export type AssignmentListener = (positions: readonly PartitionOffset[]) => void;

/**
 * Called when the member gives up its partitions, as the Java consumer calls onPartitionsRevoked
 * under eager rebalancing: before every rejoin of a valid generation (even with nothing owned),
 * and, when it owned something, on close, on a lost generation and on a poll timeout.
 */
export type RevocationListener = (partitions: readonly TopicPartition[]) => void;

type MemberState = 'unjoined' | 'joining' | 'stable';

/** How often a leader looks again for subscribed topics the cluster does not have yet. */
const MISSING_TOPIC_RECHECK_MS = 1_000;

function names(partitions: readonly TopicPartition[]): string {
  return partitions.map((p) => `${p.topic}-${p.partition}`).join(', ');
}

/**
 * A member of a consumer group over Kafka's classic protocol with eager rebalancing, as the Java
 * consumer does it: the coordinator connection (coordinator-link.ts), JoinGroup/SyncGroup with the
 * leader assigning (join-sync.ts, assignors), heartbeats (heartbeat.ts), committed offsets
 * (offset-fetch.ts, offset-commit.ts) and LeaveGroup; records come from a PartitionFetcher told
 * which partitions to read. A loop rejoins whenever needed: heartbeats report a rebalance, the
 * generation or member id is stale, the pattern matches other topics, or (leader) partition counts
 * changed. Before rejoining, every partition is given up, its position committed first
 * (enable.auto.commit). Positions are what the caller consumed through `read`.
 */
export class GroupConsumer {
  private readonly config: GroupConfig;
  private readonly member: MemberIdentity;
  private readonly connections: BrokerConnections;
  private readonly link: CoordinatorLink;
  private readonly heartbeat: HeartbeatLoop;
  /** The positions of the partitions this member reads, and their commits. */
  private readonly offsets: OffsetCommitter;
  private readonly abort = new AbortController();
  private readonly backoff: RetryBackoff;
  private state: MemberState = 'unjoined';
  private rejoinReason: string | null = 'joining the group';
  /** Assigned in the current generation, start positions not yet found. */
  private pending: TopicPartition[] | null = null;
  /** The topics of this member's subscription at its last join. */
  private joinedTopics: readonly string[] = [];
  /** Leader only: the group's topics and the partition counts the assignment was computed from. */
  private leaderView: { topics: string[]; counts: Map<string, number> } | null = null;
  private wakeLoop: () => void = () => {};
  private metadataTimer: NodeJS.Timeout | undefined;
  private polls = 0;
  private lastPollMs = Date.now();
  private pollTimedOut = false;
  private closing = false;
  private failure: Error | null = null;
  private readonly failed: Promise<never>;
  private fail!: (err: Error) => void;
  private subscription: Subscription = { topics: [] };
  private listener: AssignmentListener | undefined;
  private revoked: RevocationListener | undefined;
  private loop: Promise<void> | undefined;

  /** Reaches the bootstrap servers (else a BrokerConnectionError); `subscribe` then joins the group. */
  static async open(options: GroupConsumerOptions): Promise<GroupConsumer> {
    const fetcher = await PartitionFetcher.open(options);
    return new GroupConsumer(options, resolveFetcherConfig(options), fetcher);
  }

  private constructor(
    options: GroupConsumerOptions,
    private readonly fetcherConfig: FetcherConfig,
    /** For metadata and offset lookups; records come through `next` and `read`. */
    readonly fetcher: PartitionFetcher,
  ) {
    const config = resolveGroupConfig(options.group);
    const unknown = config.assignors.find((name) => !ASSIGNORS.has(name));
    if (unknown !== undefined) throw new ConsumerError(`unknown partition assignment strategy '${unknown}'`);
    this.config = config;
    this.member = { groupId: config.groupId, groupInstanceId: config.groupInstanceId, memberId: '', generationId: -1 };
    this.backoff = new RetryBackoff(fetcherConfig.retryBackoffMs, config.retryBackoffMaxMs);
    this.connections = clusterConnections(fetcherConfig);
    this.link = new CoordinatorLink(this.connections, {
      groupId: config.groupId,
      bootstrap: fetcherConfig.bootstrap,
      requestTimeoutMs: fetcherConfig.requestTimeoutMs,
      retryBackoffMs: fetcherConfig.retryBackoffMs,
      retryBackoffMaxMs: config.retryBackoffMaxMs,
      signal: this.abort.signal,
      ...(fetcherConfig.log ? { log: fetcherConfig.log } : {}),
    });
    this.heartbeat = new HeartbeatLoop(config.heartbeatIntervalMs, config.sessionTimeoutMs, fetcherConfig.retryBackoffMs, {
      beat: () => this.beat(),
      sessionExpired: () => this.link.markUnknown(`no heartbeat answered within session.timeout.ms (${config.sessionTimeoutMs} ms)`),
    });
    this.offsets = new OffsetCommitter(
      this.link,
      this.member,
      {
        autoCommit: config.autoCommit,
        autoCommitIntervalMs: config.autoCommitIntervalMs,
        requestTimeoutMs: fetcherConfig.requestTimeoutMs,
        retryBackoffMs: fetcherConfig.retryBackoffMs,
        retryBackoffMaxMs: config.retryBackoffMaxMs,
        log: (line) => this.log(line),
      },
      (err) => (err instanceof GroupError ? this.react(err) : this.fail(err)),
    );
    this.failed = new Promise<never>((_, reject) => {
      this.fail = (err) => {
        if (this.failure !== null || this.closing) return;
        this.failure = err;
        reject(err);
        this.wakeLoop();
      };
    });
    this.failed.catch(() => {});
  }

  /** Joins the group subscribed to `subscription`, and keeps the membership up until `close`. */
  subscribe(subscription: Subscription, listener?: AssignmentListener, revoked?: RevocationListener): void {
    if (this.loop !== undefined) throw new Error('already subscribed');
    this.subscription = subscription;
    this.listener = listener;
    this.revoked = revoked;
    this.loop = this.run().catch((err: Error) => this.fail(err));
  }

  /**
   * The next fetched data of an owned partition; null once closed. Waiting here counts as polling
   * for max.poll.interval.ms. Rejects once the member failed.
   */
  async next(): Promise<FetchedPartition | null> {
    if (this.pollTimedOut) {
      this.pollTimedOut = false;
      this.requestRejoin('polling again after max.poll.interval.ms expired');
    }
    this.polls++;
    try {
      for (;;) {
        const fetched = await Promise.race([this.fetcher.next(), this.failed]);
        if (fetched === null || this.offsets.position(fetched) !== undefined) return fetched;
      }
    } finally {
      this.polls--;
      this.lastPollMs = Date.now();
    }
  }

  /**
   * Hands `fetched`'s records to `visit`, which returns whether it consumed each one; the first it
   * refuses ends the walk. The partition's position moves past what was consumed. False when the
   * walk was cut short, or the partition is no longer this member's (a rebalance took it).
   */
  read(fetched: FetchedPartition, visit: (record: ConsumerRecord) => boolean): boolean {
    const position = this.offsets.position(fetched);
    if (position === undefined) return false;
    let refusedAt = -1n;
    const complete = fetched.read((record) => {
      if (visit(record)) return true;
      refusedAt = BigInt(record.offset);
      return false;
    });
    const offset = complete ? fetched.nextOffset : refusedAt;
    if (offset > fetched.fetchOffset && offset !== position.offset) {
      position.offset = offset;
      position.leaderEpoch = fetched.leaderEpochAt(offset - 1n);
    }
    return complete;
  }

  /**
   * Commits the positions of the owned partitions (those of `partitions`, when given): the offsets
   * asked for, and the error when they could not be committed (null once they were).
   */
  async commitSync(partitions?: readonly TopicPartition[]): Promise<{ offsets: PartitionOffset[]; error: Error | null }> {
    const wanted = partitions === undefined ? undefined : new Set(partitions.map((p) => `${p.topic}\0${p.partition}`));
    const positions = this.offsets.owned().filter((p) => wanted === undefined || wanted.has(`${p.topic}\0${p.partition}`));
    const offsets = positions.map(({ topic, partition, offset }) => ({ topic, partition, offset }));
    try {
      return { offsets, error: await this.offsets.commitSync(positions, 'on request') };
    } catch (err) {
      return { offsets, error: err as Error };
    }
  }

  /**
   * Leaves: commits what was consumed (enable.auto.commit) and sends LeaveGroup (dynamic members:
   * a static one keeps its place for session.timeout.ms, KIP-345), within request.timeout.ms.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    const stable = this.state === 'stable' && this.failure === null;
    const joining = this.state === 'joining';
    this.closing = true;
    this.offsets.stopAutoCommit();
    clearTimeout(this.metadataTimer);
    this.heartbeat.stop();
    const positions = this.giveUpPartitions();
    if (positions.length > 0) this.revoked?.(positions.map(partitionOf));
    // A JoinGroup in flight holds the coordinator connection, possibly for minutes.
    if (joining) this.link.markUnknown('the consumer is closing');
    this.wakeLoop();
    const timeout = sleep(this.fetcherConfig.requestTimeoutMs, undefined, { ref: false });
    await Promise.race([this.commitAndLeave(stable ? positions : []), timeout]);
    this.abort.abort();
    this.fetcher.close();
    this.connections.closeAll();
    await this.loop;
  }

  /** Never rejects: closing goes on whatever the coordinator answers. */
  private async commitAndLeave(positions: readonly CommitPosition[]): Promise<void> {
    const logFailure = (what: string) => (err: Error) => this.log(`${what} failed: ${err.message}`);
    if (this.config.autoCommit) await this.offsets.commitSync(positions, 'on close').catch(logFailure('the final commit'));
    if (this.member.groupInstanceId !== null || this.member.memberId === '') return;
    await leaveGroup(this.link, this.member, 'the consumer is being closed').catch(logFailure('LeaveGroup'));
  }

  /** The membership loop: (re)join when needed, then find the start positions of the assignment. */
  private async run(): Promise<void> {
    while (!this.closing && this.failure === null) {
      try {
        if (!this.pollTimedOut && (this.rejoinReason !== null || this.state !== 'stable')) await this.rebalance();
        else if (!this.pollTimedOut && this.pending !== null) await this.startFetching(this.pending);
        else await this.signalled();
        this.backoff.reset();
      } catch (err) {
        if (this.closing) return;
        await this.recover(err);
      }
    }
  }

  /** Handles what a loop step threw: fatal errors end the member, others lead to a retry. */
  private async recover(err: unknown): Promise<void> {
    if (err instanceof ClusterUnreachableError) {
      this.log(err.message);
      return this.pause(this.backoff.next());
    }
    if (!(err instanceof GroupError)) throw err;
    this.log(err.message);
    switch (err.action) {
      case 'find-coordinator':
        this.link.markUnknown(err.message);
        return this.pause(this.backoff.next());
      case 'retry':
        return this.pause(this.backoff.next());
      // Java's joinGroupIfNeeded joins again at once after these.
      case 'rejoin':
        this.requestRejoin(err.message);
        return;
      case 'reset-generation':
      case 'reset-member':
        this.resetGeneration(err.action === 'reset-member', err.message);
        return;
      case 'fatal':
        throw err;
    }
  }

  /** Java's onJoinPrepare, JoinGroup, the leader's assignment, SyncGroup. */
  private async rebalance(): Promise<void> {
    this.heartbeat.stop();
    this.offsets.stopAutoCommit();
    clearTimeout(this.metadataTimer);
    const positions = this.giveUpPartitions();
    if (this.state === 'stable') this.revoked?.(positions.map(partitionOf));
    if (this.state === 'stable' && this.config.autoCommit) await this.offsets.commitSync(positions, 'before rebalancing');
    this.state = 'joining';
    const reason = this.rejoinReason ?? 'rejoining';
    this.rejoinReason = null;
    const topics = await this.subscribedTopics();
    const metadata = encodeSubscription(topics, this.member.generationId);
    const joined = await joinGroup(this.link, this.member, {
      sessionTimeoutMs: this.config.sessionTimeoutMs,
      rebalanceTimeoutMs: this.config.maxPollIntervalMs,
      requestTimeoutMs: this.fetcherConfig.requestTimeoutMs,
      protocols: this.config.assignors.map((name) => ({ name, metadata })),
      reason,
    });
    this.joinedTopics = topics;
    const leader = joined.leaderId === this.member.memberId;
    this.leaderView = null;
    const assignments = leader ? await this.assignGroup(joined) : new Map<string, Buffer>();
    const assignment = readAssignment(await syncGroup(this.link, this.member, joined.protocolName, assignments));
    this.state = 'stable';
    this.log(
      `joined group '${this.member.groupId}' in generation ${joined.generationId} as ${this.member.memberId}` +
        `${leader ? ' (leader)' : ''}, assigned: ${names(assignment) || 'nothing'}`,
    );
    this.pending = assignment;
    this.heartbeat.start();
    this.offsets.startAutoCommit();
    this.scheduleMetadataCheck(this.metadataCheckDelay());
  }

  /**
   * The leader's part: every member's partitions, by the strategy the coordinator chose; none when
   * told to skip the assignment. Either way the leader watches the metadata it saw now.
   */
  private async assignGroup(joined: JoinedGeneration): Promise<Map<string, Buffer>> {
    const members = joined.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      topics: decodeSubscription(m.metadata) ?? [],
    }));
    const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
    const counts = await this.partitionCounts(topics);
    this.leaderView = { topics, counts };
    if (joined.skipAssignment) return new Map();
    const assignment = ASSIGNORS.get(joined.protocolName)!.assign(members, counts);
    return new Map([...assignment].map(([memberId, partitions]) => [memberId, encodeAssignment(partitions)]));
  }

  /** Java's onJoinComplete and position initialisation: committed offsets, else auto.offset.reset. */
  private async startFetching(partitions: TopicPartition[]): Promise<void> {
    const generation = this.member.generationId;
    const committed = partitions.length === 0 ? [] : await fetchCommittedOffsets(this.link, this.member.groupId, partitions);
    const found = new Set(committed.map((c) => `${c.topic}\0${c.partition}`));
    const missing = partitions.filter((p) => !found.has(`${p.topic}\0${p.partition}`));
    const reset = this.fetcherConfig.autoOffsetReset;
    if (missing.length > 0 && reset === 'none')
      throw new ConsumerError(`Undefined offset with no reset policy for partitions: [${names(missing)}]`);
    const resets = missing.length === 0 ? [] : await this.lookUp(missing, reset === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP);
    // A rebalance began meanwhile: these partitions are no longer this member's to read.
    if (this.pending !== partitions || this.member.generationId !== generation || this.closing) return;
    this.pending = null;
    const positions: CommitPosition[] = [...committed, ...resets.map((r) => ({ ...r, leaderEpoch: -1 }))];
    this.offsets.track(positions, committed);
    for (const p of positions) this.fetcher.assign([p], { kind: 'offset', offset: p.offset });
    if (positions.length > 0) this.log(`starting at ${positions.map((p) => `${p.topic}-${p.partition}@${p.offset}`).join(', ')}`);
    this.listener?.(positions.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
  }

  /** Stops reading every owned partition (synchronously: nothing more of them is handed out); returns their positions. */
  private giveUpPartitions(): CommitPosition[] {
    const positions = this.offsets.release();
    this.pending = null;
    this.fetcher.unassign(positions);
    return positions;
  }

  /** The generation is no longer valid: partitions are lost (not committed) and the member joins again. */
  private resetGeneration(newMember: boolean, reason: string): void {
    this.heartbeat.stop();
    this.offsets.stopAutoCommit();
    const lost = this.giveUpPartitions();
    if (lost.length > 0) this.revoked?.(lost.map(partitionOf));
    this.member.generationId = -1;
    if (newMember) this.member.memberId = '';
    this.state = 'unjoined';
    this.requestRejoin(reason);
  }

  private requestRejoin(reason: string): void {
    this.rejoinReason ??= reason;
    this.wakeLoop();
  }

  /** One heartbeat and what its answer means for the member; true when the coordinator accepted it. */
  private async beat(): Promise<boolean> {
    if (this.state !== 'stable') return false;
    if (this.polls === 0 && Date.now() - this.lastPollMs > this.config.maxPollIntervalMs) {
      void this.leaveAfterPollTimeout();
      return false;
    }
    try {
      await sendHeartbeat(this.link, this.member);
      return true;
    } catch (err) {
      if (this.closing) return false;
      if (!(err instanceof GroupError)) {
        this.fail(err as Error);
        return false;
      }
      this.react(err);
      // REBALANCE_IN_PROGRESS is an answer: the coordinator still has the member.
      return err.action === 'rejoin';
    }
  }

  /** What a heartbeat's or an auto-commit's error means for the membership. */
  private react(error: GroupError): void {
    switch (error.action) {
      case 'find-coordinator':
        return this.link.markUnknown(error.message);
      case 'retry':
        return;
      case 'rejoin':
        return this.requestRejoin(error.message);
      case 'reset-generation':
      case 'reset-member':
        return this.resetGeneration(error.action === 'reset-member', error.message);
      case 'fatal':
        return this.fail(error);
    }
  }

  /**
   * The caller stopped asking for records for longer than max.poll.interval.ms (output blocked):
   * as the Java consumer, the member leaves so the group can go on, and joins again when polled.
   */
  private async leaveAfterPollTimeout(): Promise<void> {
    this.log(`no poll for longer than max.poll.interval.ms (${this.config.maxPollIntervalMs} ms): leaving the group until polled again`);
    this.heartbeat.stop();
    this.offsets.stopAutoCommit();
    const lost = this.giveUpPartitions();
    if (lost.length > 0) this.revoked?.(lost.map(partitionOf));
    this.pollTimedOut = true;
    const leaving = { ...this.member };
    this.member.generationId = -1;
    this.member.memberId = '';
    this.state = 'unjoined';
    if (leaving.groupInstanceId !== null) return;
    await leaveGroup(this.link, leaving, 'consumer poll timeout has expired').catch((err: Error) =>
      this.log(`LeaveGroup failed: ${err.message}`),
    );
  }

  /**
   * Every metadata.max.age.ms (every second while a subscribed topic is missing): a pattern
   * subscription that matches other topics, or (leader) partition counts that changed, rejoin.
   */
  private scheduleMetadataCheck(delayMs: number): void {
    clearTimeout(this.metadataTimer);
    this.metadataTimer = setTimeout(() => void this.checkMetadata(), delayMs);
  }

  private metadataCheckDelay(): number {
    const view = this.leaderView;
    const missing = view?.topics.some((t) => !view.counts.has(t));
    return missing ? Math.min(MISSING_TOPIC_RECHECK_MS, this.fetcherConfig.metadataMaxAgeMs) : this.fetcherConfig.metadataMaxAgeMs;
  }

  private async checkMetadata(): Promise<void> {
    if (this.state !== 'stable' || this.closing) return;
    try {
      const topics = await this.subscribedTopics();
      if (topics.join('\0') !== this.joinedTopics.join('\0')) this.requestRejoin('the subscribed topics changed');
      const view = this.leaderView;
      if (view !== null) {
        const counts = await this.partitionCounts(view.topics);
        if (view.topics.some((t) => counts.get(t) !== view.counts.get(t)))
          this.requestRejoin('the partitions of subscribed topics changed');
      }
    } catch (err) {
      if (!(err instanceof ClusterUnreachableError)) return this.fail(err as Error);
      this.log(err.message);
    }
    if (this.state === 'stable' && !this.closing) this.scheduleMetadataCheck(this.metadataCheckDelay());
  }

  /** This member's topics now: the named ones, or those the pattern matches, sorted. */
  private async subscribedTopics(): Promise<string[]> {
    const { subscription } = this;
    if ('topics' in subscription) return [...new Set(subscription.topics)].sort();
    return [...(await this.clusterRequest(() => this.fetcher.topicPartitionCounts(null))).keys()].filter(subscription.matches).sort();
  }

  private async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    if (topics.length === 0) return new Map();
    return this.clusterRequest(() => this.fetcher.topicPartitionCounts(topics));
  }

  private lookUp(partitions: readonly TopicPartition[], timestamp: bigint): Promise<PartitionOffset[]> {
    return this.clusterRequest(() => this.fetcher.offsets(partitions, timestamp));
  }

  /** A Metadata or ListOffsets exchange; a lost connection becomes a ClusterUnreachableError (retried). */
  private async clusterRequest<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof ConsumerError || err instanceof ProtocolError) throw err;
      throw new ClusterUnreachableError(`a cluster request failed: ${(err as Error).message}`, null, { cause: err });
    }
  }

  /** Resolves when something changed for the loop (a rejoin requested, closing, a failure). */
  private signalled(): Promise<void> {
    return new Promise((resolve) => (this.wakeLoop = resolve));
  }

  private async pause(ms: number): Promise<void> {
    await Promise.race([sleep(ms, undefined, { ref: false }), this.signalled()]);
  }

  private log(line: string): void {
    this.fetcherConfig.log?.(line);
  }
}

function partitionOf({ topic, partition }: TopicPartition): TopicPartition {
  return { topic, partition };
}

function readAssignment(bytes: Buffer): TopicPartition[] {
  try {
    return decodeAssignment(bytes);
  } catch (err) {
    if (!(err instanceof ProtocolError)) throw err;
    throw new ConsumerError(`the group leader's assignment cannot be read: ${err.message}`, null, { cause: err });
  }
}
