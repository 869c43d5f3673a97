import { ErrorCode, errorName } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultFetchRequest,
  defaultFetchRequestFetchPartition,
  type FetchRequest,
  type FetchResponse,
  type FetchResponsePartitionData,
} from '../../protocol/generated/apis/fetch.js';
import { defaultListOffsetsRequest, defaultListOffsetsRequestListOffsetsPartition } from '../../protocol/generated/apis/list-offsets.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { FetchSessionHandler, type SessionFetch, type SessionPartition } from '../../client/fetch-session-handler.js';
import { topicPartitionKey } from '../log/log-file-names.js';
import { UNDEFINED_EPOCH } from '../partition/leader-epoch-cache.js';
import type { Partition } from '../partition/partition.js';
import type { BrokerLink } from './broker-link.js';
import { isThrottledReplica, type RateQuota } from './replication-quota.js';
import { WakeableSleep } from './wakeable-sleep.js';

/** Fetch v17 as Kafka 3.9 sends it between brokers (v12+ carries LastFetchedEpoch, v15+ the replica state). */
const FETCH_VERSION = 17;
const TOPIC_IDS_VERSION = 13;
const REPLICA_STATE_VERSION = 15;
/** Top-level Fetch errors about the session alone: the next fetch opens a new one. */
const SESSION_ERRORS = new Set<number>([
  ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
  ErrorCode.INVALID_FETCH_SESSION_EPOCH,
  ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR,
]);
const LATEST = -1n;
const EARLIEST = -2n;

/** A partition this fetcher copies, as it was when assigned (a newer LeaderAndIsr replaces it). */
export interface FetchedPartition {
  readonly partition: Partition;
  readonly topicId: string;
  /** The leader epoch under which it was assigned: answers for an older one are dropped. */
  readonly leaderEpoch: number;
}

/** A partition as one fetch asks for it. */
interface SentPartition extends SessionPartition {
  readonly fetched: FetchedPartition;
}

export interface FetcherSettings {
  localBrokerId: number;
  brokerEpoch(): bigint;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitionMaxBytes: number;
  backoffMs: number;
  /** `follower.replication.throttled.rate`, for the replicas `follower.replication.throttled.replicas` lists. */
  quota: RateQuota;
}

export interface ReplicaFetcherOptions {
  leaderId: number;
  /** Opens a connection to the leader (its inter-broker listener); rejects when it cannot. */
  connect(leaderId: number): Promise<BrokerLink>;
  settings(): FetcherSettings;
  log(level: 'info' | 'warn', message: string): void;
}

/**
 * Copies the partitions this broker follows from one leader (Kafka's ReplicaFetcherThread): one
 * Fetch at a time with each partition's log end as the offset and its last epoch (KIP-320), the
 * records appended as the leader wrote them, the follower's high watermark = min(leader's, own log
 * end). A diverging epoch truncates the tail the leader never had; a fetch below the leader's log
 * start restarts the log there; a partition the leader refuses waits `replica.fetch.backoff.ms`.
 */
export class ReplicaFetcher {
  readonly leaderId: number;
  readonly #options: ReplicaFetcherOptions;
  readonly #partitions = new Map<string, FetchedPartition>();
  readonly #delayedUntil = new Map<string, number>();
  /** Partitions whose last fetch left them behind the leader's high watermark (Kafka's fetch state lag > 0). */
  readonly #lagging = new Set<string>();
  /** The incremental fetch session with the leader (KIP-227), as Kafka's follower keeps one. */
  readonly #session = new FetchSessionHandler((topic, partition) => topicPartitionKey({ topic, partition }));
  #link: BrokerLink | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  readonly #pause = new WakeableSleep();
  /** The failure last logged: a leader that stays down is reported once, not every backoff. */
  #failure: string | undefined;

  constructor(options: ReplicaFetcherOptions) {
    this.leaderId = options.leaderId;
    this.#options = options;
  }

  get size(): number {
    return this.#partitions.size;
  }

  add(fetched: FetchedPartition): void {
    const key = topicPartitionKey(fetched.partition.topicPartition);
    this.#partitions.set(key, fetched);
    this.#delayedUntil.delete(key);
    // Kafka's fetch state starts without a lag, which counts as out of sync until a fetch says otherwise.
    this.#lagging.add(key);
    this.#running ??= this.#run();
    this.#pause.wake();
  }

