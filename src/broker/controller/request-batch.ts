import type { LeaderAndIsrRequestLeaderAndIsrPartitionState, LeaderAndIsrResponse } from '../../protocol/generated/apis/leader-and-isr.js';
import type { StopReplicaRequestStopReplicaPartitionState } from '../../protocol/generated/apis/stop-replica.js';
import type {
  UpdateMetadataRequestUpdateMetadataBroker,
  UpdateMetadataRequestUpdateMetadataPartitionState,
  UpdateMetadataResponse,
} from '../../protocol/generated/apis/update-metadata.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { groupBy } from '../../util/group-by.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { LEADER_DURING_DELETE, type PartitionLeadership, type ReplicaAssignment } from '../zk/zk-data.js';
import type { ControllerChannel } from './controller-channel.js';
import type { ControllerContext } from './controller-context.js';
import { PartitionMap, type TopicPartition } from '../metadata/topic-partition.js';

/** Kafka's SecurityProtocol ids, as UpdateMetadata carries them. */
const SECURITY_PROTOCOL_IDS: Readonly<Record<string, number>> = { PLAINTEXT: 0, SSL: 1, SASL_PLAINTEXT: 2, SASL_SSL: 3 };

/** What the controller does with brokers' answers (as events on its queue). */
export interface BatchResponseHandlers {
  leaderAndIsr(brokerId: number, response: LeaderAndIsrResponse): void;
  updateMetadata(brokerId: number, response: UpdateMetadataResponse): void;
  /** Only for partitions of topics whose deletion has started, and only those the request asked to delete. */
  topicDeletionStopReplica(brokerId: number, requestError: number, partitionErrors: PartitionMap<number>): void;
}

/**
 * The requests one controller event sends (Kafka's ControllerBrokerRequestBatch): state changes
 * add LeaderAndIsr partition states per broker, partitions to put in UpdateMetadata, and
 * StopReplica partitions per broker; `send` then queues, per broker, one LeaderAndIsr, then
 * UpdateMetadata, then StopReplica. Every partition in a LeaderAndIsr also goes to every live
 * broker in UpdateMetadata.
 */
export class RequestBatch {
  readonly #leaderAndIsr = new Map<number, PartitionMap<LeaderAndIsrRequestLeaderAndIsrPartitionState>>();
  readonly #stopReplica = new Map<number, PartitionMap<StopReplicaRequestStopReplicaPartitionState>>();
  readonly #updateMetadataBrokers = new Set<number>();
  readonly #updateMetadataPartitions = new PartitionMap<UpdateMetadataRequestUpdateMetadataPartitionState>();

  constructor(
    private readonly controllerId: number,
    /** The inter-broker listener: LeaderAndIsr names the leaders' endpoints on it. */
    private readonly listenerName: string,
    private readonly context: ControllerContext,
    private readonly channel: () => ControllerChannel,
    private readonly handlers: BatchResponseHandlers,
  ) {}

  /** Leftovers of a failed event are dropped: the next event starts from a clean batch. */
  newBatch(): void {
    this.clear();
  }

  clear(): void {
    this.#leaderAndIsr.clear();
    this.#stopReplica.clear();
    this.#updateMetadataBrokers.clear();
    this.#updateMetadataPartitions.clear();
  }

  addLeaderAndIsr(
    brokerIds: readonly number[],
    tp: TopicPartition,
    leadership: PartitionLeadership,
    assignment: ReplicaAssignment,
    isNew: boolean,
  ): void {
    const { leaderAndIsr } = leadership;
    for (const brokerId of brokerIds) {
      if (brokerId < 0) continue;
      let states = this.#leaderAndIsr.get(brokerId);
      if (!states) this.#leaderAndIsr.set(brokerId, (states = new PartitionMap()));
      states.set(tp, {
        topicName: tp.topic,
        partitionIndex: tp.partition,
        controllerEpoch: leadership.controllerEpoch,
        leader: leaderAndIsr.leader,
        leaderEpoch: leaderAndIsr.leaderEpoch,
        isr: [...leaderAndIsr.isr],
        partitionEpoch: leaderAndIsr.partitionEpoch,
        replicas: [...assignment.replicas],
        addingReplicas: [...assignment.addingReplicas],
        removingReplicas: [...assignment.removingReplicas],
        // Once new in this batch, new: a later state of the same partition must not make the broker skip creating it.
        isNew: isNew || (states.get(tp)?.isNew ?? false),
        leaderRecoveryState: leaderAndIsr.leaderRecoveryState,
      });
    }
    this.addUpdateMetadata(this.context.liveOrShuttingDownBrokerIds(), [tp]);
  }

  addStopReplica(brokerIds: readonly number[], tp: TopicPartition, deletePartition: boolean): void {
    const leaderEpoch = this.context.leaderEpoch(tp);
    for (const brokerId of brokerIds) {
      if (brokerId < 0) continue;
      let states = this.#stopReplica.get(brokerId);
      if (!states) this.#stopReplica.set(brokerId, (states = new PartitionMap()));
      const alreadyDelete = states.get(tp)?.deletePartition ?? false;
      states.set(tp, { partitionIndex: tp.partition, leaderEpoch, deletePartition: alreadyDelete || deletePartition });
    }
  }

