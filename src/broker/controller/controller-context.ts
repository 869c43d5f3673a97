import {
  type BrokerRegistration,
  EPOCH_DURING_DELETE,
  NO_LEADER,
  type PartitionLeadership,
  type RegisteredBroker,
  type ReplicaAssignment,
} from '../zk/zk-data.js';
import { PartitionMap, type PartitionReplica, type TopicPartition } from '../metadata/topic-partition.js';

/** Kafka's PartitionState. */
export type PartitionState = 'NewPartition' | 'OnlinePartition' | 'OfflinePartition' | 'NonExistentPartition';

/** Kafka's ReplicaState. */
export type ReplicaState =
  | 'NewReplica'
  | 'OnlineReplica'
  | 'OfflineReplica'
  | 'ReplicaDeletionStarted'
  | 'ReplicaDeletionSuccessful'
  | 'ReplicaDeletionIneligible'
  | 'NonExistentReplica';

/** The states a partition may move to each state from (Kafka's validPreviousStates). */
export const VALID_PREVIOUS_PARTITION_STATES: Readonly<Record<PartitionState, readonly PartitionState[]>> = {
  NewPartition: ['NonExistentPartition'],
  OnlinePartition: ['NewPartition', 'OnlinePartition', 'OfflinePartition'],
  OfflinePartition: ['NewPartition', 'OnlinePartition', 'OfflinePartition'],
  NonExistentPartition: ['OfflinePartition'],
};

export const VALID_PREVIOUS_REPLICA_STATES: Readonly<Record<ReplicaState, readonly ReplicaState[]>> = {
  NewReplica: ['NonExistentReplica'],
  OnlineReplica: ['NewReplica', 'OnlineReplica', 'OfflineReplica', 'ReplicaDeletionIneligible'],
  OfflineReplica: ['NewReplica', 'OnlineReplica', 'OfflineReplica', 'ReplicaDeletionIneligible'],
  ReplicaDeletionStarted: ['OfflineReplica'],
  ReplicaDeletionSuccessful: ['ReplicaDeletionStarted'],
  ReplicaDeletionIneligible: ['OfflineReplica', 'ReplicaDeletionStarted'],
  NonExistentReplica: ['ReplicaDeletionSuccessful'],
};

/**
 * What the active controller knows of the cluster (Kafka's ControllerContext): live brokers and
 * their epochs, topics, assignments, the leadership of every partition as last written to
 * ZooKeeper, the state machines' states, and topic deletion progress. Rebuilt from ZooKeeper on
 * every failover; only the controller's event queue touches it.
 */
export class ControllerContext {
  /** This controller's epoch and the `/controller_epoch` znode version that fences its writes. */
  epoch = 0;
  epochZkVersion = 0;
  readonly #liveBrokers = new Map<number, RegisteredBroker>();
  /** Brokers in controlled shutdown: registered, but not "live" for elections and the ISR. */
  readonly shuttingDownBrokerIds = new Set<number>();
  readonly allTopics = new Set<string>();
  readonly topicIds = new Map<string, string>();
  readonly assignments = new PartitionMap<ReplicaAssignment>();
  readonly leadership = new PartitionMap<PartitionLeadership>();
  readonly partitionStates = new PartitionMap<PartitionState>();
  readonly replicaStates = new PartitionMap<Map<number, ReplicaState>>();
  /** Replicas a broker reported KAFKA_STORAGE_ERROR for: offline although the broker is up. */
  readonly replicasOnOfflineDirs = new Map<number, PartitionMap<true>>();
  readonly topicsToBeDeleted = new Set<string>();
  readonly topicsWithDeletionStarted = new Set<string>();
  readonly topicsIneligibleForDeletion = new Set<string>();
  /** Partitions whose reassignment (adding or removing replicas) is not complete yet. */
  readonly partitionsBeingReassigned = new PartitionMap<true>();

