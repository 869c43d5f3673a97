import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ErrorName } from '../../protocol/errors.js';
import type { LeaderAndIsrRequest, LeaderAndIsrRequestLeaderAndIsrPartitionState } from '../../protocol/generated/apis/leader-and-isr.js';
import type { StopReplicaRequest } from '../../protocol/generated/apis/stop-replica.js';
import type {
  UpdateMetadataRequest,
  UpdateMetadataRequestUpdateMetadataPartitionState,
} from '../../protocol/generated/apis/update-metadata.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { LiveBroker, MetadataCache } from '../metadata/metadata-cache.js';
import type { PartitionState, TopicRecord } from '../metadata/topic-record.js';
import type { ReplicaManager } from '../partition/replica-manager.js';
import type { ReplicaFetcherManager } from './replica-fetcher-manager.js';

/** Kafka's LeaderAndIsr.LeaderDuringDelete: UpdateMetadata's mark of a partition being deleted. */
const LEADER_DURING_DELETE = -2;
/** StopReplica's leader epoch for a topic being deleted (EpochDuringDelete), or -1 (no epoch). */
const EPOCH_DURING_DELETE = -2;
const NO_EPOCH = -1;

/** The active controller as ZooKeeper says it is. */
export interface ControllerIdentity {
  readonly brokerId: number;
  readonly epoch: number;
}

/** What the broker side needs of the ZooKeeper side. */
export interface ClusterSession {
  /** This broker's epoch: the czxid of its registration znode. */
  brokerEpoch(): bigint;
  /** The controller as last seen (watch); undefined when there is none. */
  controller(): ControllerIdentity | undefined;
  /** Reads `/controller` and `/controller_epoch` now. */
  refreshController(): Promise<ControllerIdentity | undefined>;
  /** The topic's config overrides from `/config/topics/<topic>`. */
  topicConfigs(topic: string): Promise<Record<string, string>>;
}

export interface PartitionOutcome {
  topic: string;
  topicId: string;
  partition: number;
  error: ErrorName;
}

/** Each partition's error, or one error for the whole request. */
export type ControlOutcome = { error: ErrorName } | { error: 'NONE'; partitions: PartitionOutcome[] };

/**
 * The broker side of the controller's requests (Kafka's ReplicaManager.becomeLeaderOrFollower,
 * stopReplicas and maybeUpdateMetadataCache): every request is checked against the controller
 * ZooKeeper names and its epochs (§3 of the reference) before anything is applied, then partitions
 * become leaders or followers (fetchers started and stopped to match), stop, or the metadata cache
 * takes the new cluster state.
 */
export class ControlledReplicas {
  #controllerEpoch = -1;

  constructor(
    private readonly options: {
      localBrokerId: number;
      session: ClusterSession;
      replicaManager: ReplicaManager;
      fetchers: ReplicaFetcherManager;
      metadata: MetadataCache;
      /** Topic configs known to this broker (from ZooKeeper), by topic name. */
      topicConfigs: Map<string, Record<string, string>>;
      /** A partition became leader (true) or follower (false) here: coordinators load or unload. */
      onLeadershipChange(topic: string, partition: number, isLeader: boolean, leaderEpoch: number): void;
      log(level: 'info' | 'warn', message: string): void;
    },
  ) {}

  /** The epoch of the last controller whose request was applied. */
  get controllerEpoch(): number {
    return this.#controllerEpoch;
  }

