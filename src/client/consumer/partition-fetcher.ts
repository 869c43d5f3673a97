import { ErrorCode, errorName, isRetriable } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { FetchResponse } from '../../protocol/generated/apis/fetch.js';
import { ProtocolError } from '../../protocol/primitives/protocol-error.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { commonVersion } from '../api-versions.js';
import { formatBroker, type BrokerAddress } from '../bootstrap.js';
import { connectToCluster, type BrokerConnections } from '../broker-connections.js';
import { ClusterMetadata, STALE_METADATA } from '../cluster-metadata.js';
import { MetadataUpdater } from '../metadata-updater.js';
import type { RawKafkaConnection } from '../raw-connection.js';
import { resolveFetcherConfig, type FetcherConfig, type FetcherOptions } from './consumer-config.js';
import { topicErrorText } from '../topic-errors.js';
import { ConsumerError, CorruptRecordsError, partitionError } from './consumer-errors.js';
import { MIN_FETCH_VERSION, fetchRequest, fetchVersion, type FetchTarget } from './fetch-request.js';
import { FetchedPartition, nextOffsetAfter } from './fetched-partition.js';
import {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  listOffsets,
  rawListOffsetsTarget,
  type OffsetAnswer,
  type OffsetQuery,
} from './list-offsets.js';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** Where an assigned partition starts. A timestamp after the last record starts at the end. */
export type StartPosition =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'timestamp'; timestamp: bigint };

interface PartitionState extends TopicPartition {
  /** The next offset to fetch; null while a ListOffsets lookup decides it. */
  position: bigint | null;
  fetching: boolean;
  retryAtMs: number;
}

/** A pending ListOffsets query: for a position, or for a caller of `offsets()`. */
interface Lookup extends OffsetQuery {
  /** The partition whose position it decides; absent for `offsets()`. */
  state?: PartitionState;
  inFlight: boolean;
  retryAtMs: number;
  settled: boolean;
  done(offset: bigint): void;
}

export interface PartitionOffset extends TopicPartition {
  offset: bigint;
}

/** Errors that only need fresh metadata: the leader moved, or the topic was re-created. */
function needsMetadata(code: number): boolean {
  return STALE_METADATA.has(code) || code === ErrorCode.UNKNOWN_TOPIC_ID || code === ErrorCode.INCONSISTENT_TOPIC_ID;
}

function key(topic: string, partition: number): string {
  return `${topic}\0${partition}`;
}

/**
 * A consumer of an explicit set of partitions (no group): metadata gives the leaders, ListOffsets
 * the start positions, and each leader gets full Fetch requests for all its partitions, one at a
 * time. The next request goes out as soon as a response arrives (its positions are read from the
 * batch headers), while the caller is still reading the previous data, as long as less than
 * fetch.max.bytes of fetched data waits to be read. Errors are handled as the Java consumer does:
 * leader changes refresh metadata, OFFSET_OUT_OF_RANGE follows auto.offset.reset, retriable errors
 * back off, anything else ends consumption (`next()` rejects).
 */
export class PartitionFetcher {
  private readonly metadata: ClusterMetadata;
  private readonly updater: MetadataUpdater;
  private readonly states = new Map<string, PartitionState>();
  private lookups: Lookup[] = [];
  /** Leaders with a Fetch in flight. */
  private readonly fetchingFrom = new Set<number>();
  private readonly queue: FetchedPartition[] = [];
  private queuedBytes = 0;
  /** Rotates the order of partitions in requests, so each gets to be first (KIP-74 fairness). */
  private rotation = 0;
  private waiters: Array<() => void> = [];
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private failure: Error | null = null;
  private closed = false;

  /** Connects to a bootstrap server; rejects with a BrokerConnectionError when none answers. */
  static async open(options: FetcherOptions): Promise<PartitionFetcher> {
    const config = resolveFetcherConfig(options);
    const connections = await connectToCluster(config);
    return new PartitionFetcher(config, connections);
  }

  private constructor(
    private readonly config: FetcherConfig,
    private readonly connections: BrokerConnections,
  ) {
    this.metadata = new ClusterMetadata(config.metadataMaxAgeMs, config.retryBackoffMs, config.allowAutoTopicCreation);
    this.updater = new MetadataUpdater(this.metadata, connections, config.bootstrap, {
      connect: (address) => this.connect(address),
      finished: () => {
        this.notify();
        this.wakeup();
      },
      unsupported: (message) => this.fail(new ConsumerError(message)),
    });
  }

