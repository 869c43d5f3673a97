import {
  Err,
  KeeperError,
  MultiError,
  type ClientState,
  type MultiOp,
  type Stat,
  type WatchEvent,
  type Watcher,
  type ZooKeeperClient,
} from '../../zookeeper/client/index.js';
import { pascalCase } from '../../protocol/acl.js';
import { PartitionMap, type TopicPartition } from '../metadata/topic-partition.js';
import {
  ACL_CHANGE_PREFIX,
  ACL_CHANGES_PATH,
  ACL_EXTENDED_CHANGES_PATH,
  ACL_EXTENDED_PATH,
  ACL_PATH,
  type AclEntry,
  decodeAcls,
  encodeAcls,
  encodeExtendedAclChange,
  encodeLiteralAclChange,
  BROKER_IDS_PATH,
  BROKER_TOPICS_PATH,
  brokerIdPath,
  type BrokerRegistration,
  CLUSTER_ID_PATH,
  CONFIG_CHANGE_PREFIX,
  CONFIG_CHANGES_PATH,
  type ConfigEntityType,
  CONTROLLER_EPOCH_PATH,
  CONTROLLER_PATH,
  configEntityPath,
  configEntityTypePath,
  DELETE_TOPICS_PATH,
  decodeBrokerRegistration,
  decodeClusterId,
  decodeController,
  decodeControllerEpoch,
  decodeEntityConfig,
  decodeFeatures,
  decodePartitionState,
  decodeProducerIdBlock,
  decodeTopicAssignment,
  decodePreferredReplicaElection,
  decodeReassignment,
  deleteTopicPath,
  encodeBrokerRegistration,
  encodeClusterId,
  encodeConfigChangeNotification,
  encodeController,
  encodeControllerEpoch,
  encodeEntityConfig,
  encodeFeatures,
  encodeLogDirEvent,
  encodePartitionState,
  encodeProducerIdBlock,
  encodeReassignment,
  encodeTopicAssignment,
  FEATURE_PATH,
  FeatureStatus,
  ISR_CHANGE_NOTIFICATION_PATH,
  type LeaderAndIsr,
  LOG_DIR_EVENT_NOTIFICATION_PATH,
  LOG_DIR_EVENT_PREFIX,
  PERSISTENT_PATHS,
  PREFERRED_REPLICA_ELECTION_PATH,
  PRODUCER_ID_BLOCK_PATH,
  type PartitionLeadership,
  type ProducerIdBlock,
  type RegisteredBroker,
  partitionStatePath,
  REASSIGN_PARTITIONS_PATH,
  type TopicAssignment,
  topicPartitionPath,
  topicPartitionsPath,
  topicPath,
  ZkDataError,
} from './zk-data.js';

/** A write fenced by `/controller_epoch` failed: another controller has been elected since (Kafka's ControllerMovedException). */
export class ControllerMovedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControllerMovedError';
  }
}

/** `/brokers/ids/<id>` is held by another live session: another broker runs with this id. */
export class BrokerIdRegisteredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrokerIdRegisteredError';
  }
}

/** The outcome of conditional partition-state writes (Kafka's UpdateLeaderAndIsrResult). */
export interface LeaderAndIsrUpdate {
  /** Written (with the new partition epoch), or failed for good. */
  readonly finished: PartitionMap<LeaderAndIsr | Error>;
  /** The znode version moved on: re-read and retry these. */
  readonly retry: readonly TopicPartition[];
}

export function isKeeperError(err: unknown, code: number): err is KeeperError {
  return err instanceof KeeperError && err.code === code;
}

/** Producer ids a broker reserves per write of `/latest_producer_id_block` (Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE). */
export const PRODUCER_ID_BLOCK_SIZE = 1000;
const LONG_MAX = (1n << 63n) - 1n;

type ChildHandler = () => void;
type NodeHandler = (event: WatchEvent) => void;

/**
 * Kafka's ZooKeeper operations, typed (Kafka's KafkaZkClient): the znodes of zk-data.ts read and
 * written with Kafka's create modes, conditions and retries. A request that loses its connection
 * is retried once the session has reconnected (Kafka's retryRequestUntilConnected); after the
 * session expires, `useSession` gives a new one. Controller writes are fenced: each is a multi
 * whose first op checks `/controller_epoch`'s version, so a controller that lost its election
 * cannot write. Watches go through handlers registered by path, so one path has one watcher
 * however often it is re-armed.
 */