  reset(): void {
    this.#liveBrokers.clear();
    this.shuttingDownBrokerIds.clear();
    this.allTopics.clear();
    this.topicIds.clear();
    this.assignments.clear();
    this.leadership.clear();
    this.partitionStates.clear();
    this.replicaStates.clear();
    this.replicasOnOfflineDirs.clear();
    this.topicsToBeDeleted.clear();
    this.topicsWithDeletionStarted.clear();
    this.topicsIneligibleForDeletion.clear();
    this.partitionsBeingReassigned.clear();
    this.epoch = 0;
    this.epochZkVersion = 0;
  }

  // ---- Brokers ----

  setLiveBrokers(brokers: readonly RegisteredBroker[]): void {
    this.#liveBrokers.clear();
    this.addLiveBrokers(brokers);
  }

  addLiveBrokers(brokers: readonly RegisteredBroker[]): void {
    for (const b of brokers) this.#liveBrokers.set(b.registration.id, b);
  }

  removeLiveBrokers(ids: Iterable<number>): void {
    for (const id of ids) this.#liveBrokers.delete(id);
  }

  updateBrokerRegistration(registration: BrokerRegistration): void {
    const current = this.#liveBrokers.get(registration.id);
    if (current) this.#liveBrokers.set(registration.id, { ...current, registration });
  }