  /** UpdateMetadata to `brokerIds` with these partitions' current state (those without a leader yet are left out). */
  addUpdateMetadata(brokerIds: readonly number[], partitions: readonly TopicPartition[] = []): void {
    for (const id of brokerIds) if (id >= 0) this.#updateMetadataBrokers.add(id);
    for (const tp of partitions) {
      const leadership = this.context.leadership.get(tp);
      if (!leadership) continue;
      const beingDeleted = this.context.isTopicQueuedUpForDeletion(tp.topic);
      const replicas = this.context.replicas(tp);
      const { leaderAndIsr } = leadership;
      this.#updateMetadataPartitions.set(tp, {
        topicName: tp.topic,
        partitionIndex: tp.partition,
        controllerEpoch: leadership.controllerEpoch,
        // A topic being deleted is announced as Kafka's LeaderAndIsr.duringDelete: leader -2, epochs 0, so brokers stop serving it.
        leader: beingDeleted ? LEADER_DURING_DELETE : leaderAndIsr.leader,
        leaderEpoch: beingDeleted ? 0 : leaderAndIsr.leaderEpoch,
        isr: [...leaderAndIsr.isr],
        zkVersion: beingDeleted ? 0 : leaderAndIsr.partitionEpoch,
        replicas: [...replicas],
        offlineReplicas: replicas.filter((id) => !this.context.isReplicaOnline(id, tp)),
      });
    }
  }

  /** Queues the batch on the channel: per broker LeaderAndIsr, then UpdateMetadata, then StopReplica. */
  send(): void {
    try {
      this.#sendLeaderAndIsr();
      this.#sendUpdateMetadata();
      this.#sendStopReplica();
    } finally {
      this.clear();
    }
  }

  #sendLeaderAndIsr(): void {
    const { context } = this;
    for (const [brokerId, states] of this.#leaderAndIsr) {
      const epoch = context.brokerEpoch(brokerId);
      if (epoch === undefined) continue;
      const byTopic = groupBy(states.values(), (state) => state.topicName);
      const leaderIds = new Set([...states.values()].map((state) => state.leader));
      const liveLeaders = context
        .liveOrShuttingDownBrokers()
        .filter((b) => leaderIds.has(b.registration.id))
        .flatMap((b) => {
          const endpoint = b.registration.endpoints.find((e) => e.listenerName === this.listenerName);
          return endpoint ? [{ brokerId: b.registration.id, hostName: endpoint.host, port: endpoint.port }] : [];
        });
      this.channel().send(
        brokerId,
        ApiKey.LeaderAndIsr,
        {
          controllerId: this.controllerId,
          isKRaftController: false,
          controllerEpoch: context.epoch,
          brokerEpoch: epoch,
          type: 0,
          ungroupedPartitionStates: [],
          topicStates: [...byTopic].map(([topicName, partitionStates]) => ({
            topicName,
            topicId: context.topicIds.get(topicName) ?? ZERO_UUID,
            partitionStates,
          })),
          liveLeaders,
        },
        (response) => this.handlers.leaderAndIsr(brokerId, response),
      );
    }
  }

  #sendUpdateMetadata(): void {
    const { context } = this;
    if (this.#updateMetadataBrokers.size === 0) return;
    const byTopic = groupBy(this.#updateMetadataPartitions.values(), (state) => state.topicName);
    const topicStates = [...byTopic].map(([topicName, partitionStates]) => ({
      topicName,
      topicId: context.topicIds.get(topicName) ?? ZERO_UUID,
      partitionStates,
    }));
    const liveBrokers: UpdateMetadataRequestUpdateMetadataBroker[] = context.liveOrShuttingDownBrokers().map(({ registration }) => ({
      id: registration.id,
      v0Host: '',
      v0Port: 0,
      endpoints: registration.endpoints.map((e) => ({
        host: e.host,
        port: e.port,
        listener: e.listenerName,
        securityProtocol: SECURITY_PROTOCOL_IDS[e.securityProtocol] ?? 0,
      })),
      rack: registration.rack,
    }));
    for (const brokerId of this.#updateMetadataBrokers) {
      const epoch = context.brokerEpoch(brokerId);
      if (epoch === undefined) continue;
      this.channel().send(
        brokerId,
        ApiKey.UpdateMetadata,
        {
          controllerId: this.controllerId,
          isKRaftController: false,
          type: 0,
          controllerEpoch: context.epoch,
          brokerEpoch: epoch,
          ungroupedPartitionStates: [],
          topicStates,
          liveBrokers,
        },
        (response) => this.handlers.updateMetadata(brokerId, response),
      );
    }
  }

  #sendStopReplica(): void {
    const { context } = this;
    for (const [brokerId, states] of this.#stopReplica) {
      const epoch = context.brokerEpoch(brokerId);
      if (epoch === undefined) continue;
      const byTopic = groupBy(states.entries(), ([tp]) => tp.topic);
      this.channel().send(
        brokerId,
        ApiKey.StopReplica,
        {
          controllerId: this.controllerId,
          isKRaftController: false,
          controllerEpoch: context.epoch,
          brokerEpoch: epoch,
          deletePartitions: false,
          ungroupedPartitions: [],
          topics: [],
          topicStates: [...byTopic].map(([topicName, entries]) => ({ topicName, partitionStates: entries.map(([, state]) => state) })),
        },
        (response) => {
          const errors = new PartitionMap<number>();
          for (const e of response.partitionErrors) {
            const tp = { topic: e.topicName, partition: e.partitionIndex };
            if (context.isTopicDeletionInProgress(e.topicName) && states.get(tp)?.deletePartition) errors.set(tp, e.errorCode);
          }
          if ([...errors.keys()].length > 0) this.handlers.topicDeletionStopReplica(brokerId, response.errorCode, errors);
        },
      );
    }
  }
}