  async leaderAndIsr(request: LeaderAndIsrRequest, version: number): Promise<ControlOutcome> {
    const refused = await this.#check(request);
    if (refused) return { error: refused };
    const states =
      version < 2
        ? request.ungroupedPartitionStates.map((p) => ({ topicId: ZERO_UUID, state: p }))
        : request.topicStates.flatMap((t) =>
            t.partitionStates.map((p) => ({ topicId: t.topicId, state: { ...p, topicName: t.topicName } })),
          );
    const partitions: PartitionOutcome[] = [];
    for (const { topicId, state } of states) {
      // Creating a log is synchronous file work; between partitions the ZooKeeper session's pings and
      // other clients get their turn (Kafka does this on request threads, its ZooKeeper client on its own).
      await nextTurn();
      const outcome = (error: ErrorName): PartitionOutcome => ({ topic: state.topicName, topicId, partition: state.partitionIndex, error });
      try {
        partitions.push(outcome(await this.#becomeLeaderOrFollower(state, topicId)));
      } catch (err) {
        this.options.log('warn', `LeaderAndIsr for ${state.topicName}-${state.partitionIndex} failed: ${(err as Error).message}`);
        partitions.push(outcome('KAFKA_STORAGE_ERROR'));
      }
    }
    return { error: 'NONE', partitions };
  }

  async updateMetadata(request: UpdateMetadataRequest, version: number): Promise<ControlOutcome> {
    const refused = await this.#check(request);
    if (refused) return { error: refused };
    const states =
      version < 5
        ? request.ungroupedPartitionStates.map((p) => ({ topicId: ZERO_UUID, state: p }))
        : request.topicStates.flatMap((t) =>
            t.partitionStates.map((p) => ({ topicId: t.topicId, state: { ...p, topicName: t.topicName } })),
          );
    this.#applyPartitionStates(states);
    const brokers: LiveBroker[] = request.liveBrokers.map((b) => ({
      id: b.id,
      rack: b.rack,
      endpoints:
        version === 0
          ? [{ listenerName: 'PLAINTEXT', host: b.v0Host, port: b.v0Port }]
          : b.endpoints.map((e) => ({ listenerName: e.listener.toUpperCase() || 'PLAINTEXT', host: e.host, port: e.port })),
    }));
    this.options.metadata.setBrokers(brokers, request.controllerId);
    return { error: 'NONE', partitions: [] };
  }

  async stopReplica(request: StopReplicaRequest, version: number): Promise<ControlOutcome> {
    const refused = await this.#check(request);
    if (refused) return { error: refused };
    const wanted =
      version === 0
        ? request.ungroupedPartitions.map((p) => ({
            topic: p.topicName,
            partition: p.partitionIndex,
            leaderEpoch: NO_EPOCH,
            delete: request.deletePartitions,
          }))
        : version <= 2
          ? request.topics.flatMap((t) =>
              t.partitionIndexes.map((partition) => ({
                topic: t.name,
                partition,
                leaderEpoch: NO_EPOCH,
                delete: request.deletePartitions,
              })),
            )
          : request.topicStates.flatMap((t) =>
              t.partitionStates.map((p) => ({
                topic: t.topicName,
                partition: p.partitionIndex,
                leaderEpoch: p.leaderEpoch,
                delete: p.deletePartition,
              })),
            );
    const partitions: PartitionOutcome[] = wanted.map(({ topic, partition: index, leaderEpoch, delete: deleteLog }) => {
      const outcome = (error: ErrorName): PartitionOutcome => ({ topic, topicId: ZERO_UUID, partition: index, error });
      const partition = this.options.replicaManager.partition(topic, index);
      if (!partition) {
        // Unknown here: nothing to stop; a log left on disk of a deleted topic still goes.
        if (deleteLog) this.options.replicaManager.stopReplica({ topic, partition: index }, true);
        return outcome('NONE');
      }
      if (leaderEpoch !== EPOCH_DURING_DELETE && leaderEpoch !== NO_EPOCH && leaderEpoch < partition.leaderEpoch) {
        return outcome('FENCED_LEADER_EPOCH');
      }
      this.options.fetchers.remove(partition);
      if (partition.isLeader) this.options.onLeadershipChange(topic, index, false, partition.leaderEpoch);
      this.options.replicaManager.stopReplica({ topic, partition: index }, deleteLog);
      return outcome('NONE');
    });
    return { error: 'NONE', partitions };
  }

  /**
   * Section 3's checks (the replication reference): a controller epoch older than the last applied is STALE_CONTROLLER_EPOCH, a broker
   * epoch older than ours STALE_BROKER_EPOCH. A request that does not come from the controller
   * ZooKeeper names (id and epoch, re-read when they differ from the last seen) is refused too:
   * without an authorizer, Kafka would apply anyone's.
   */
  async #check(request: { controllerId: number; controllerEpoch: number; brokerEpoch: bigint }): Promise<ErrorName | undefined> {
    if (request.controllerEpoch < this.#controllerEpoch) return 'STALE_CONTROLLER_EPOCH';
    if (request.brokerEpoch !== -1n && request.brokerEpoch < this.options.session.brokerEpoch()) return 'STALE_BROKER_EPOCH';
    const known = this.options.session.controller();
    const matches = (c: ControllerIdentity | undefined) => c?.brokerId === request.controllerId && c.epoch === request.controllerEpoch;
    if (!matches(known) && !matches(await this.options.session.refreshController())) {
      this.options.log(
        'warn',
        `Refused a request claiming controller ${request.controllerId} at epoch ${request.controllerEpoch}: ZooKeeper names another`,
      );
      return 'STALE_CONTROLLER_EPOCH';
    }
    this.#controllerEpoch = request.controllerEpoch;
    return undefined;
  }

  async #becomeLeaderOrFollower(state: LeaderAndIsrRequestLeaderAndIsrPartitionState, topicId: string): Promise<ErrorName> {
    const local = this.options.localBrokerId;
    const { topicName, partitionIndex } = state;
    const existing = this.options.replicaManager.partition(topicName, partitionIndex);
    // Kafka's HostedPartition.Offline, before any epoch: the controller learns the replica is offline.
    if (existing?.log.offline) return 'KAFKA_STORAGE_ERROR';
    if (existing && state.leaderEpoch <= existing.leaderEpoch) {
      // An equal epoch only repeats what is known (Kafka answers STALE_CONTROLLER_EPOCH for it too).
      return 'STALE_CONTROLLER_EPOCH';
    }
    if (!state.replicas.includes(local)) return 'UNKNOWN_TOPIC_OR_PARTITION';
    const topic = await this.#topicRecord(topicName, topicId);
    if (topic.topicId !== topicId && topicId !== ZERO_UUID) return 'INCONSISTENT_TOPIC_ID';
    // Read before the change: `existing` is the partition the change is applied to.
    const wasLeader = existing?.isLeader ?? false;
    const role = this.options.replicaManager.becomeLeaderOrFollower(
      topic,
      partitionIndex,
      {
        replicas: state.replicas,
        leader: state.leader,
        leaderEpoch: state.leaderEpoch,
        isr: state.isr,
        partitionEpoch: state.partitionEpoch,
      },
      state.isNew,
    );
    const partition = this.options.replicaManager.partition(topicName, partitionIndex)!;
    if (role !== undefined && wasLeader !== (role === 'leader')) {
      this.options.onLeadershipChange(topicName, partitionIndex, role === 'leader', state.leaderEpoch);
    }
    if (role === 'leader') this.options.fetchers.remove(partition);
    else if (role === 'follower') {
      if (state.leader >= 0) {
        this.options.fetchers.add(state.leader, { partition, topicId: topic.topicId, leaderEpoch: state.leaderEpoch });
      } else this.options.fetchers.remove(partition);
    }
    return 'NONE';
  }

  /** The topic as the replica manager opens it: id from the request (or the cache), configs from ZooKeeper. */
  async #topicRecord(name: string, topicId: string): Promise<TopicRecord> {
    const cached = this.options.metadata.topic(name);
    let configs = this.options.topicConfigs.get(name);
    if (configs === undefined) {
      configs = await this.options.session.topicConfigs(name);
      this.options.topicConfigs.set(name, configs);
    }
    return {
      name,
      topicId: topicId !== ZERO_UUID ? topicId : (cached?.topicId ?? ZERO_UUID),
      partitions: cached?.partitions ?? [],
      configs,
    };
  }

