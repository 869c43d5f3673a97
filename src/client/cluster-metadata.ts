import { ErrorCode } from '../protocol/errors.js';
import type { MetadataRequest, MetadataResponse } from '../protocol/generated/apis/metadata.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';
import type { BrokerAddress } from './bootstrap.js';

/** A topic as clients route requests for it. */
export interface TopicMetadata {
  readonly name: string;
  /** ZERO_UUID from brokers older than Metadata v10. */
  readonly id: string;
  readonly count: number;
  /** Partitions with a known leader. */
  readonly available: readonly number[];
  /** Leader broker id per partition; -1 while a partition has none. */
  readonly leaders: Int32Array;
}

/** Errors after which a partition's leader may have moved (Kafka's InvalidMetadataException family). */
export const STALE_METADATA: ReadonlySet<number> = new Set([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.FENCED_LEADER_EPOCH,
  ErrorCode.UNKNOWN_LEADER_EPOCH,
  ErrorCode.REPLICA_NOT_AVAILABLE,
]);

/** Topic errors a metadata retry cannot fix: requests for the topic fail at once. */
const FATAL_TOPIC_ERRORS: ReadonlySet<number> = new Set([ErrorCode.INVALID_TOPIC_EXCEPTION, ErrorCode.TOPIC_AUTHORIZATION_FAILED]);

/**
 * A client's view of the cluster: brokers and, for the topics it uses, partition leaders. It
 * asks for an update when a topic is new or unknown, a leader is missing or moved (the caller
 * reports NOT_LEADER_OR_FOLLOWER and friends), and every metadata.max.age.ms. The Java producer
 * always asks with allowAutoTopicCreation (brokers with auto.create.topics.enable create topics
 * on first use); the consumer does when allow.auto.create.topics is true.
 */
export class ClusterMetadata {
  private readonly brokers = new Map<number, BrokerAddress>();
  private readonly topics = new Map<string, TopicMetadata>();
  private readonly fatal = new Map<string, number>();
  private readonly wanted = new Set<string>();
  private updateRequested = true;
  private lastRefreshMs = 0;
  private lastAttemptMs = -Infinity;
  /** Counts the updates applied: what `topic()` answers is unchanged while it is. */
  #version = 0;

  constructor(
    private readonly maxAgeMs: number,
    private readonly retryBackoffMs: number,
    private readonly allowAutoTopicCreation: boolean,
  ) {}

  /** Starts tracking `topic`; unknown topics trigger an update. */
  want(topic: string): void {
    if (this.wanted.has(topic)) return;
    this.wanted.add(topic);
    this.updateRequested = true;
    // A new topic is asked for at once; the backoff only spaces attempts that came back short.
    this.lastAttemptMs = -Infinity;
  }

  requestUpdate(): void {
    this.updateRequested = true;
  }

  /** Milliseconds until an update is due (0: now), spacing failed or unfinished ones by retry.backoff.ms. */
  timeToUpdate(nowMs: number): number {
    if (this.updateRequested) return Math.max(0, this.lastAttemptMs + this.retryBackoffMs - nowMs);
    return Math.max(0, this.lastRefreshMs + this.maxAgeMs - nowMs);
  }

  /** The request for an update, noting the attempt. */
  request(nowMs: number): MetadataRequest {
    this.lastAttemptMs = nowMs;
    return {
      topics: [...this.wanted].map((name) => ({ topicId: ZERO_UUID, name })),
      allowAutoTopicCreation: this.allowAutoTopicCreation,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    };
  }

  get version(): number {
    return this.#version;
  }

  update(response: MetadataResponse, nowMs: number): void {
    this.#version++;
    this.brokers.clear();
    for (const b of response.brokers) this.brokers.set(b.nodeId, { host: b.host, port: b.port });
    this.updateRequested = false;
    this.lastRefreshMs = nowMs;
    for (const t of response.topics) {
      if (t.name === null || !this.wanted.has(t.name)) continue;
      if (FATAL_TOPIC_ERRORS.has(t.errorCode)) {
        this.fatal.set(t.name, t.errorCode);
        this.topics.delete(t.name);
        continue;
      }
      this.fatal.delete(t.name);
      // Unknown (auto-creation off or not done yet) or leaderless: ask again after the backoff.
      if (t.errorCode !== ErrorCode.NONE || t.partitions.length === 0) {
        this.updateRequested = true;
        continue;
      }
      const count = t.partitions.reduce((max, p) => Math.max(max, p.partitionIndex + 1), 0);
      const leaders = new Int32Array(count).fill(-1);
      for (const p of t.partitions) {
        if (p.leaderId >= 0 && this.brokers.has(p.leaderId)) leaders[p.partitionIndex] = p.leaderId;
      }
      const available: number[] = [];
      for (let i = 0; i < count; i++) if (leaders[i]! >= 0) available.push(i);
      if (available.length < count) this.updateRequested = true;
      this.topics.set(t.name, { name: t.name, id: t.topicId, count, leaders, available });
    }
    for (const name of this.wanted) {
      if (!this.topics.has(name) && !this.fatal.has(name)) this.updateRequested = true;
    }
  }

  topic(name: string): TopicMetadata | undefined {
    return this.topics.get(name);
  }

  /** The error code that makes every record for `name` fail, if the cluster gave one. */
  topicError(name: string): number | undefined {
    return this.fatal.get(name);
  }

  leader(topic: string, partition: number): number {
    return this.topics.get(topic)?.leaders[partition] ?? -1;
  }

  broker(id: number): BrokerAddress | undefined {
    return this.brokers.get(id);
  }

  /** Known brokers, to ask for metadata when no connection is open. */
  knownBrokers(): BrokerAddress[] {
    return [...this.brokers.values()];
  }
}