  /** Registered brokers, shutting-down ones included, by id. */
  liveOrShuttingDownBrokers(): RegisteredBroker[] {
    return [...this.#liveBrokers.values()].sort((a, b) => a.registration.id - b.registration.id);
  }

  liveOrShuttingDownBroker(id: number): RegisteredBroker | undefined {
    return this.#liveBrokers.get(id);
  }

  liveOrShuttingDownBrokerIds(): number[] {
    return [...this.#liveBrokers.keys()].sort((a, b) => a - b);
  }

  /** Registered brokers not in controlled shutdown. */
  liveBrokerIds(): number[] {
    return this.liveOrShuttingDownBrokerIds().filter((id) => !this.shuttingDownBrokerIds.has(id));
  }

  brokerEpoch(id: number): bigint | undefined {
    return this.#liveBrokers.get(id)?.epoch;
  }

  /** A replica is online when its broker is live (or shutting down, if asked) and its log dir is not offline. */
  isReplicaOnline(brokerId: number, tp: TopicPartition, includeShuttingDown = false): boolean {
    const brokerOnline = this.#liveBrokers.has(brokerId) && (includeShuttingDown || !this.shuttingDownBrokerIds.has(brokerId));
    return brokerOnline && !(this.replicasOnOfflineDirs.get(brokerId)?.has(tp) ?? false);
  }

  // ---- Topics and assignments ----

  setAllTopics(topics: Iterable<string>): void {
    this.allTopics.clear();
    for (const t of topics) this.allTopics.add(t);
  }

  /** Forgets a topic entirely (deleted, or gone from ZooKeeper). */
  removeTopic(topic: string): void {
    this.allTopics.delete(topic);
    this.topicIds.delete(topic);
    this.assignments.deleteTopic(topic);
    this.leadership.deleteTopic(topic);
    this.partitionStates.deleteTopic(topic);
    this.replicaStates.deleteTopic(topic);
    for (const offline of this.replicasOnOfflineDirs.values()) offline.deleteTopic(topic);
    this.topicsToBeDeleted.delete(topic);
    this.topicsWithDeletionStarted.delete(topic);
    this.topicsIneligibleForDeletion.delete(topic);
    this.partitionsBeingReassigned.deleteTopic(topic);
  }

  replicas(tp: TopicPartition): readonly number[] {
    return this.assignments.get(tp)?.replicas ?? [];
  }

  allPartitions(): TopicPartition[] {
    return [...this.assignments.keys()];
  }

  partitionsForTopic(topic: string): TopicPartition[] {
    return [...this.assignments.ofTopic(topic).keys()].map((partition) => ({ topic, partition }));
  }

  replicasForPartitions(partitions: readonly TopicPartition[]): PartitionReplica[] {
    return partitions.flatMap((tp) => this.replicas(tp).map((replica) => ({ ...tp, replica })));
  }

  replicasForTopic(topic: string): PartitionReplica[] {
    return this.replicasForPartitions(this.partitionsForTopic(topic));
  }

  replicasOnBrokers(brokerIds: ReadonlySet<number>): PartitionReplica[] {
    const result: PartitionReplica[] = [];
    for (const [tp, assignment] of this.assignments.entries()) {
      for (const replica of assignment.replicas) if (brokerIds.has(replica)) result.push({ ...tp, replica });
    }
    return result;
  }

  partitionsOnBroker(brokerId: number): TopicPartition[] {
    return this.replicasOnBrokers(new Set([brokerId])).map(({ topic, partition }) => ({ topic, partition }));
  }

  partitionLeadersOnBroker(brokerId: number): TopicPartition[] {
    return [...this.leadership.entries()]
      .filter(([tp, l]) => l.leaderAndIsr.leader === brokerId && !this.isTopicQueuedUpForDeletion(tp.topic))
      .map(([tp]) => tp);
  }

  partitionsWithLeaders(): TopicPartition[] {
    return [...this.leadership.keys()].filter((tp) => !this.isTopicQueuedUpForDeletion(tp.topic));
  }

  /** Partitions whose leader is no longer online (not those of topics being deleted). */
  partitionsWithOfflineLeader(): TopicPartition[] {
    return [...this.leadership.entries()]
      .filter(([tp, l]) => !this.isReplicaOnline(l.leaderAndIsr.leader, tp) && !this.isTopicQueuedUpForDeletion(tp.topic))
      .map(([tp]) => tp);
  }

  /** The leader epoch StopReplica carries: -2 while the topic is being deleted, -1 without a leader. */
  leaderEpoch(tp: TopicPartition): number {
    if (this.isTopicQueuedUpForDeletion(tp.topic)) return EPOCH_DURING_DELETE;
    return this.leadership.get(tp)?.leaderAndIsr.leaderEpoch ?? NO_LEADER;
  }

  // ---- State machines ----

  partitionState(tp: TopicPartition): PartitionState {
    return this.partitionStates.get(tp) ?? 'NonExistentPartition';
  }

  partitionsInStates(states: readonly PartitionState[], topic?: string): TopicPartition[] {
    const candidates = topic === undefined ? this.partitionStates.entries() : this.#topicStates(topic);
    return [...candidates].filter(([, s]) => states.includes(s)).map(([tp]) => tp);
  }

  *#topicStates(topic: string): IterableIterator<[TopicPartition, PartitionState]> {
    for (const [partition, state] of this.partitionStates.ofTopic(topic)) yield [{ topic, partition }, state];
  }

  replicaState(r: PartitionReplica): ReplicaState {
    return this.replicaStates.get(r)?.get(r.replica) ?? 'NonExistentReplica';
  }

  putReplicaState(r: PartitionReplica, state: ReplicaState): void {
    let states = this.replicaStates.get(r);
    if (!states) this.replicaStates.set(r, (states = new Map()));
    states.set(r.replica, state);
  }

  removeReplicaState(r: PartitionReplica): void {
    const states = this.replicaStates.get(r);
    states?.delete(r.replica);
    if (states?.size === 0) this.replicaStates.delete(r);
  }

  replicasInState(topic: string, state: ReplicaState): PartitionReplica[] {
    const result: PartitionReplica[] = [];
    for (const [partition, states] of this.replicaStates.ofTopic(topic)) {
      for (const [replica, s] of states) if (s === state) result.push({ topic, partition, replica });
    }
    return result;
  }

  isAnyReplicaInState(topic: string, state: ReplicaState): boolean {
    return this.replicasInState(topic, state).length > 0;
  }

  areAllReplicasInState(topic: string, state: ReplicaState): boolean {
    return this.replicasForTopic(topic).every((r) => this.replicaState(r) === state);
  }

  // ---- Topic deletion ----

  isTopicQueuedUpForDeletion(topic: string): boolean {
    return this.topicsToBeDeleted.has(topic);
  }

  isTopicDeletionInProgress(topic: string): boolean {
    return this.topicsWithDeletionStarted.has(topic);
  }
}