  /** Merges UpdateMetadata's partition states into the cache; a partition with leader -2 is being deleted and goes. */
  #applyPartitionStates(states: readonly { topicId: string; state: UpdateMetadataRequestUpdateMetadataPartitionState }[]): void {
    const metadata = this.options.metadata;
    const byTopic = new Map<string, { topicId: string; states: UpdateMetadataRequestUpdateMetadataPartitionState[] }>();
    for (const { topicId, state } of states) {
      let entry = byTopic.get(state.topicName);
      if (!entry) byTopic.set(state.topicName, (entry = { topicId, states: [] }));
      entry.states.push(state);
    }
    for (const [name, { topicId, states: topicStates }] of byTopic) {
      const current = metadata.topic(name);
      const partitions = new Map<number, PartitionState>((current?.partitions ?? []).map((p) => [p.partition, p]));
      for (const s of topicStates) {
        if (s.leader === LEADER_DURING_DELETE) partitions.delete(s.partitionIndex);
        else {
          partitions.set(s.partitionIndex, {
            partition: s.partitionIndex,
            replicas: s.replicas,
            leader: s.leader,
            leaderEpoch: s.leaderEpoch,
            isr: s.isr,
            offlineReplicas: s.offlineReplicas,
          });
        }
      }
      if (partitions.size === 0) {
        metadata.remove(name);
        this.options.topicConfigs.delete(name);
        continue;
      }
      metadata.put({
        name,
        topicId: topicId !== ZERO_UUID ? topicId : (current?.topicId ?? ZERO_UUID),
        partitions: [...partitions.values()].sort((a, b) => a.partition - b.partition),
        configs: this.options.topicConfigs.get(name) ?? current?.configs ?? {},
      });
    }
  }
}