  /** Every topic in the cluster. */
  async listTopics(): Promise<string[]> {
    return [...(await this.topicPartitionCounts(null)).keys()];
  }

  /**
   * One Metadata request now: the partition count of each of `topics` (null: of every topic) that
   * the cluster knows without error. Named topics are created where allow.auto.create.topics lets
   * the broker do so.
   */
  async topicPartitionCounts(topics: readonly string[] | null): Promise<Map<string, number>> {
    const conn = this.connections.any() ?? (await this.connections.connect(this.config.bootstrap[0]!));
    const version = commonVersion(conn.versions!, ApiKey.Metadata);
    if (version === undefined) throw new ConsumerError('the broker does not support a Metadata version kts speaks');
    const response = await conn.request(ApiKey.Metadata, version, {
      topics: topics === null ? null : topics.map((name) => ({ topicId: ZERO_UUID, name })),
      allowAutoTopicCreation: topics !== null && this.config.allowAutoTopicCreation,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    const counts = new Map<string, number>();
    for (const t of response.topics) {
      if (t.errorCode === ErrorCode.NONE && t.name !== null && t.partitions.length > 0) counts.set(t.name, t.partitions.length);
    }
    return counts;
  }

  /**
   * The partition count of each topic, once metadata has them (topics the broker auto-creates
   * included). Rejects for topics still unknown after request.timeout.ms, or not accessible.
   */
  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    for (const topic of topics) this.metadata.want(topic);
    this.wakeup();
    const deadline = Date.now() + this.config.requestTimeoutMs;
    const known = () => topics.every((t) => this.metadata.topic(t) !== undefined || this.metadata.topicError(t) !== undefined);
    await this.until(() => known() || Date.now() >= deadline, deadline);
    const counts = new Map<string, number>();
    for (const topic of topics) {
      const code = this.metadata.topicError(topic);
      if (code !== undefined) throw topicError(code, topic);
      const found = this.metadata.topic(topic);
      if (found === undefined) throw new ConsumerError(`topic '${topic}' not present in metadata after ${this.config.requestTimeoutMs} ms`);
      counts.set(topic, found.count);
    }
    return counts;
  }

  /** Starts fetching these partitions (in addition to any assigned before) from `start`. */
  assign(partitions: readonly TopicPartition[], start: StartPosition): void {
    for (const { topic, partition } of partitions) {
      const state: PartitionState = { topic, partition, position: null, fetching: false, retryAtMs: 0 };
      this.states.set(key(topic, partition), state);
      this.metadata.want(topic);
      if (start.kind === 'offset') state.position = start.offset;
      else
        this.lookUpPosition(
          state,
          start.kind === 'earliest' ? EARLIEST_TIMESTAMP : start.kind === 'latest' ? LATEST_TIMESTAMP : start.timestamp,
        );
    }
    this.wakeup();
  }

  /**
   * Stops fetching these partitions: their data not yet handed out is dropped, as are lookups of
   * their positions not yet sent (answers to those in flight are ignored).
   */
  unassign(partitions: readonly TopicPartition[]): void {
    for (const { topic, partition } of partitions) this.states.delete(key(topic, partition));
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const fetched = this.queue[i]!;
      if (this.states.has(key(fetched.topic, fetched.partition))) continue;
      this.queue.splice(i, 1);
      this.queuedBytes -= fetched.size;
    }
    this.wakeup();
  }

  /** Resolves, once every assigned partition has one, to their positions. */
  async positions(): Promise<PartitionOffset[]> {
    await this.until(() => [...this.states.values()].every((s) => s.position !== null));
    return [...this.states.values()].map((s) => ({ topic: s.topic, partition: s.partition, offset: s.position! }));
  }

  /** One ListOffsets answer per partition (LATEST_TIMESTAMP: the end offsets), in the given order. */
  async offsets(partitions: readonly TopicPartition[], timestamp: bigint): Promise<PartitionOffset[]> {
    const found: PartitionOffset[] = partitions.map(({ topic, partition }) => ({ topic, partition, offset: -1n }));
    let answered = 0;
    for (const p of found) {
      this.metadata.want(p.topic);
      this.lookups.push(
        this.lookup(p, timestamp, (offset) => {
          p.offset = offset;
          answered++;
        }),
      );
    }
    this.wakeup();
    await this.until(() => answered === found.length);
    return found;
  }