  remove(partition: Partition): void {
    const key = topicPartitionKey(partition.topicPartition);
    this.#partitions.delete(key);
    this.#delayedUntil.delete(key);
    this.#lagging.delete(key);
  }

  /** Stops after the fetch in flight (its answer is dropped) and closes the connection. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#partitions.clear();
    this.#link?.close();
    this.#pause.wake();
    await this.#running;
  }

  async #run(): Promise<void> {
    try {
      await this.#loop();
    } finally {
      // A connection opened while stop() ran is closed here, so nothing outlives the fetcher.
      this.#link?.close();
      this.#link = undefined;
    }
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      const settings = this.#options.settings();
      const ready = this.#ready(settings);
      if (ready.size === 0) {
        await this.#pause.sleep(this.#partitions.size === 0 ? 60_000 : settings.backoffMs);
        continue;
      }
      try {
        this.#link = this.#link && !this.#link.failed ? this.#link : await this.#options.connect(this.leaderId);
        await this.#fetchOnce(this.#link, ready, settings);
        if (this.#failure !== undefined) this.#options.log('info', `Fetching from broker ${this.leaderId} again`);
        this.#failure = undefined;
      } catch (err) {
        if (this.#stopped) return;
        this.#link?.close();
        this.#link = undefined;
        const message = (err as Error).message;
        if (message !== this.#failure) {
          this.#options.log('warn', `Error in fetch from broker ${this.leaderId}: ${message}; retrying every ${settings.backoffMs} ms`);
        }
        this.#failure = message;
        await this.#pause.sleep(settings.backoffMs);
      }
    }
  }

  /** Partitions not backing off, and not held back by the follower quota (Kafka's shouldFollowerThrottle), by key. */
  #ready(settings: FetcherSettings): Map<string, FetchedPartition> {
    const now = Date.now();
    const exceeded = settings.quota.isExceeded();
    const ready = new Map<string, FetchedPartition>();
    this.#partitions.forEach((p, key) => {
      if ((this.#delayedUntil.get(key) ?? 0) <= now && !(exceeded && this.#throttled(key, p.partition, settings))) ready.set(key, p);
    });
    return ready;
  }

  /** An out-of-sync replica the topic's `follower.replication.throttled.replicas` lists. */
  #throttled(key: string, partition: Partition, settings: FetcherSettings): boolean {
    return (
      this.#lagging.has(key) &&
      isThrottledReplica(
        partition.log.config['follower.replication.throttled.replicas'],
        partition.topicPartition.partition,
        settings.localBrokerId,
      )
    );
  }

  async #fetchOnce(link: BrokerLink, ready: ReadonlyMap<string, FetchedPartition>, settings: FetcherSettings): Promise<void> {
    const version = link.versionOf(ApiKey.Fetch, FETCH_VERSION);
    if (version === undefined) throw new Error(`broker ${this.leaderId} serves no Fetch version kts speaks`);
    const usesTopicIds = version >= TOPIC_IDS_VERSION;
    // Built field by field, twice a second for every partition: V8 makes `{ ...x, more }` many times larger.
    const sent = new Map<string, SentPartition>();
    ready.forEach((fetched, key) => {
      const { partition } = fetched;
      sent.set(key, {
        topic: partition.topicPartition.topic,
        partition: partition.topicPartition.partition,
        topicId: usesTopicIds ? fetched.topicId : ZERO_UUID,
        fetchOffset: partition.log.logEndOffset,
        logStartOffset: partition.log.logStartOffset,
        currentLeaderEpoch: fetched.leaderEpoch,
        lastFetchedEpoch: partition.latestEpoch,
        partitionMaxBytes: settings.partitionMaxBytes,
        fetched,
      });
    });
    const session = this.#session.build(sent);
    let response: FetchResponse;
    try {
      response = await link.request(ApiKey.Fetch, this.#request(session, version, settings), version);
    } catch (err) {
      this.#session.handleError();
      throw err;
    }
    if (this.#stopped) return;
    if (!this.#session.handleResponse(response, usesTopicIds)) {
      // A session the leader lost or refused: the next fetch opens a new one, at once.
      if (SESSION_ERRORS.has(response.errorCode)) return;
      const error =
        response.errorCode === ErrorCode.NONE ? 'partitions it was not asked for' : (errorName(response.errorCode) ?? response.errorCode);
      throw new Error(`fetch failed with ${error}`);
    }
    // An incremental answer names only the partitions with news (none at all while idle).
    const names =
      usesTopicIds && response.responses.length > 0
        ? new Map([...ready.values()].map((f) => [f.topicId, f.partition.topicPartition.topic]))
        : undefined;
    for (const topic of response.responses) {
      const name = names?.get(topic.topicId) ?? topic.topic;
      for (const data of topic.partitions) {
        const key = topicPartitionKey({ topic: name, partition: data.partitionIndex });
        const s = sent.get(key);
        if (!s) continue;
        const { partition, leaderEpoch } = s.fetched;
        const current = this.#partitions.get(key);
        // Reassigned meanwhile, or the log moved under the request: this answer no longer applies.
        if (current?.partition !== partition || current.leaderEpoch !== leaderEpoch || partition.log.logEndOffset !== s.fetchOffset)
          continue;
        await this.#apply(link, partition, data, settings);
      }
    }
  }

  #request(session: SessionFetch, version: number, settings: FetcherSettings): FetchRequest {
    const usesTopicIds = version >= TOPIC_IDS_VERSION;
    const topics: FetchRequest['topics'] = [];
    for (const p of session.toSend) {
      const last = topics.at(-1);
      const partition = {
        ...defaultFetchRequestFetchPartition(),
        partition: p.partition,
        currentLeaderEpoch: p.currentLeaderEpoch,
        fetchOffset: p.fetchOffset,
        lastFetchedEpoch: p.lastFetchedEpoch,
        logStartOffset: p.logStartOffset,
        partitionMaxBytes: p.partitionMaxBytes,
      };
      if (last?.topic === p.topic) last.partitions.push(partition);
      else topics.push({ topic: p.topic, topicId: p.topicId, partitions: [partition] });
    }
    // A replaced partition (its topic created again) is forgotten under its old id; by name it is simply sent again.
    const forgotten = usesTopicIds ? [...session.toForget, ...session.toReplace] : session.toForget;
    const forgottenTopicsData: FetchRequest['forgottenTopicsData'] = [];
    for (const p of forgotten) {
      const last = forgottenTopicsData.at(-1);
      if (last?.topic === p.topic && last.topicId === p.topicId) last.partitions.push(p.partition);
      else forgottenTopicsData.push({ topic: p.topic, topicId: p.topicId, partitions: [p.partition] });
    }
    const replica = settings.localBrokerId;
    return {
      ...defaultFetchRequest(),
      ...(version >= REPLICA_STATE_VERSION
        ? { replicaState: { replicaId: replica, replicaEpoch: settings.brokerEpoch() } }
        : { replicaId: replica }),
      maxWaitMs: settings.maxWaitMs,
      minBytes: settings.minBytes,
      maxBytes: settings.maxBytes,
      sessionId: session.sessionId,
      sessionEpoch: session.sessionEpoch,
      topics,
      forgottenTopicsData,
    };
  }

  async #apply(link: BrokerLink, partition: Partition, data: FetchResponsePartitionData, settings: FetcherSettings): Promise<void> {
    const key = topicPartitionKey(partition.topicPartition);
    const name = errorName(data.errorCode) ?? String(data.errorCode);
    if (data.errorCode === ErrorCode.NONE) {
      if (data.divergingEpoch.epoch >= 0 || data.divergingEpoch.endOffset >= 0n) {
        this.#truncateOnDivergence(partition, data.divergingEpoch.epoch, data.divergingEpoch.endOffset);
        return;
      }
      const records = data.records ?? EMPTY;
      if (this.#throttled(key, partition, settings)) settings.quota.record(records.length);
      partition.appendAsFollower(records);
      partition.maybeIncrementLogStartOffset(data.logStartOffset);
      partition.updateFollowerHighWatermark(data.highWatermark);
      if (partition.log.logEndOffset < data.highWatermark) this.#lagging.add(key);
      else this.#lagging.delete(key);
      return;
    }
    if (data.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
      await this.#resetOutOfRange(link, partition);
      return;
    }
    // NOT_LEADER_OR_FOLLOWER, FENCED/UNKNOWN_LEADER_EPOCH, UNKNOWN_TOPIC_*: metadata is moving; a new
    // LeaderAndIsr reassigns the partition. Until then, ask again after the backoff.
    this.#delayedUntil.set(key, Date.now() + settings.backoffMs);
    if (data.errorCode !== ErrorCode.NOT_LEADER_OR_FOLLOWER && data.errorCode !== ErrorCode.FENCED_LEADER_EPOCH) {
      this.#options.log('info', `Fetch of ${key} from broker ${this.leaderId} answered ${name}; retrying in ${settings.backoffMs} ms`);
    }
  }

  /**
   * Kafka's getOffsetTruncationState for the leader's (epoch, end offset): our own end of that epoch
   * decides; when our log has no such epoch, truncate to our end of the newest epoch below it, and
   * the next fetch (with that epoch as the last fetched) narrows it further.
   */
  #truncateOnDivergence(partition: Partition, leaderEpoch: number, leaderEndOffset: bigint): void {
    const logEnd = partition.log.logEndOffset;
    let target: bigint;
    if (leaderEpoch === UNDEFINED_EPOCH) target = min(leaderEndOffset, logEnd);
    else {
      const local = partition.endOffsetForEpoch(leaderEpoch);
      if (local.endOffset < 0n) target = min(leaderEndOffset, logEnd);
      else if (local.leaderEpoch !== leaderEpoch) target = min(local.endOffset, logEnd);
      else target = min(min(leaderEndOffset, local.endOffset), logEnd);
    }
    if (target < 0n) target = 0n;
    const name = topicPartitionKey(partition.topicPartition);
    this.#options.log(
      'info',
      `Truncating ${name} from ${logEnd} to ${target}: its log diverged from leader ${this.leaderId}'s at epoch ${leaderEpoch}`,
    );
    partition.truncateTo(target);
  }

  /**
   * OFFSET_OUT_OF_RANGE: the leader's log start passed our log end (truncate fully and restart
   * there), or our log end is past the leader's (truncate to it).
   */
  async #resetOutOfRange(link: BrokerLink, partition: Partition): Promise<void> {
    const leaderEnd = await this.#leaderOffset(link, partition, LATEST);
    const logEnd = partition.log.logEndOffset;
    const name = topicPartitionKey(partition.topicPartition);
    if (leaderEnd < logEnd) {
      this.#options.log('warn', `Truncating ${name} from ${logEnd} to the leader's log end ${leaderEnd}`);
      partition.truncateTo(leaderEnd);
      return;
    }
    const leaderStart = await this.#leaderOffset(link, partition, EARLIEST);
    if (logEnd < leaderStart) {
      this.#options.log('warn', `Restarting ${name} at the leader's log start ${leaderStart}: its log end ${logEnd} is below it`);
      partition.truncateFullyAndStartAt(leaderStart);
    }
  }

  async #leaderOffset(link: BrokerLink, partition: Partition, timestamp: bigint): Promise<bigint> {
    const version = link.versionOf(ApiKey.ListOffsets);
    if (version === undefined) throw new Error(`broker ${this.leaderId} serves no ListOffsets version kts speaks`);
    const { topic, partition: index } = partition.topicPartition;
    const response = await link.request(
      ApiKey.ListOffsets,
      {
        ...defaultListOffsetsRequest(),
        replicaId: this.#options.settings().localBrokerId,
        topics: [
          {
            name: topic,
            partitions: [
              {
                ...defaultListOffsetsRequestListOffsetsPartition(),
                partitionIndex: index,
                currentLeaderEpoch: partition.leaderEpoch,
                timestamp,
              },
            ],
          },
        ],
      },
      version,
    );
    const answer = response.topics[0]?.partitions[0];
    if (!answer || answer.errorCode !== ErrorCode.NONE) {
      throw new Error(
        `ListOffsets for ${topic}-${index} failed with ${answer ? (errorName(answer.errorCode) ?? answer.errorCode) : 'no answer'}`,
      );
    }
    return version === 0 ? (answer.oldStyleOffsets[0] ?? 0n) : answer.offset;
  }
}

const EMPTY = Buffer.alloc(0);

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