export class KafkaZkClient {
  #session: ZooKeeperClient;
  #state: ClientState = 'connected';
  #stateWaiters: (() => void)[] = [];
  readonly #childHandlers = new Map<string, ChildHandler>();
  readonly #nodeHandlers = new Map<string, NodeHandler>();
  readonly #watchers = new Map<string, Watcher>();
  /** The session that last registered this broker: after an expiry its leftover znode may be replaced. */
  #registrationSessionId: bigint | undefined;

  constructor(session: ZooKeeperClient) {
    this.#session = session;
    this.#follow(session);
  }

  get session(): ZooKeeperClient {
    return this.#session;
  }

  /** Continues on a new session (after an expiry); watches must be re-armed by reading again. */
  useSession(session: ZooKeeperClient): void {
    this.#session = session;
    this.#state = 'connected';
    this.#follow(session);
    this.#wakeWaiters();
  }

  #follow(session: ZooKeeperClient): void {
    session.on('state', (state) => {
      if (session !== this.#session) return;
      this.#state = state;
      if (state !== 'disconnected') this.#wakeWaiters();
    });
  }

  #wakeWaiters(): void {
    for (const wake of this.#stateWaiters.splice(0)) wake();
  }

  /** Runs `op`, again after each connection loss once the session is connected; other errors (and expiry) propagate. */
  async #retry<T>(op: (zk: ZooKeeperClient) => Promise<T>): Promise<T> {
    for (;;) {
      const session = this.#session;
      try {
        return await op(session);
      } catch (err) {
        if (!isKeeperError(err, Err.CONNECTIONLOSS) || session !== this.#session) throw err;
        while (this.#state === 'disconnected' && session === this.#session) {
          await new Promise<void>((resolve) => this.#stateWaiters.push(resolve));
        }
        if (this.#state !== 'connected' || session !== this.#session) throw err;
      }
    }
  }

  // ---- Watch handlers ----

  /** Calls `handler` when the children of `path` change; armed by the next `getChildren(path, true)`. */
  registerChildChangeHandler(path: string, handler: ChildHandler): void {
    this.#childHandlers.set(path, handler);
  }

  /** Calls `handler` when `path` is created, deleted or changed; armed by `exists`/`getData` with watch. */
  registerNodeChangeHandler(path: string, handler: NodeHandler): void {
    this.#nodeHandlers.set(path, handler);
  }

  unregisterHandler(path: string): void {
    this.#childHandlers.delete(path);
    this.#nodeHandlers.delete(path);
  }

  #watcher(path: string): Watcher {
    let watcher = this.#watchers.get(path);
    if (!watcher) {
      watcher = (event) => {
        if (event.type === 'childrenChanged') this.#childHandlers.get(event.path)?.();
        else {
          this.#nodeHandlers.get(event.path)?.(event);
          if (event.type === 'deleted') this.#childHandlers.get(event.path)?.();
        }
      };
      this.#watchers.set(path, watcher);
    }
    return watcher;
  }

  getChildren(path: string, watch = false): Promise<string[]> {
    return this.#retry((zk) => zk.getChildren(path, watch ? this.#watcher(path) : undefined)).catch((err: unknown) => {
      if (isKeeperError(err, Err.NONODE)) return [];
      throw err;
    });
  }

  /** The znode's data and stat, or null when it does not exist. */
  async getData(path: string, watch = false): Promise<{ data: Buffer; stat: Stat } | null> {
    try {
      return await this.#retry((zk) => zk.getData(path, watch ? this.#watcher(path) : undefined));
    } catch (err) {
      if (isKeeperError(err, Err.NONODE)) return null;
      throw err;
    }
  }

  /** Whether `path` exists; with `watch`, its handler fires on creation, change or deletion. */
  async exists(path: string, watch = false): Promise<boolean> {
    return (await this.#retry((zk) => zk.exists(path, watch ? this.#watcher(path) : undefined))) !== null;
  }

  // ---- Start-up: paths, cluster id, broker registration ----

  /** Kafka's persistent paths, created empty if missing. */
  async createPersistentPaths(): Promise<void> {
    for (const path of PERSISTENT_PATHS) await this.#retry((zk) => zk.mkdirp(path));
  }

  async getClusterId(): Promise<string | null> {
    const node = await this.getData(CLUSTER_ID_PATH);
    return node === null ? null : decodeClusterId(node.data);
  }

  /** The cluster id in `/cluster/id`, created with `proposed` if missing (the first broker's wins a race). */
  async getOrCreateClusterId(proposed: string): Promise<string> {
    const existing = await this.getClusterId();
    if (existing !== null) return existing;
    try {
      await this.#createRecursive(CLUSTER_ID_PATH, encodeClusterId(proposed));
      return proposed;
    } catch (err) {
      if (!isKeeperError(err, Err.NODEEXISTS)) throw err;
      const winner = await this.getClusterId();
      if (winner === null) throw new ZkDataError(`${CLUSTER_ID_PATH} existed and then disappeared`);
      return winner;
    }
  }

  /**
   * Registers the broker as Kafka's KafkaZkClient.registerBroker does: one multi that creates
   * the ephemeral `/brokers/ids/<id>` empty and sets its data, so the znode never exists without
   * it. Resolves to the broker epoch: the znode's czxid. A znode left by this broker's previous
   * (expired) session is replaced; one held by another session means another broker has the id.
   */
  async registerBroker(registration: BrokerRegistration): Promise<bigint> {
    const path = brokerIdPath(registration.id);
    const data = encodeBrokerRegistration(registration);
    for (;;) {
      try {
        const results = await this.#retry((zk) =>
          zk.multi([
            { op: 'create', path, data: null, mode: 'ephemeral' },
            { op: 'setData', path, data, version: 0 },
          ]),
        );
        this.#registrationSessionId = this.#session.sessionId;
        return BigInt((results[1] as { stat: Stat }).stat.czxid);
      } catch (err) {
        if (!isKeeperError(err, Err.NODEEXISTS)) throw err;
      }
      const existing = await this.getData(path);
      if (existing === null) continue; // gone in between: create again
      const owner = existing.stat.ephemeralOwner;
      const current = this.#session.sessionId;
      if (owner === current) {
        this.#registrationSessionId = current;
        return BigInt(existing.stat.czxid);
      }
      if (owner === this.#registrationSessionId) {
        // ZOOKEEPER-2985: the expired session's ephemeral can outlive it briefly; Kafka deletes and re-creates it.
        await this.#retry((zk) => zk.delete(path, -1)).catch((e: unknown) => {
          if (!isKeeperError(e, Err.NONODE)) throw e;
        });
        continue;
      }
      throw new BrokerIdRegisteredError(
        `Error while creating ephemeral at ${path}, node already exists and owner '0x${owner.toString(16)}' does not match current session '0x${current.toString(16)}': broker id ${registration.id} is registered by another broker`,
      );
    }
  }

  async getBroker(id: number, watch = false): Promise<RegisteredBroker | null> {
    const node = await this.getData(brokerIdPath(id), watch);
    return node === null ? null : { registration: decodeBrokerRegistration(id, node.data), epoch: BigInt(node.stat.czxid) };
  }

  /** Every registered broker with its epoch; with `watch`, `/brokers/ids`' child handler fires on the next change. */
  async getAllBrokers(watch = false): Promise<RegisteredBroker[]> {
    const ids = (await this.getChildren(BROKER_IDS_PATH, watch)).map(Number).filter(Number.isInteger);
    const brokers = await Promise.all(ids.map((id) => this.getBroker(id)));
    return brokers.filter((b): b is RegisteredBroker => b !== null).sort((a, b) => a.registration.id - b.registration.id);
  }

  // ---- Topics and partition states ----

  async getAllTopics(watch = false): Promise<string[]> {
    return this.getChildren(BROKER_TOPICS_PATH, watch);
  }

  /** The topic's assignment and its znode version, or null when the topic does not exist. */
  async getTopicAssignment(topic: string, watch = false): Promise<(TopicAssignment & { version: number }) | null> {
    const node = await this.getData(topicPath(topic), watch);
    return node === null ? null : { ...decodeTopicAssignment(topic, node.data), version: node.stat.version };
  }

  /** Writes a new topic's znode; TopicExists (NODEEXISTS) when it is already there. */
  async createTopicAssignment(topic: string, assignment: TopicAssignment): Promise<void> {
    await this.#retry((zk) => zk.create(topicPath(topic), encodeTopicAssignment(assignment), { mode: 'persistent' }));
  }

  /**
   * Replaces a topic's assignment (added partitions, a topic id): unconditional from admin code,
   * fenced by the controller epoch when `epochZkVersion` is given.
   */
  async setTopicAssignment(topic: string, assignment: TopicAssignment, epochZkVersion?: number): Promise<void> {
    const op: MultiOp = { op: 'setData', path: topicPath(topic), data: encodeTopicAssignment(assignment), version: -1 };
    if (epochZkVersion === undefined) await this.#retry((zk) => zk.setData(op.path, op.data, -1));
    else await this.#fenced([op], epochZkVersion);
  }

  /** Partition states from `/brokers/topics/<t>/partitions/<p>/state`; partitions without one are left out. */
  async getPartitionStates(partitions: readonly TopicPartition[]): Promise<PartitionMap<PartitionLeadership>> {
    const result = new PartitionMap<PartitionLeadership>();
    const nodes = await Promise.all(partitions.map((tp) => this.getData(partitionStatePath(tp.topic, tp.partition))));
    nodes.forEach((node, i) => {
      const tp = partitions[i]!;
      if (node !== null) result.set(tp, decodePartitionState(node.data, node.stat.version, `state of ${tp.topic}-${tp.partition}`));
    });
    return result;
  }

  /**
   * Creates the state znodes of new partitions (and their parents), fenced by the controller
   * epoch. Resolves per partition to null (created) or the error; a fenced write rejects.
   */
  async createPartitionStates(
    states: readonly (readonly [TopicPartition, PartitionLeadership])[],
    epochZkVersion: number,
  ): Promise<PartitionMap<Error | null>> {
    const result = new PartitionMap<Error | null>();
    await Promise.all(
      states.map(async ([tp, leadership]) => {
        try {
          for (const parent of [topicPartitionsPath(tp.topic), topicPartitionPath(tp.topic, tp.partition)]) {
            await this.#fenced([{ op: 'create', path: parent, data: null, mode: 'persistent' }], epochZkVersion).catch((err: unknown) => {
              if (!isKeeperError(err, Err.NODEEXISTS)) throw err;
            });
          }
          const path = partitionStatePath(tp.topic, tp.partition);
          await this.#fenced([{ op: 'create', path, data: encodePartitionState(leadership), mode: 'persistent' }], epochZkVersion);
          result.set(tp, null);
        } catch (err) {
          if (err instanceof ControllerMovedError) throw err;
          result.set(tp, err as Error);
        }
      }),
    );
    return result;
  }

  /**
   * Writes new partition states, each conditional on its current znode version (the partition
   * epoch in `leaderAndIsr`) and fenced by the controller epoch (Kafka's updateLeaderAndIsr).
   * A finished write carries the new partition epoch; BADVERSION partitions are to be retried.
   */
  async updateLeaderAndIsr(
    updates: readonly (readonly [TopicPartition, LeaderAndIsr])[],
    controllerEpoch: number,
    epochZkVersion: number,
  ): Promise<LeaderAndIsrUpdate> {
    const finished = new PartitionMap<LeaderAndIsr | Error>();
    const retry: TopicPartition[] = [];
    await Promise.all(
      updates.map(async ([tp, leaderAndIsr]) => {
        const path = partitionStatePath(tp.topic, tp.partition);
        const data = encodePartitionState({ leaderAndIsr, controllerEpoch });
        try {
          const results = await this.#fenced([{ op: 'setData', path, data, version: leaderAndIsr.partitionEpoch }], epochZkVersion);
          const stat = (results[1] as { stat: Stat }).stat;
          finished.set(tp, { ...leaderAndIsr, partitionEpoch: stat.version });
        } catch (err) {
          if (err instanceof ControllerMovedError) throw err;
          if (isKeeperError(err, Err.BADVERSION)) retry.push(tp);
          else finished.set(tp, err as Error);
        }
      }),
    );
    return { finished, retry };
  }

  // ---- Controller election ----

  /** The active controller's id, or -1; with `watch`, `/controller`'s handler fires when it appears, changes or goes. */
  async getControllerId(watch = false): Promise<number> {
    if (watch && !(await this.exists(CONTROLLER_PATH, true))) return -1;
    const node = await this.getData(CONTROLLER_PATH);
    return node === null ? -1 : decodeController(node.data);
  }

  async getControllerEpoch(): Promise<{ epoch: number; version: number } | null> {
    const node = await this.getData(CONTROLLER_EPOCH_PATH);
    return node === null ? null : { epoch: decodeControllerEpoch(node.data), version: node.stat.version };
  }

  /**
   * Kafka's registerControllerAndIncrementControllerEpoch: one multi creates the ephemeral
   * `/controller` and bumps `/controller_epoch` conditionally on the version read. Resolves to the
   * new epoch and the epoch znode's version that fences this controller's writes; losing the race
   * rejects with ControllerMovedError.
   */
  async registerControllerAndIncrementEpoch(brokerId: number, nowMs: number): Promise<{ epoch: number; epochZkVersion: number }> {
    let current = await this.getControllerEpoch();
    if (current === null) {
      try {
        await this.#retry((zk) => zk.create(CONTROLLER_EPOCH_PATH, encodeControllerEpoch(0), { mode: 'persistent' }));
      } catch (err) {
        if (!isKeeperError(err, Err.NODEEXISTS)) throw err;
      }
      current = (await this.getControllerEpoch()) ?? { epoch: 0, version: 0 };
    }
    const epoch = current.epoch + 1;
    try {
      const results = await this.#retry((zk) =>
        zk.multi([
          { op: 'create', path: CONTROLLER_PATH, data: encodeController(brokerId, nowMs), mode: 'ephemeral' },
          { op: 'setData', path: CONTROLLER_EPOCH_PATH, data: encodeControllerEpoch(epoch), version: current.version },
        ]),
      );
      return { epoch, epochZkVersion: (results[1] as { stat: Stat }).stat.version };
    } catch (err) {
      if (!isKeeperError(err, Err.NODEEXISTS) && !isKeeperError(err, Err.BADVERSION)) throw err;
    }
    // Lost the race, or a retried multi that had succeeded: ours only if /controller is us and the epoch is ours.
    const controller = await this.getControllerId();
    const now = await this.getControllerEpoch();
    if (controller === brokerId && now?.epoch === epoch) return { epoch, epochZkVersion: now.version };
    throw new ControllerMovedError('Controller moved to another broker. Aborting controller startup procedure');
  }

  /** Resigns: deletes `/controller`, fenced so only the controller of this epoch can. */
  async deleteController(epochZkVersion: number): Promise<void> {
    await this.#deleteFenced(CONTROLLER_PATH, epochZkVersion);
  }

  /**
   * One controller write as a multi behind a check of `/controller_epoch`'s version (Kafka's
   * wrapRequestWithControllerEpochCheck): BADVERSION on the check is ControllerMovedError, a
   * failure of the op itself its KeeperError.
   */
  async #fenced(ops: readonly MultiOp[], epochZkVersion: number) {
    try {
      return await this.#retry((zk) => zk.multi([{ op: 'check', path: CONTROLLER_EPOCH_PATH, version: epochZkVersion }, ...ops]));
    } catch (err) {
      if (err instanceof MultiError && err.code === Err.BADVERSION && err.opIndex === 0) {
        throw new ControllerMovedError(`Controller epoch zkVersion check fails. Expected zkVersion = ${epochZkVersion}`);
      }
      throw err;
    }
  }

  /** Deletes `path` and everything under it, each delete fenced by the controller epoch. */
  async #deleteRecursiveFenced(path: string, epochZkVersion: number): Promise<void> {
    for (const child of await this.getChildren(path)) await this.#deleteRecursiveFenced(`${path}/${child}`, epochZkVersion);
    await this.#deleteFenced(path, epochZkVersion);
  }

  /** Sets up `/feature` on failover as a ZooKeeper-mode 3.9 controller does: enabled, with the finalized features (none) kept. */
  async enableFeatureVersioning(): Promise<void> {
    const node = await this.getData(FEATURE_PATH);
    if (node === null || node.data.length === 0) {
      const data = encodeFeatures({ status: FeatureStatus.ENABLED, features: {} });
      await this.#retry((zk) => zk.create(FEATURE_PATH, data, { mode: 'persistent' })).catch((err: unknown) => {
        if (!isKeeperError(err, Err.NODEEXISTS)) throw err;
      });
      return;
    }
    const current = decodeFeatures(node.data);
    if (current.status === FeatureStatus.ENABLED) return;
    const data = encodeFeatures({ status: FeatureStatus.ENABLED, features: {} });
    await this.#retry((zk) => zk.setData(FEATURE_PATH, data, node.stat.version));
  }

  /** Drops the notifications leaders of older IBPs and failed log dirs leave for the controller. */
  async deleteControllerNotifications(epochZkVersion: number): Promise<void> {
    for (const parent of [ISR_CHANGE_NOTIFICATION_PATH, LOG_DIR_EVENT_NOTIFICATION_PATH]) {
      for (const child of await this.getChildren(parent)) {
        await this.#deleteFenced(`${parent}/${child}`, epochZkVersion);
      }
    }
  }

  // ---- Topic deletion ----

  /** Marks a topic for deletion (`/admin/delete_topics/<t>`); already marked is fine. */
  async createTopicDeletionMarker(topic: string): Promise<void> {
    await this.#retry((zk) => zk.create(deleteTopicPath(topic), null, { mode: 'persistent' })).catch((err: unknown) => {
      if (!isKeeperError(err, Err.NODEEXISTS)) throw err;
    });
  }

  async getTopicDeletions(watch = false): Promise<string[]> {
    return this.getChildren(DELETE_TOPICS_PATH, watch);
  }

  async deleteTopicDeletions(topics: readonly string[], epochZkVersion: number): Promise<void> {
    for (const topic of topics) {
      await this.#deleteFenced(deleteTopicPath(topic), epochZkVersion);
    }
  }

  /** A deleted topic's znodes, in Kafka's order: assignment and states, config, then the deletion marker. */
  async deleteTopic(topic: string, epochZkVersion: number): Promise<void> {
    await this.#deleteRecursiveFenced(topicPath(topic), epochZkVersion);
    await this.#deleteRecursiveFenced(configEntityPath('topics', topic), epochZkVersion);
    await this.deleteTopicDeletions([topic], epochZkVersion);
  }

  // ---- Legacy admin znodes: /admin/reassign_partitions, /admin/preferred_replica_election ----

  /** The target replicas `/admin/reassign_partitions` asks for (a partition listed twice: the last entry wins, as Kafka reads it). */
  async getPartitionReassignment(): Promise<PartitionMap<number[]>> {
    const result = new PartitionMap<number[]>();
    const node = await this.getData(REASSIGN_PARTITIONS_PATH);
    if (node !== null) for (const p of decodeReassignment(node.data)) result.set(p, p.replicas);
    return result;
  }

  /** Writes what is left of a `/admin/reassign_partitions` reassignment, creating the znode if needed; fenced. */
  async setOrCreatePartitionReassignment(reassignment: PartitionMap<readonly number[]>, epochZkVersion: number): Promise<void> {
    const data = encodeReassignment([...reassignment.entries()].map(([tp, replicas]) => ({ ...tp, replicas })));
    try {
      await this.#fenced([{ op: 'setData', path: REASSIGN_PARTITIONS_PATH, data, version: -1 }], epochZkVersion);
    } catch (err) {
      if (!isKeeperError(err, Err.NONODE)) throw err;
      await this.#fenced([{ op: 'create', path: REASSIGN_PARTITIONS_PATH, data, mode: 'persistent' }], epochZkVersion);
    }
  }

  async deletePartitionReassignment(epochZkVersion: number): Promise<void> {
    await this.#deleteFenced(REASSIGN_PARTITIONS_PATH, epochZkVersion);
  }

  /** The partitions `/admin/preferred_replica_election` asks to elect their preferred leader for. */
  async getPreferredReplicaElection(): Promise<TopicPartition[]> {
    const node = await this.getData(PREFERRED_REPLICA_ELECTION_PATH);
    return node === null ? [] : decodePreferredReplicaElection(node.data);
  }

  async deletePreferredReplicaElection(epochZkVersion: number): Promise<void> {
    await this.#deleteFenced(PREFERRED_REPLICA_ELECTION_PATH, epochZkVersion);
  }

  async #deleteFenced(path: string, epochZkVersion: number): Promise<void> {
    await this.#fenced([{ op: 'delete', path, version: -1 }], epochZkVersion).catch((err: unknown) => {
      if (!isKeeperError(err, Err.NONODE)) throw err;
    });
  }

  // ---- Configs ----

  async getEntityConfigs(type: ConfigEntityType, name: string): Promise<Record<string, string>> {
    const path = configEntityPath(type, name);
    const node = await this.getData(path);
    return node === null ? {} : decodeEntityConfig(node.data, path);
  }

  /** Entity names under `/config/<type>` (for users, also `<user>/clients/<client>` of nested client-id entities). */
  async getEntitiesWithConfig(type: ConfigEntityType): Promise<string[]> {
    const names = await this.getChildren(configEntityTypePath(type));
    if (type !== 'users') return names;
    const nested = await Promise.all(
      names.map(async (user) => (await this.getChildren(`${configEntityPath('users', user)}/clients`)).map((c) => `${user}/clients/${c}`)),
    );
    return [...names, ...nested.flat()];
  }

  /** Writes an entity's overrides (creating the znode and its parents if needed), as AdminZkClient.changeEntityConfig. */
  async setOrCreateEntityConfigs(type: ConfigEntityType, name: string, configs: Readonly<Record<string, string>>): Promise<void> {
    const path = configEntityPath(type, name);
    const data = encodeEntityConfig(configs);
    try {
      await this.#retry((zk) => zk.setData(path, data, -1));
    } catch (err) {
      if (!isKeeperError(err, Err.NONODE)) throw err;
      try {
        await this.#createRecursive(path, data);
      } catch (e) {
        if (!isKeeperError(e, Err.NODEEXISTS)) throw e;
        await this.#retry((zk) => zk.setData(path, data, -1));
      }
    }
  }

  /**
   * Tells the controller that a log dir of `brokerId` failed (Kafka's propagateLogDirEvent):
   * `/log_dir_event_notification/log_dir_event_<seq>`. The controller then asks the broker, by
   * LeaderAndIsr, which of its replicas are offline.
   */
  async propagateLogDirEvent(brokerId: number): Promise<void> {
    await this.#retry((zk) =>
      zk.create(`${LOG_DIR_EVENT_NOTIFICATION_PATH}/${LOG_DIR_EVENT_PREFIX}`, encodeLogDirEvent(brokerId), {
        mode: 'persistent_sequential',
      }),
    );
  }

  /** Announces a changed entity to every broker: `/config/changes/config_change_<seq>`. */
  async createConfigChangeNotification(entityPath: string): Promise<void> {
    await this.#retry((zk) =>
      zk.create(`${CONFIG_CHANGES_PATH}/${CONFIG_CHANGE_PREFIX}`, encodeConfigChangeNotification(entityPath), {
        mode: 'persistent_sequential',
      }),
    );
  }

  /** Deletes a handled change notification (`/config/changes/...`, `/kafka-acl-changes/...`); gone already is fine. */
  async deleteNotification(path: string): Promise<void> {
    await this.#retry((zk) => zk.delete(path, -1)).catch((err: unknown) => {
      if (!isKeeperError(err, Err.NONODE)) throw err;
    });
  }

  // ---- ACLs (Kafka's ZkAclStore: literal patterns under /kafka-acl, prefixed under /kafka-acl-extended/prefixed) ----

  /** Creates the ACL znodes' parents and the change paths, as AclAuthorizer.configure does. */
  async createAclPaths(): Promise<void> {
    for (const path of [ACL_PATH, ACL_EXTENDED_PATH, ACL_CHANGES_PATH, ACL_EXTENDED_CHANGES_PATH]) {
      await this.#retry((zk) => zk.mkdirp(path));
    }
  }

  /** Every stored pattern's entries: resource type and names as in the paths (`Topic`, PascalCase). */
  async getAllAcls(): Promise<{ patternType: 'LITERAL' | 'PREFIXED'; resourceType: string; name: string; entries: AclEntry[] }[]> {
    const out: { patternType: 'LITERAL' | 'PREFIXED'; resourceType: string; name: string; entries: AclEntry[] }[] = [];
    for (const [patternType, root] of [
      ['LITERAL', ACL_PATH],
      ['PREFIXED', ACL_EXTENDED_PATH],
    ] as const) {
      for (const resourceType of await this.#childrenOrNone(root)) {
        for (const name of await this.#childrenOrNone(`${root}/${resourceType}`)) {
          const node = await this.getData(`${root}/${resourceType}/${name}`);
          if (node !== null) out.push({ patternType, resourceType, name, entries: decodeAcls(node.data) });
        }
      }
    }
    return out;
  }

  /**
   * Replaces a pattern's entries (none deletes its znode; `resourceType` upper case, the path has
   * it in PascalCase), then announces the change on `/kafka-acl-changes` (literal, `TOPIC:name`)
   * or `/kafka-acl-extended-changes` (prefixed, JSON).
   */
  async setAcls(patternType: 'LITERAL' | 'PREFIXED', resourceType: string, name: string, entries: readonly AclEntry[]): Promise<void> {
    const path = `${patternType === 'LITERAL' ? ACL_PATH : ACL_EXTENDED_PATH}/${pascalCase(resourceType)}/${name}`;
    if (entries.length === 0) await this.deleteNotification(path);
    else {
      const data = encodeAcls(entries);
      try {
        await this.#retry((zk) => zk.setData(path, data, -1));
      } catch (err) {
        if (!isKeeperError(err, Err.NONODE)) throw err;
        await this.#createRecursive(path, data);
      }
    }
    const [changes, note] =
      patternType === 'LITERAL'
        ? [ACL_CHANGES_PATH, encodeLiteralAclChange(resourceType, name)]
        : [ACL_EXTENDED_CHANGES_PATH, encodeExtendedAclChange(resourceType, name, 'PREFIXED')];
    await this.#retry((zk) => zk.create(`${changes}/${ACL_CHANGE_PREFIX}`, note, { mode: 'persistent_sequential' }));
  }

  async #childrenOrNone(path: string): Promise<string[]> {
    try {
      return await this.getChildren(path);
    } catch (err) {
      if (isKeeperError(err, Err.NONODE)) return [];
      throw err;
    }
  }

  // ---- Producer ids ----

  /**
   * Reserves the next block of producer ids for `brokerId` by a write conditional on the
   * version of `/latest_producer_id_block` read, retried when another broker got there first
   * (Kafka's ZkProducerIdManager.getNewProducerIdBlock).
   */
  async allocateProducerIdBlock(brokerId: number, size = PRODUCER_ID_BLOCK_SIZE): Promise<ProducerIdBlock> {
    for (;;) {
      const node = await this.getData(PRODUCER_ID_BLOCK_PATH);
      if (node === null) await this.#retry((zk) => zk.mkdirp(PRODUCER_ID_BLOCK_PATH));
      let start = 0n;
      if (node !== null && node.data.length > 0) {
        const last = decodeProducerIdBlock(node.data);
        if (last.end > LONG_MAX - BigInt(size)) throw new Error('Have exhausted all producerIds.');
        start = last.end + 1n;
      }
      const block = { brokerId, start, end: start + BigInt(size) - 1n };
      try {
        await this.#retry((zk) => zk.setData(PRODUCER_ID_BLOCK_PATH, encodeProducerIdBlock(block), node?.stat.version ?? 0));
        return block;
      } catch (err) {
        if (!isKeeperError(err, Err.BADVERSION)) throw err;
      }
    }
  }

  // ---- Helpers ----

  /** Creates `path` persistent with `data`, creating missing parents empty. */
  async #createRecursive(path: string, data: Buffer): Promise<void> {
    try {
      await this.#retry((zk) => zk.create(path, data, { mode: 'persistent' }));
    } catch (err) {
      if (!isKeeperError(err, Err.NONODE)) throw err;
      await this.#retry((zk) => zk.mkdirp(path.slice(0, path.lastIndexOf('/'))));
      await this.#retry((zk) => zk.create(path, data, { mode: 'persistent' }));
    }
  }
}