  /** The next partition data, in arrival order; null once closed. Rejects once consuming failed. */
  async next(): Promise<FetchedPartition | null> {
    for (;;) {
      if (this.closed) return null;
      if (this.failure !== null) throw this.failure;
      const fetched = this.queue.shift();
      if (fetched !== undefined) {
        const wasFull = this.queuedBytes >= this.config.fetchMaxBytes;
        this.queuedBytes -= fetched.size;
        if (wasFull) this.wakeup();
        return fetched;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.connections.closeAll();
    this.notify();
  }

  private wakeup(): void {
    if (this.scheduled || this.closed || this.failure !== null) return;
    this.scheduled = true;
    setImmediate(() => this.run());
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    clearTimeout(this.timer);
    this.notify();
  }

  /** Resolves once `done()` holds (checked on every progress, and at `deadline`); rejects on failure. */
  private async until(done: () => boolean, deadline?: number): Promise<void> {
    const timer = deadline === undefined ? undefined : setTimeout(() => this.notify(), Math.max(0, deadline - Date.now()));
    try {
      for (;;) {
        if (this.failure !== null) throw this.failure;
        if (this.closed) throw new ConsumerError('the consumer was closed');
        if (done()) return;
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private lookUpPosition(state: PartitionState, timestamp: bigint): void {
    state.position = null;
    const lookup = this.lookup(state, timestamp, (offset) => {
      if (offset >= 0n) state.position = offset;
      // No record at or after the timestamp: start at the end.
      else this.lookUpPosition(state, LATEST_TIMESTAMP);
    });
    this.lookups.push({ ...lookup, state });
  }

  private lookup({ topic, partition }: TopicPartition, timestamp: bigint, done: (offset: bigint) => void): Lookup {
    return { topic, partition, timestamp, inFlight: false, retryAtMs: 0, settled: false, done };
  }

  /** A position lookup of a partition unassigned since. */
  private orphaned(lookup: Lookup): boolean {
    return lookup.state !== undefined && this.states.get(key(lookup.topic, lookup.partition)) !== lookup.state;
  }

  /** The loop: metadata, then ListOffsets and Fetch requests to each leader that can take them. */
  private run(): void {
    this.scheduled = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.failure !== null) return;
    const now = Date.now();
    let delay = this.updater.maybeUpdate(now);
    const lookupsFor = new Map<number, Lookup[]>();
    const fetchesFor = new Map<number, PartitionState[]>();
    const waitFor = (ms: number) => (delay = Math.min(delay, Math.max(1, ms)));
    const route = <T extends TopicPartition>(item: T, to: Map<number, T[]>): void => {
      const leader = this.metadata.leader(item.topic, item.partition);
      if (leader < 0) {
        const code = this.metadata.topicError(item.topic);
        if (code !== undefined) return this.fail(topicError(code, item.topic));
        this.metadata.requestUpdate();
        waitFor(this.metadata.timeToUpdate(now));
        return;
      }
      const list = to.get(leader);
      if (list === undefined) to.set(leader, [item]);
      else list.push(item);
    };
    this.lookups = this.lookups.filter((l) => l.inFlight || !this.orphaned(l));
    // A partition may appear once per ListOffsets request (brokers reject duplicates): a second
    // lookup for it waits for the next round.
    const looking = new Set(this.lookups.filter((l) => l.inFlight).map((l) => key(l.topic, l.partition)));
    for (const lookup of this.lookups) {
      const k = key(lookup.topic, lookup.partition);
      if (lookup.inFlight || looking.has(k)) continue;
      if (lookup.retryAtMs > now) waitFor(lookup.retryAtMs - now);
      else {
        looking.add(k);
        route(lookup, lookupsFor);
      }
    }
    if (this.queuedBytes < this.config.fetchMaxBytes) {
      const states = [...this.states.values()];
      const first = this.rotation++ % Math.max(1, states.length);
      for (const state of [...states.slice(first), ...states.slice(0, first)]) {
        if (state.position === null || state.fetching) continue;
        if (state.retryAtMs > now) waitFor(state.retryAtMs - now);
        else route(state, fetchesFor);
      }
    }
    if (this.failure !== null) return;
    for (const leader of new Set([...lookupsFor.keys(), ...fetchesFor.keys()])) {
      const address = this.metadata.broker(leader);
      if (address === undefined) continue;
      const conn = this.connections.get(address);
      if (conn === undefined) {
        if (this.connections.canConnect(address, now)) this.connect(address);
        else waitFor(this.connections.backoffLeft(address, now));
        continue;
      }
      const lookups = lookupsFor.get(leader);
      if (lookups !== undefined) this.sendListOffsets(conn, address, lookups);
      const fetches = fetchesFor.get(leader);
      if (fetches !== undefined && !this.fetchingFrom.has(leader)) this.sendFetch(leader, conn, address, fetches);
    }
    if (delay !== Infinity) this.timer = setTimeout(() => this.run(), delay);
  }

  private connect(address: BrokerAddress): void {
    this.connections.connect(address).then(
      () => this.wakeup(),
      (err: Error) => {
        this.config.log?.(`could not connect to ${formatBroker(address)}: ${err.message}`);
        this.metadata.requestUpdate();
        this.wakeup();
      },
    );
  }

  private backoff(): number {
    return Date.now() + this.config.retryBackoffMs;
  }

  private sendListOffsets(conn: RawKafkaConnection, address: BrokerAddress, lookups: Lookup[]): void {
    for (const lookup of lookups) lookup.inFlight = true;
    listOffsets(rawListOffsetsTarget(conn), this.config.readCommitted, lookups).then(
      (answers) => {
        for (const answer of answers) this.handleOffset(answer);
        this.lookups = this.lookups.filter((l) => !l.settled);
        this.notify();
        this.wakeup();
      },
      (err: Error) => {
        if (conn.failed) {
          this.config.log?.(`ListOffsets to ${formatBroker(address)} failed: ${err.message}`);
          this.metadata.requestUpdate();
          for (const lookup of lookups) Object.assign(lookup, { inFlight: false, retryAtMs: this.backoff() });
          this.wakeup();
        } else this.fail(err instanceof ProtocolError ? new ConsumerError(`bad ListOffsets response: ${err.message}`) : err);
      },
    );
  }

  private handleOffset({ query: lookup, errorCode, offset }: OffsetAnswer<Lookup>): void {
    lookup.inFlight = false;
    if (this.orphaned(lookup)) {
      lookup.settled = true;
      return;
    }
    if (errorCode === ErrorCode.NONE) {
      lookup.settled = true;
      lookup.done(offset);
      return;
    }
    if (!isRetriable(errorCode)) return this.fail(partitionError(errorCode, lookup.topic, lookup.partition));
    if (needsMetadata(errorCode)) this.metadata.requestUpdate();
    lookup.retryAtMs = this.backoff();
  }

  private sendFetch(leader: number, conn: RawKafkaConnection, address: BrokerAddress, states: PartitionState[]): void {
    const brokerMax = commonVersion(conn.versions!, ApiKey.Fetch);
    if (brokerMax === undefined || brokerMax < MIN_FETCH_VERSION) {
      return this.fail(
        new ConsumerError(`the broker at ${formatBroker(address)} does not support Fetch v4 or later (record batch format v2)`),
      );
    }
    const targets: FetchTarget[] = states.map((s) => ({
      topic: s.topic,
      topicId: this.metadata.topic(s.topic)?.id ?? ZERO_UUID,
      partition: s.partition,
      offset: s.position!,
    }));
    const version = fetchVersion(brokerMax, targets);
    for (const state of states) state.fetching = true;
    this.fetchingFrom.add(leader);
    const timeoutMs = this.config.requestTimeoutMs + this.config.fetchMaxWaitMs;
    const timer = setTimeout(() => conn.close(new Error(`no Fetch response within ${timeoutMs} ms`)), timeoutMs);
    const finished = (): void => {
      clearTimeout(timer);
      this.fetchingFrom.delete(leader);
      for (const state of states) state.fetching = false;
    };
    conn.request(ApiKey.Fetch, version, fetchRequest(this.config, targets)).then(
      (response) => {
        finished();
        this.handleFetch(response, targets, version);
        this.wakeup();
      },
      (err: Error) => {
        finished();
        if (this.closed) return;
        if (conn.failed) {
          this.config.log?.(`Fetch from ${formatBroker(address)} failed: ${err.message}`);
          this.metadata.requestUpdate();
          for (const state of states) state.retryAtMs = this.backoff();
          this.wakeup();
        } else this.fail(err instanceof ProtocolError ? new ConsumerError(`bad Fetch response: ${err.message}`) : err);
      },
    );
  }

  private handleFetch(response: FetchResponse, targets: readonly FetchTarget[], version: number): void {
    if (response.errorCode !== ErrorCode.NONE) {
      const name = errorName(response.errorCode) ?? `error code ${response.errorCode}`;
      if (!isRetriable(response.errorCode)) return this.fail(new ConsumerError(`Fetch failed: ${name}`, response.errorCode));
      for (const t of targets) this.retryLater(t.topic, t.partition);
      return;
    }
    const sent = new Map(targets.map((t) => [key(t.topic, t.partition), t]));
    const names = new Map(targets.map((t) => [t.topicId, t.topic]));
    for (const topicResponse of response.responses) {
      const topic = version >= 13 ? names.get(topicResponse.topicId) : topicResponse.topic;
      if (topic === undefined) continue;
      for (const p of topicResponse.partitions) {
        const k = key(topic, p.partitionIndex);
        const target = sent.get(k);
        const state = this.states.get(k);
        if (target === undefined || state === undefined || state.position !== target.offset) continue;
        if (p.errorCode === ErrorCode.NONE) this.accept(state, target.offset, p);
        else this.partitionFailed(state, p.errorCode);
        if (this.failure !== null) return;
      }
    }
  }

  private accept(state: PartitionState, fetchOffset: bigint, p: FetchResponse['responses'][number]['partitions'][number]): void {
    const records = p.records;
    if (records === null || records.length === 0) return;
    let nextOffset: bigint;
    try {
      nextOffset = nextOffsetAfter(records, fetchOffset);
    } catch (err) {
      const message = `corrupt records in ${state.topic}-${state.partition} at offset ${fetchOffset}: ${(err as Error).message}`;
      return this.fail(new CorruptRecordsError(message, null, { cause: err }));
    }
    // Only a partial batch (the response ran out of room): fetched again, soon first in turn.
    if (nextOffset === fetchOffset) {
      state.retryAtMs = this.backoff();
      return;
    }
    state.position = nextOffset;
    const aborted = this.config.readCommitted ? (p.abortedTransactions ?? []) : null;
    const fetched = new FetchedPartition(state.topic, state.partition, fetchOffset, nextOffset, p.highWatermark, records, {
      checkCrcs: this.config.checkCrcs,
      abortedTransactions: aborted,
    });
    this.queue.push(fetched);
    this.queuedBytes += fetched.size;
    this.notify();
  }

  private partitionFailed(state: PartitionState, code: number): void {
    if (code === ErrorCode.OFFSET_OUT_OF_RANGE) {
      const reset = this.config.autoOffsetReset;
      if (reset === 'none') {
        return this.fail(
          new ConsumerError(`Fetch position ${state.position} is out of range for partition ${state.topic}-${state.partition}`, code),
        );
      }
      this.config.log?.(`offset ${state.position} is out of range for ${state.topic}-${state.partition}: resetting to the ${reset} offset`);
      this.lookUpPosition(state, reset === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP);
      return;
    }
    if (code === ErrorCode.TOPIC_AUTHORIZATION_FAILED) return this.fail(topicError(code, state.topic));
    if (!isRetriable(code) && !needsMetadata(code)) return this.fail(partitionError(code, state.topic, state.partition));
    this.config.log?.(`${errorName(code)} fetching ${state.topic}-${state.partition}: retrying`);
    this.retryLater(state.topic, state.partition, needsMetadata(code));
  }

  private retryLater(topic: string, partition: number, refreshMetadata = false): void {
    if (refreshMetadata) this.metadata.requestUpdate();
    const state = this.states.get(key(topic, partition));
    if (state !== undefined) state.retryAtMs = this.backoff();
  }
}

function topicError(code: number, topic: string): ConsumerError {
  return new ConsumerError(topicErrorText(code, topic), code);
}
