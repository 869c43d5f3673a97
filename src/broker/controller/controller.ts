import { ErrorCode } from '../../protocol/errors.js';
import type {
  AlterPartitionRequest,
  AlterPartitionResponse,
  AlterPartitionResponsePartitionData,
} from '../../protocol/generated/apis/alter-partition.js';
import type { LeaderAndIsrResponse } from '../../protocol/generated/apis/leader-and-isr.js';
import { randomUuid, ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { groupBy } from '../../util/group-by.js';
import type { BrokerLogger } from '../broker-logger.js';
import { ControllerMovedError, type KafkaZkClient } from '../zk/kafka-zk-client.js';
import {
  BROKER_IDS_PATH,
  BROKER_TOPICS_PATH,
  brokerIdPath,
  CONTROLLER_PATH,
  DELETE_TOPICS_PATH,
  decodeLogDirEvent,
  type LeaderAndIsr,
  LOG_DIR_EVENT_NOTIFICATION_PATH,
  type LeaderRecoveryStateValue,
  PREFERRED_REPLICA_ELECTION_PATH,
  REASSIGN_PARTITIONS_PATH,
  type ReplicaAssignment,
  topicPath,
} from '../zk/zk-data.js';
import type { InterBrokerSecurity } from '../security/listener-security.js';
import { ControllerChannel } from './controller-channel.js';
import { ControllerContext } from './controller-context.js';
import { ControllerEventQueue } from './controller-event-queue.js';
import { type PartitionError, PartitionReassignments } from './partition-reassignments.js';
import { PartitionStateMachine } from './partition-state-machine.js';
import { isBeingReassigned, targetReplicas } from './reassignment.js';
import { type ElectionOutcome, type ElectionType, ReplicaElections } from './replica-elections.js';
import { ReplicaStateMachine } from './replica-state-machine.js';
import { RequestBatch } from './request-batch.js';
import { TopicDeletionManager } from './topic-deletion.js';
import { formatPartition, PartitionMap, type PartitionReplica, type TopicPartition } from '../metadata/topic-partition.js';
import { alterPartitionError } from './alter-partition-checks.js';

/** The settings the controller reads, each time it needs them (dynamic configs may change some). */
export interface ControllerConfig {
  readonly deleteTopicEnable: boolean;
  /** The broker-wide `unclean.leader.election.enable`, for topics without an override. */
  readonly uncleanLeaderElectionEnable: boolean;
  /** `controller.socket.timeout.ms`. */
  readonly socketTimeoutMs: number;
  /** `auto.leader.rebalance.enable`, `leader.imbalance.check.interval.seconds`, `leader.imbalance.per.broker.percentage`. */
  readonly autoLeaderRebalanceEnable: boolean;
  readonly leaderImbalanceCheckIntervalSeconds: number;
  readonly leaderImbalancePerBrokerPercentage: number;
}

/** Kafka's first auto-rebalance check after a failover: 5 s. */
const FIRST_REBALANCE_CHECK_MS = 5000;

export interface ControllerOptions {
  brokerId: number;
  zk: KafkaZkClient;
  /** The listener brokers are reached on (`inter.broker.listener.name`, else `security.inter.broker.protocol`). */
  interBrokerListenerName: string;
  /** How to connect and log in there. */
  interBrokerSecurity: InterBrokerSecurity;
  config: () => ControllerConfig;
  log: BrokerLogger;
}

/** An event dropped unprocessed: the queue was cleared (session expiry) or closed (shutdown). */
class QueueClosedError extends Error {
  constructor(event: string) {
    super(`the controller dropped ${event}`);
    this.name = 'QueueClosedError';
  }
}

/** What ControlledShutdown answers: an error code, or the partitions the broker still leads. */
export interface ControlledShutdownResult {
  readonly errorCode: number;
  readonly remainingPartitions: readonly TopicPartition[];
}

/**
 * Kafka's ZooKeeper-mode controller (KafkaController). Every broker runs one: all compete for
 * `/controller`; the winner reads the cluster from ZooKeeper, watches brokers, topics and
 * deletions, elects partition leaders and tells brokers with LeaderAndIsr / UpdateMetadata /
 * StopReplica. Everything it does runs as events on one queue. It never touches the local
 * broker's partitions: its own broker gets its requests over a socket like any other.
 *
 * Reassignments (PartitionReassignments) and preferred or unclean leader elections
 * (ReplicaElections: ElectLeaders, `/admin/preferred_replica_election`, the auto-rebalance task)
 * are more events driving the same state machines with the 'reassign' and 'preferred' strategies.
 */
export class Controller {
  readonly #options: ControllerOptions;
  readonly #queue: ControllerEventQueue;
  readonly #context = new ControllerContext();
  readonly #batch: RequestBatch;
  readonly #partitionStateMachine: PartitionStateMachine;
  readonly #replicaStateMachine: ReplicaStateMachine;
  readonly #deletion: TopicDeletionManager;
  readonly #reassignments: PartitionReassignments;
  readonly #elections: ReplicaElections;
  #channel: ControllerChannel;
  #rebalanceTimer: NodeJS.Timeout | undefined;
  #activeControllerId = -1;
  /** Topics whose assignment znode this controller watches. */
  readonly #watchedTopics = new Set<string>();
  readonly #watchedBrokers = new Set<number>();

  constructor(options: ControllerOptions) {
    this.#options = options;
    const { brokerId, zk, log } = options;
    this.#queue = new ControllerEventQueue(log);
    this.#channel = this.#newChannel();
    this.#batch = new RequestBatch(brokerId, options.interBrokerListenerName, this.#context, () => this.#channel, {
      leaderAndIsr: (broker, response) =>
        this.#put('LeaderAndIsrResponseReceived', () => this.#processLeaderAndIsrResponse(broker, response)),
      updateMetadata: (broker, response) => {
        if (response.errorCode !== ErrorCode.NONE)
          log('warn', `Controller ${brokerId}: UpdateMetadata to broker ${broker} failed with error ${response.errorCode}`);
      },
      topicDeletionStopReplica: (broker, requestError, errors) =>
        this.#put('TopicDeletionStopReplicaResponseReceived', () =>
          this.#processTopicDeletionStopReplicaResponse(broker, requestError, errors),
        ),
    });
    const deps = { controllerId: brokerId, context: this.#context, zk, batch: this.#batch, log };
    this.#partitionStateMachine = new PartitionStateMachine({ ...deps, uncleanLeaderElectionEnabled: (t) => this.#uncleanEnabled(t) });
    this.#replicaStateMachine = new ReplicaStateMachine(deps);
    this.#deletion = new TopicDeletionManager(this.#context, this.#replicaStateMachine, this.#partitionStateMachine, {
      deleteTopicEnabled: () => options.config().deleteTopicEnable,
      deleteTopic: (topic) => zk.deleteTopic(topic, this.#context.epochZkVersion),
      deleteTopicDeletions: (topics) => zk.deleteTopicDeletions(topics, this.#context.epochZkVersion),
      mutePartitionModifications: (topic) => this.#unwatchTopic(topic),
      sendMetadataUpdate: (partitions) => this.#sendUpdateMetadata(this.#context.liveOrShuttingDownBrokerIds(), partitions),
    });
    const machines = {
      partitionStateMachine: this.#partitionStateMachine,
      replicaStateMachine: this.#replicaStateMachine,
      deletion: this.#deletion,
    };
    this.#reassignments = new PartitionReassignments({
      ...deps,
      ...machines,
      sendUpdateMetadata: (brokers, partitions) => this.#sendUpdateMetadata(brokers, partitions),
      requeueZkReassignment: () => this.#put('ZkPartitionReassignment', () => this.#processZkPartitionReassignment()),
    });
    this.#elections = new ReplicaElections({
      ...deps,
      ...machines,
      imbalancePerBrokerPercentage: () => options.config().leaderImbalancePerBrokerPercentage,
      requeueZkElection: () => this.#put('ReplicaLeaderElection', () => this.#processZkPreferredElection()),
    });
  }

  /** The broker id of the active controller as this broker last saw it; -1 when none. */
  get activeControllerId(): number {
    return this.#activeControllerId;
  }

  get isActive(): boolean {
    return this.#activeControllerId === this.#options.brokerId;
  }

  /** This controller's epoch while active. */
  get epoch(): number {
    return this.#context.epoch;
  }

  /** Watches `/controller` and competes for it. */
  startup(): void {
    const { zk } = this.#options;
    zk.registerNodeChangeHandler(CONTROLLER_PATH, (event) => {
      if (event.type === 'deleted') this.#put('Reelect', () => this.#reelect());
      else this.#put('ControllerChange', () => this.#maybeResign());
    });
    this.#put('Startup', async () => {
      await zk.getControllerId(true);
      await this.#elect();
    });
  }

  /**
   * The ZooKeeper session expired (Kafka's beforeInitializingSession): queued events are
   * dropped and the controller resigns. Resolves once it has.
   */
  sessionExpired(): Promise<void> {
    return this.#queue.clearAndPut({
      name: 'Expire',
      process: async () => {
        const wasActive = this.isActive;
        this.#activeControllerId = -1;
        if (wasActive) this.#onResignation();
      },
    });
  }

  /** After a new session: `register` re-registers the broker, then the controller competes again. */
  registerAndReelect(register: () => Promise<void>): Promise<void> {
    return this.#call('RegisterBrokerAndReelect', async () => {
      await register();
      await this.#reelect();
    });
  }

  /** A topic's unclean.leader.election.enable became true: retry its offline partitions. */
  enableTopicUncleanLeaderElection(topic: string): void {
    if (!this.isActive) return;
    this.#put('TopicUncleanLeaderElectionEnable', async () => {
      if (this.isActive) await this.#partitionStateMachine.triggerOnlinePartitionStateChange(topic);
    });
  }

  /** The broker default became true: retry every offline partition. */
  enableUncleanLeaderElection(): void {
    this.#put('UncleanLeaderElectionEnable', async () => {
      if (this.isActive) await this.#partitionStateMachine.triggerOnlinePartitionStateChange();
    });
  }

  /** AlterPartition (ISR changes from leaders), answered once processed (Kafka's processAlterPartition). */
  alterPartition(request: AlterPartitionRequest, version: number): Promise<AlterPartitionResponse> {
    const answer = (errorCode: number): AlterPartitionResponse => ({ throttleTimeMs: 0, errorCode, topics: [] });
    return this.#call('AlterPartitionReceived', () => this.#processAlterPartition(request, version)).catch((err: unknown) =>
      answer(
        err instanceof ControllerMovedError || err instanceof QueueClosedError ? ErrorCode.NOT_CONTROLLER : ErrorCode.UNKNOWN_SERVER_ERROR,
      ),
    );
  }

  /** ControlledShutdown from a broker about to stop (Kafka's doControlledShutdown). */
  controlledShutdown(brokerId: number, brokerEpoch: bigint): Promise<ControlledShutdownResult> {
    return this.#call('ControlledShutdown', () => this.#processControlledShutdown(brokerId, brokerEpoch)).catch((err: unknown) => ({
      errorCode:
        err instanceof ControllerMovedError || err instanceof QueueClosedError
          ? ErrorCode.STALE_CONTROLLER_EPOCH
          : ErrorCode.UNKNOWN_SERVER_ERROR,
      remainingPartitions: [],
    }));
  }

  /**
   * AlterPartitionReassignments: a target replica list per partition, or null to cancel. Not being
   * the controller is NOT_CONTROLLER for the whole request (Kafka's processApiPartitionReassignment).
   */
  alterPartitionReassignments(
    reassignments: PartitionMap<readonly number[] | null>,
  ): Promise<PartitionMap<PartitionError> | PartitionError> {
    return this.#activeOnly('ApiPartitionReassignment', () => this.#reassignments.alter(reassignments));
  }

  /** ListPartitionReassignments: the given partitions (null: all) that are being reassigned. */
  listPartitionReassignments(partitions: readonly TopicPartition[] | null): Promise<PartitionMap<ReplicaAssignment> | PartitionError> {
    return this.#activeOnly('ListPartitionReassignments', async () => this.#reassignments.list(partitions));
  }

  /** ElectLeaders: each partition's (null: every partition's) new leader or why there is none (Kafka's processReplicaLeaderElection for the admin client). */
  electLeaders(partitions: readonly TopicPartition[] | null, type: ElectionType): Promise<PartitionMap<ElectionOutcome> | PartitionError> {
    return this.#activeOnly('ReplicaLeaderElection', () =>
      this.#elections.elect(partitions ?? this.#context.allPartitions(), type, 'admin'),
    );
  }

  /** Stops: resigns if active (without deleting `/controller`: closing the session does). */
  async shutdown(): Promise<void> {
    await this.#queue.close();
    this.#options.zk.unregisterHandler(CONTROLLER_PATH);
    if (this.isActive) this.#onResignation();
    this.#activeControllerId = -1;
  }

  /** Resolves once every event queued so far has been processed (tests). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  // ---- Events ----

  /** An admin request for the active controller: NOT_CONTROLLER when this broker is not (or stops being) it. */
  #activeOnly<T>(name: string, process: () => Promise<T>): Promise<T | PartitionError> {
    const notController: PartitionError = { errorCode: ErrorCode.NOT_CONTROLLER, message: null };
    return this.#call(name, async () => (this.isActive ? process() : notController)).catch((err: unknown) => {
      if (err instanceof ControllerMovedError || err instanceof QueueClosedError) return notController;
      throw err;
    });
  }

  #put(name: string, process: () => Promise<void>): void {
    this.#queue.put({ name, process: () => this.#process(process) });
  }

  /** Queues an event whose caller waits for its result; it rejects with QueueClosedError if dropped unprocessed. */
  #call<T>(name: string, process: () => Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#queue.put({
        name,
        process: () =>
          this.#process(async () => {
            try {
              resolve(await process());
            } catch (err) {
              reject(err);
              throw err;
            }
          }),
        preempt: () => reject(new QueueClosedError(name)),
      });
    });
  }

  /** A fenced write in any event means another controller may have been elected: resign if so (Kafka's process). */
  async #process(process: () => Promise<void>): Promise<void> {
    try {
      await process();
    } catch (err) {
      if (!(err instanceof ControllerMovedError)) throw err;
      this.#options.log('warn', `Controller ${this.#options.brokerId}: ${err.message}; resigning if another broker took over`);
      await this.#maybeResign();
    }
  }

  async #elect(): Promise<void> {
    const { zk, brokerId, log } = this.#options;
    this.#activeControllerId = await zk.getControllerId();
    // Already elected (this broker or another): a watch fired after someone won.
    if (this.#activeControllerId !== -1) return;
    try {
      const { epoch, epochZkVersion } = await zk.registerControllerAndIncrementEpoch(brokerId, Date.now());
      this.#context.epoch = epoch;
      this.#context.epochZkVersion = epochZkVersion;
      this.#activeControllerId = brokerId;
      log(
        'info',
        `${brokerId} successfully elected as the controller. Epoch incremented to ${epoch} and epoch zk version is now ${epochZkVersion}`,
      );
      await this.#onFailover();
    } catch (err) {
      if (err instanceof ControllerMovedError) {
        await this.#maybeResign();
        return;
      }
      log(
        'error',
        `Error while electing or becoming controller on broker ${brokerId}: ${(err as Error).message}. Trigger controller movement immediately`,
      );
      await this.#triggerControllerMove();
    }
  }

  async #maybeResign(): Promise<void> {
    const wasActive = this.isActive;
    this.#activeControllerId = await this.#options.zk.getControllerId(true);
    if (wasActive && !this.isActive) this.#onResignation();
  }

  async #reelect(): Promise<void> {
    await this.#maybeResign();
    await this.#elect();
  }

  /** Resigns and deletes `/controller` so another broker (maybe this one again) takes over. */
  async #triggerControllerMove(): Promise<void> {
    const { zk } = this.#options;
    this.#activeControllerId = await zk.getControllerId();
    if (!this.isActive) return;
    const epochZkVersion = this.#context.epochZkVersion;
    this.#activeControllerId = -1;
    this.#onResignation();
    try {
      await zk.deleteController(epochZkVersion);
    } catch (err) {
      if (!(err instanceof ControllerMovedError)) throw err;
    }
  }

  // ---- Failover and resignation ----

  async #onFailover(): Promise<void> {
    const { zk, log, brokerId } = this.#options;
    const context = this.#context;
    await zk.enableFeatureVersioning();
    zk.registerChildChangeHandler(BROKER_IDS_PATH, () => this.#put('BrokerChange', () => this.#processBrokerChange()));
    zk.registerChildChangeHandler(BROKER_TOPICS_PATH, () => this.#put('TopicChange', () => this.#processTopicChange()));
    zk.registerChildChangeHandler(DELETE_TOPICS_PATH, () => this.#put('TopicDeletion', () => this.#processTopicDeletion()));
    zk.registerChildChangeHandler(LOG_DIR_EVENT_NOTIFICATION_PATH, () =>
      this.#put('LogDirEventNotification', () => this.#processLogDirEvents()),
    );
    zk.registerNodeChangeHandler(REASSIGN_PARTITIONS_PATH, (event) => {
      if (event.type === 'created') this.#put('ZkPartitionReassignment', () => this.#processZkPartitionReassignment());
    });
    zk.registerNodeChangeHandler(PREFERRED_REPLICA_ELECTION_PATH, (event) => {
      if (event.type === 'created') this.#put('ReplicaLeaderElection', () => this.#processZkPreferredElection());
    });
    await zk.deleteControllerNotifications(context.epochZkVersion);
    await this.#initializeContext();
    const toBeDeleted = new Set(await zk.getTopicDeletions(true));
    await this.#deletion.init(toBeDeleted, this.#topicsIneligibleForDeletion());
    // Brokers learn the live brokers before the LeaderAndIsr requests the state machines send.
    this.#sendUpdateMetadata(context.liveOrShuttingDownBrokerIds(), []);
    this.#replicaStateMachine.initialize();
    await this.#replicaStateMachine.startup();
    this.#partitionStateMachine.initialize();
    await this.#partitionStateMachine.triggerOnlinePartitionStateChange();
    await zk.getChildren(LOG_DIR_EVENT_NOTIFICATION_PATH, true);
    await this.#reassignments.initialize();
    log('info', `Controller ${brokerId}: ready to serve as the new controller with epoch ${context.epoch}`);
    await this.#deletion.tryTopicDeletion();
    await this.#elections.elect(null, 'PREFERRED', 'zk');
    if (this.#options.config().autoLeaderRebalanceEnable) this.#scheduleAutoLeaderRebalance(FIRST_REBALANCE_CHECK_MS);
  }

  async #initializeContext(): Promise<void> {
    const { zk } = this.#options;
    const context = this.#context;
    context.setLiveBrokers(await zk.getAllBrokers(true));
    const topics = await zk.getAllTopics(true);
    context.setAllTopics(topics);
    await this.#readNewTopics(topics);
    context.shuttingDownBrokerIds.clear();
    for (const broker of context.liveOrShuttingDownBrokerIds()) await this.#watchBroker(broker);
    const states = await zk.getPartitionStates(context.allPartitions());
    for (const [tp, leadership] of states.entries()) context.leadership.set(tp, leadership);
    for (const [tp, assignment] of context.assignments.entries())
      if (isBeingReassigned(assignment)) context.partitionsBeingReassigned.set(tp, true);
    this.#channel = this.#newChannel();
    for (const broker of context.liveOrShuttingDownBrokers()) this.#channel.addBroker(broker);
  }

  /** Reads the assignments of topics new to the context (watching each), giving ids to those without one. */
  async #readNewTopics(topics: readonly string[]): Promise<TopicPartition[]> {
    const { zk } = this.#options;
    const context = this.#context;
    const added: TopicPartition[] = [];
    for (const topic of topics) {
      this.#watchTopic(topic);
      const assignment = await zk.getTopicAssignment(topic, true);
      if (assignment === null) continue;
      let topicId = assignment.topicId;
      if (topicId === null) {
        // Topics from a Kafka older than 2.8 have none; the controller gives them one, as Kafka's processTopicIds.
        topicId = randomUuid();
        await zk.setTopicAssignment(topic, { ...assignment, topicId }, context.epochZkVersion);
      }
      context.topicIds.set(topic, topicId);
      for (const [partition, replicas] of assignment.partitions) {
        context.assignments.set({ topic, partition }, replicas);
        added.push({ topic, partition });
      }
    }
    return added;
  }

  /** Topics with an offline replica or a reassignment in progress cannot be deleted yet. */
  #topicsIneligibleForDeletion(): Set<string> {
    const context = this.#context;
    const reassigning = new Set([...context.partitionsBeingReassigned.keys()].map((tp) => tp.topic));
    return new Set(
      [...context.allTopics].filter(
        (topic) => reassigning.has(topic) || context.replicasForTopic(topic).some((r) => !context.isReplicaOnline(r.replica, r)),
      ),
    );
  }

  #onResignation(): void {
    const { zk } = this.#options;
    const paths = [BROKER_IDS_PATH, BROKER_TOPICS_PATH, DELETE_TOPICS_PATH, LOG_DIR_EVENT_NOTIFICATION_PATH];
    for (const path of [...paths, REASSIGN_PARTITIONS_PATH, PREFERRED_REPLICA_ELECTION_PATH]) zk.unregisterHandler(path);
    clearTimeout(this.#rebalanceTimer);
    for (const topic of [...this.#watchedTopics]) this.#unwatchTopic(topic);
    for (const broker of [...this.#watchedBrokers]) this.#unwatchBroker(broker);
    this.#batch.clear();
    this.#channel.close();
    this.#context.reset();
    this.#options.log('info', `Controller ${this.#options.brokerId}: resigned`);
  }

  #newChannel(): ControllerChannel {
    const { brokerId, interBrokerListenerName, interBrokerSecurity, config, log } = this.#options;
    return new ControllerChannel({
      controllerId: brokerId,
      listenerName: interBrokerListenerName,
      socketTimeoutMs: config().socketTimeoutMs,
      security: interBrokerSecurity,
      log,
    });
  }

  #watchTopic(topic: string): void {
    this.#watchedTopics.add(topic);
    this.#options.zk.registerNodeChangeHandler(topicPath(topic), (event) => {
      if (event.type === 'dataChanged') this.#put('PartitionModifications', () => this.#processPartitionModifications(topic));
    });
  }

  #unwatchTopic(topic: string): void {
    this.#watchedTopics.delete(topic);
    this.#options.zk.unregisterHandler(topicPath(topic));
  }

  async #watchBroker(id: number): Promise<void> {
    this.#watchedBrokers.add(id);
    this.#options.zk.registerNodeChangeHandler(brokerIdPath(id), (event) => {
      if (event.type === 'dataChanged') this.#put('BrokerModification', () => this.#processBrokerModification(id));
    });
    await this.#options.zk.exists(brokerIdPath(id), true);
  }

  #unwatchBroker(id: number): void {
    this.#watchedBrokers.delete(id);
    this.#options.zk.unregisterHandler(brokerIdPath(id));
  }

  // ---- Brokers ----

  /** Kafka's processBrokerChange: new, dead and bounced (re-registered: larger epoch) brokers. */
  async #processBrokerChange(): Promise<void> {
    if (!this.isActive) return;
    const context = this.#context;
    const current = await this.#options.zk.getAllBrokers(true);
    const known = new Set(context.liveOrShuttingDownBrokerIds());
    const currentIds = new Set(current.map((b) => b.registration.id));
    const added = current.filter((b) => !known.has(b.registration.id));
    const bounced = current.filter((b) => known.has(b.registration.id) && b.epoch > context.brokerEpoch(b.registration.id)!);
    const dead = [...known].filter((id) => !currentIds.has(id)).sort((a, b) => a - b);
    this.#options.log(
      'info',
      `Controller ${this.#options.brokerId}: newly added brokers: ${ids(added)}, deleted brokers: ${dead.join(',')}, bounced brokers: ${ids(bounced)}, all live brokers: ${[...currentIds].sort((a, b) => a - b).join(',')}`,
    );
    for (const b of added) this.#channel.addBroker(b);
    for (const b of bounced) {
      this.#channel.removeBroker(b.registration.id);
      this.#channel.addBroker(b);
    }
    for (const id of dead) this.#channel.removeBroker(id);
    if (added.length > 0) {
      context.addLiveBrokers(added);
      await this.#onBrokerStartup(added.map((b) => b.registration.id));
    }
    if (bounced.length > 0) {
      const bouncedIds = bounced.map((b) => b.registration.id);
      context.removeLiveBrokers(bouncedIds);
      await this.#onBrokerFailure(bouncedIds);
      context.addLiveBrokers(bounced);
      await this.#onBrokerStartup(bouncedIds);
    }
    if (dead.length > 0) {
      context.removeLiveBrokers(dead);
      await this.#onBrokerFailure(dead);
    }
  }

  async #onBrokerStartup(newBrokers: readonly number[]): Promise<void> {
    const context = this.#context;
    for (const id of newBrokers) context.replicasOnOfflineDirs.delete(id);
    const newSet = new Set(newBrokers);
    const existing = context.liveOrShuttingDownBrokerIds().filter((id) => !newSet.has(id));
    this.#sendUpdateMetadata(existing, []);
    this.#sendUpdateMetadata(newBrokers, context.partitionsWithLeaders());
    const replicas = context.replicasOnBrokers(newSet);
    await this.#replicaStateMachine.handleStateChanges(replicas, 'OnlineReplica');
    await this.#partitionStateMachine.triggerOnlinePartitionStateChange();
    await this.#reassignments.resume((_, assignment) => targetReplicas(assignment).some((r) => newSet.has(r)));
    const deleting = replicas.filter((r) => this.#deletion.isTopicQueuedUpForDeletion(r.topic)).map((r) => r.topic);
    if (deleting.length > 0) await this.#deletion.resumeDeletionForTopics(deleting);
    for (const id of newBrokers) await this.#watchBroker(id);
  }

  async #onBrokerFailure(deadBrokers: readonly number[]): Promise<void> {
    const context = this.#context;
    for (const id of deadBrokers) {
      context.replicasOnOfflineDirs.delete(id);
      context.shuttingDownBrokerIds.delete(id);
    }
    await this.#onReplicasBecomeOffline(context.replicasOnBrokers(new Set(deadBrokers)));
    for (const id of deadBrokers) this.#unwatchBroker(id);
  }

  /** Kafka's onReplicasBecomeOffline: their partitions re-elected, their ISR membership removed. */
  async #onReplicasBecomeOffline(replicas: readonly PartitionReplica[]): Promise<void> {
    const context = this.#context;
    const forDeletion = replicas.filter((r) => this.#deletion.isTopicQueuedUpForDeletion(r.topic));
    const notForDeletion = replicas.filter((r) => !this.#deletion.isTopicQueuedUpForDeletion(r.topic));
    await this.#partitionStateMachine.handleStateChanges(context.partitionsWithOfflineLeader(), 'OfflinePartition');
    const results = await this.#partitionStateMachine.triggerOnlinePartitionStateChange();
    await this.#replicaStateMachine.handleStateChanges(notForDeletion, 'OfflineReplica');
    if (forDeletion.length > 0) await this.#deletion.failReplicaDeletion(forDeletion);
    // Nothing re-elected and no ISR changed: brokers still need to learn who is gone.
    if (notForDeletion.length === 0 && [...results.entries()].every(([, r]) => r instanceof Error)) {
      this.#sendUpdateMetadata(context.liveOrShuttingDownBrokerIds(), []);
    }
  }

  async #processBrokerModification(id: number): Promise<void> {
    if (!this.isActive) return;
    const updated = await this.#options.zk.getBroker(id, true);
    const current = this.#context.liveOrShuttingDownBroker(id);
    if (!updated || !current) return;
    if (JSON.stringify(updated.registration.endpoints) === JSON.stringify(current.registration.endpoints)) return;
    this.#context.updateBrokerRegistration(updated.registration);
    this.#sendUpdateMetadata(this.#context.liveOrShuttingDownBrokerIds(), []);
  }

  async #processLogDirEvents(): Promise<void> {
    if (!this.isActive) return;
    const { zk } = this.#options;
    const names = await zk.getChildren(LOG_DIR_EVENT_NOTIFICATION_PATH, true);
    const brokers = new Set<number>();
    for (const name of names) {
      const node = await zk.getData(`${LOG_DIR_EVENT_NOTIFICATION_PATH}/${name}`);
      if (node) brokers.add(decodeLogDirEvent(node.data));
    }
    // LeaderAndIsr to their replicas: those on a failed dir answer KAFKA_STORAGE_ERROR and go offline.
    await this.#replicaStateMachine.handleStateChanges(this.#context.replicasOnBrokers(brokers), 'OnlineReplica');
    await zk.deleteControllerNotifications(this.#context.epochZkVersion);
  }

  async #processLeaderAndIsrResponse(brokerId: number, response: LeaderAndIsrResponse): Promise<void> {
    if (!this.isActive) return;
    if (response.errorCode !== ErrorCode.NONE) {
      this.#options.log(
        'warn',
        `Controller ${this.#options.brokerId}: LeaderAndIsr to broker ${brokerId} failed with error ${response.errorCode}`,
      );
      return;
    }
    const context = this.#context;
    // LeaderAndIsr v7 answers by topic id.
    const names = new Map([...context.topicIds].map(([name, id]) => [id, name]));
    let offline = context.replicasOnOfflineDirs.get(brokerId);
    if (!offline) context.replicasOnOfflineDirs.set(brokerId, (offline = new PartitionMap()));
    const newlyOffline: PartitionReplica[] = [];
    for (const topic of response.topics) {
      const name = names.get(topic.topicId);
      if (name === undefined) continue;
      for (const p of topic.partitionErrors) {
        const tp = { topic: name, partition: p.partitionIndex };
        if (p.errorCode === ErrorCode.KAFKA_STORAGE_ERROR) {
          if (!offline.has(tp)) newlyOffline.push({ ...tp, replica: brokerId });
          offline.set(tp, true);
        } else if (p.errorCode === ErrorCode.NONE) offline.delete(tp);
      }
    }
    if (newlyOffline.length > 0) await this.#onReplicasBecomeOffline(newlyOffline);
  }

  // ---- Topics ----

  async #processTopicChange(): Promise<void> {
    if (!this.isActive) return;
    const context = this.#context;
    const topics = await this.#options.zk.getAllTopics(true);
    const current = new Set(topics);
    const added = topics.filter((t) => !context.allTopics.has(t));
    const deleted = [...context.allTopics].filter((t) => !current.has(t));
    context.setAllTopics(topics);
    for (const topic of deleted) {
      this.#unwatchTopic(topic);
      context.removeTopic(topic);
    }
    const partitions = await this.#readNewTopics(added);
    if (partitions.length > 0) await this.#onNewPartitionCreation(partitions);
  }

  /** A topic's assignment znode changed: partitions added (CreatePartitions). */
  async #processPartitionModifications(topic: string): Promise<void> {
    if (!this.isActive) return;
    const { zk, log, brokerId } = this.#options;
    const context = this.#context;
    const assignment = await zk.getTopicAssignment(topic, true);
    if (assignment === null) return;
    const added = [...assignment.partitions].filter(([partition]) => !context.assignments.has({ topic, partition }));
    if (added.length === 0) return;
    if (this.#deletion.isTopicQueuedUpForDeletion(topic)) {
      // Kafka restores the assignment it knows: partitions are not added to a topic being deleted.
      log('warn', `Controller ${brokerId}: skipping adding partitions to topic ${topic}, which is being deleted`);
      const known = new Map([...assignment.partitions].filter(([p]) => context.assignments.has({ topic, partition: p })));
      await zk.setTopicAssignment(
        topic,
        { topicId: context.topicIds.get(topic) ?? assignment.topicId, partitions: known },
        context.epochZkVersion,
      );
      return;
    }
    for (const [partition, replicas] of added) context.assignments.set({ topic, partition }, replicas);
    await this.#onNewPartitionCreation(added.map(([partition]) => ({ topic, partition })));
  }

  /** New partitions: New, their replicas New, then Online (state znodes, IsNew LeaderAndIsr), replicas Online. */
  async #onNewPartitionCreation(partitions: readonly TopicPartition[]): Promise<void> {
    const replicas = () => this.#context.replicasForPartitions(partitions);
    await this.#partitionStateMachine.handleStateChanges(partitions, 'NewPartition');
    await this.#replicaStateMachine.handleStateChanges(replicas(), 'NewReplica');
    await this.#partitionStateMachine.handleStateChanges(partitions, 'OnlinePartition');
    await this.#replicaStateMachine.handleStateChanges(replicas(), 'OnlineReplica');
  }

  async #processTopicDeletion(): Promise<void> {
    if (!this.isActive) return;
    const { zk, config, log, brokerId } = this.#options;
    const context = this.#context;
    const requested = await zk.getTopicDeletions(true);
    const unknown = requested.filter((t) => !context.allTopics.has(t));
    if (unknown.length > 0) {
      log('warn', `Controller ${brokerId}: ignoring request to delete non-existing topics ${unknown.join(',')}`);
      await zk.deleteTopicDeletions(unknown, context.epochZkVersion);
    }
    const toDelete = requested.filter((t) => context.allTopics.has(t));
    if (!config().deleteTopicEnable) {
      await zk.deleteTopicDeletions(toDelete, context.epochZkVersion);
      return;
    }
    if (toDelete.length > 0) await this.#deletion.enqueueTopicsForDeletion(toDelete);
  }

  async #processTopicDeletionStopReplicaResponse(brokerId: number, requestError: number, errors: PartitionMap<number>): Promise<void> {
    if (!this.isActive) return;
    const replicas = [...errors.entries()];
    const failed = replicas.filter(([, code]) => requestError !== ErrorCode.NONE || code !== ErrorCode.NONE);
    const succeeded = replicas.filter(([, code]) => requestError === ErrorCode.NONE && code === ErrorCode.NONE);
    if (failed.length > 0) await this.#deletion.failReplicaDeletion(failed.map(([tp]) => ({ ...tp, replica: brokerId })));
    if (succeeded.length > 0) await this.#deletion.completeReplicaDeletion(succeeded.map(([tp]) => ({ ...tp, replica: brokerId })));
  }

  async #uncleanEnabled(topic: string): Promise<boolean> {
    const override = (await this.#options.zk.getEntityConfigs('topics', topic))['unclean.leader.election.enable'];
    return override === undefined ? this.#options.config().uncleanLeaderElectionEnable : override.trim().toLowerCase() === 'true';
  }

  // ---- Reassignments and elections asked through ZooKeeper, auto rebalance ----

  async #processZkPartitionReassignment(): Promise<void> {
    if (this.isActive) await this.#reassignments.processZkReassignment();
  }

  async #processZkPreferredElection(): Promise<void> {
    if (this.isActive) await this.#elections.elect(null, 'PREFERRED', 'zk');
  }

  /** Kafka's auto-leader-rebalance-task: checked after `delayMs`, then every `leader.imbalance.check.interval.seconds`. */
  #scheduleAutoLeaderRebalance(delayMs: number): void {
    clearTimeout(this.#rebalanceTimer);
    this.#rebalanceTimer = setTimeout(() => {
      this.#put('AutoPreferredReplicaLeaderElection', async () => {
        if (!this.isActive) return;
        try {
          await this.#elections.checkAndTriggerAutoLeaderRebalance();
        } finally {
          this.#scheduleAutoLeaderRebalance(this.#options.config().leaderImbalanceCheckIntervalSeconds * 1000);
        }
      });
    }, delayMs);
    this.#rebalanceTimer.unref();
  }

  // ---- Requests from brokers ----

  async #processControlledShutdown(id: number, brokerEpoch: bigint): Promise<ControlledShutdownResult> {
    const fail = (errorCode: number) => ({ errorCode, remainingPartitions: [] });
    if (!this.isActive) return fail(ErrorCode.STALE_CONTROLLER_EPOCH);
    const context = this.#context;
    const cached = context.brokerEpoch(id);
    if (brokerEpoch !== -1n && cached !== undefined && brokerEpoch < cached) {
      this.#options.log(
        'info',
        `Received controlled shutdown request from an old broker epoch ${brokerEpoch} for broker ${id}. Current broker epoch is ${cached}.`,
      );
      return fail(ErrorCode.STALE_BROKER_EPOCH);
    }
    if (cached === undefined) return fail(ErrorCode.BROKER_NOT_AVAILABLE);
    this.#options.log('info', `Controller ${this.#options.brokerId}: shutting down broker ${id}`);
    context.shuttingDownBrokerIds.add(id);
    const toActOn = context
      .partitionsOnBroker(id)
      .filter(
        (tp) => context.replicas(tp).length > 1 && context.leadership.has(tp) && !this.#deletion.isTopicQueuedUpForDeletion(tp.topic),
      );
    const led = toActOn.filter((tp) => context.leadership.get(tp)!.leaderAndIsr.leader === id);
    const followed = toActOn.filter((tp) => context.leadership.get(tp)!.leaderAndIsr.leader !== id);
    await this.#partitionStateMachine.handleStateChanges(led, 'OnlinePartition', { kind: 'controlledShutdown' });
    if (followed.length > 0) {
      this.#batch.newBatch();
      for (const tp of followed) this.#batch.addStopReplica([id], tp, false);
      this.#batch.send();
    }
    await this.#replicaStateMachine.handleStateChanges(
      followed.map((tp) => ({ ...tp, replica: id })),
      'OfflineReplica',
    );
    return { errorCode: ErrorCode.NONE, remainingPartitions: context.partitionLeadersOnBroker(id) };
  }

  /** Kafka's tryProcessAlterPartition: section 3's checks in order, conditional writes, UpdateMetadata to all. */
  async #processAlterPartition(request: AlterPartitionRequest, version: number): Promise<AlterPartitionResponse> {
    const top = (errorCode: number): AlterPartitionResponse => ({ throttleTimeMs: 0, errorCode, topics: [] });
    if (!this.isActive) return top(ErrorCode.NOT_CONTROLLER);
    const context = this.#context;
    const { brokerId, brokerEpoch } = request;
    const cachedEpoch = context.brokerEpoch(brokerId);
    if (cachedEpoch === undefined || cachedEpoch !== brokerEpoch) {
      this.#options.log(
        'info',
        `Ignoring AlterPartition from broker ${brokerId} with epoch ${brokerEpoch} (known epoch ${cachedEpoch ?? 'none'})`,
      );
      return top(ErrorCode.STALE_BROKER_EPOCH);
    }
    const useTopicIds = version > 1;
    const namesById = new Map([...context.topicIds].map(([name, id]) => [id, name]));
    const responses = new PartitionMap<number | LeaderAndIsr>();
    const unknownIds: AlterPartitionResponse['topics'] = [];
    const proposed: [TopicPartition, LeaderAndIsr][] = [];
    for (const topic of request.topics) {
      const name = useTopicIds ? namesById.get(topic.topicId) : topic.topicName;
      if (name === undefined) {
        unknownIds.push({
          topicName: '',
          topicId: topic.topicId,
          partitions: topic.partitions.map((p) => partitionError(p.partitionIndex, ErrorCode.UNKNOWN_TOPIC_ID)),
        });
        continue;
      }
      for (const p of topic.partitions) {
        const isr = version >= 3 ? p.newIsrWithEpochs.map((b) => b.brokerId) : p.newIsr;
        proposed.push([
          { topic: name, partition: p.partitionIndex },
          {
            leader: brokerId,
            leaderEpoch: p.leaderEpoch,
            isr,
            leaderRecoveryState: p.leaderRecoveryState as LeaderRecoveryStateValue,
            partitionEpoch: p.partitionEpoch,
          },
        ]);
      }
    }
    const live = new Set(context.liveBrokerIds());
    const toWrite: [TopicPartition, LeaderAndIsr][] = [];
    for (const [tp, next] of proposed) {
      const current = context.leadership.get(tp)?.leaderAndIsr;
      const error = current === undefined ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : alterPartitionError(current, next, live, version);
      if (error === 'unchanged') responses.set(tp, current!);
      else if (error !== null) responses.set(tp, error);
      else toWrite.push([tp, next]);
    }
    const update = await this.#options.zk.updateLeaderAndIsr(toWrite, context.epoch, context.epochZkVersion);
    for (const [tp, written] of update.finished.entries()) {
      if (written instanceof Error) {
        this.#options.log('error', `Failed to update ISR for partition ${formatPartition(tp)}: ${written.message}`);
        responses.set(tp, ErrorCode.UNKNOWN_SERVER_ERROR);
      } else {
        responses.set(tp, written);
        context.leadership.set(tp, { leaderAndIsr: written, controllerEpoch: context.epoch });
      }
    }
    for (const tp of update.retry) responses.set(tp, ErrorCode.INVALID_UPDATE_VERSION);
    // An ISR that grew may complete a reassignment: looked at right after this answer (Kafka's PartitionReassignmentIsrChange).
    for (const [tp, result] of responses.entries()) {
      if (typeof result !== 'number' && context.partitionsBeingReassigned.has(tp)) {
        this.#put('PartitionReassignmentIsrChange', async () => {
          if (this.isActive) await this.#reassignments.maybeComplete(tp);
        });
      }
    }
    this.#sendUpdateMetadata(
      context.liveOrShuttingDownBrokerIds(),
      proposed.map(([tp]) => tp),
    );
    const byTopic = groupBy(responses.entries(), ([tp]) => tp.topic);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      topics: [
        ...unknownIds,
        ...[...byTopic].map(([name, results]) => ({
          topicName: useTopicIds ? '' : name,
          topicId: useTopicIds ? (context.topicIds.get(name) ?? ZERO_UUID) : ZERO_UUID,
          partitions: results.map(([tp, result]) => partitionResult(tp.partition, result)),
        })),
      ],
    };
  }

  #sendUpdateMetadata(brokers: readonly number[], partitions: readonly TopicPartition[]): void {
    this.#batch.newBatch();
    this.#batch.addUpdateMetadata(brokers, partitions);
    this.#batch.send();
  }
}

function ids(brokers: readonly { registration: { id: number } }[]): string {
  return brokers.map((b) => b.registration.id).join(',');
}

/** One partition's AlterPartition answer: an error code, or the state now in force. */
function partitionResult(partitionIndex: number, result: number | LeaderAndIsr): AlterPartitionResponsePartitionData {
  if (typeof result === 'number') return partitionError(partitionIndex, result);
  return {
    partitionIndex,
    errorCode: ErrorCode.NONE,
    leaderId: result.leader,
    leaderEpoch: result.leaderEpoch,
    isr: [...result.isr],
    leaderRecoveryState: result.leaderRecoveryState,
    partitionEpoch: result.partitionEpoch,
  };
}

function partitionError(partitionIndex: number, errorCode: number): AlterPartitionResponsePartitionData {
  return { partitionIndex, errorCode, leaderId: -1, leaderEpoch: -1, isr: [], leaderRecoveryState: 0, partitionEpoch: -1 };
}
