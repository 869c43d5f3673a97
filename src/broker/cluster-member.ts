import type { BrokerLogger } from './broker-logger.js';
import { type BrokerConfig, interBrokerListenerName } from './config/broker-config.js';
import type { Endpoint } from './config/listeners.js';
import { OFFSETS_TOPIC } from './group/offsets-topic-log.js';
import type { MetadataCache } from './metadata/metadata-cache.js';
import type { Partition } from './partition/partition.js';
import type { ReplicaManager } from './partition/replica-manager.js';
import { BrokerLink } from './replication/broker-link.js';
import { interBrokerSecurity } from './security/listener-security.js';
import { type ControllerIdentity, ControlledReplicas } from './replication/controlled-replicas.js';
import { controlledShutdown } from './replication/controlled-shutdown.js';
import { IsrChangeSender } from './replication/isr-change-sender.js';
import { ReplicaFetcherManager } from './replication/replica-fetcher-manager.js';
import { TRANSACTION_STATE_TOPIC } from './transaction/transaction-log.js';
import type { ChangedEntity } from './zk/config-change-listener.js';
import type { ZkCluster } from './zk/zk-cluster.js';
import type { RateQuota } from './replication/replication-quota.js';

export interface ClusterMemberOptions {
  zk: ZkCluster;
  localBrokerId: number;
  config: () => BrokerConfig;
  metadata: MetadataCache;
  replicaManager: ReplicaManager;
  /** `follower.replication.throttled.rate`: what this broker's fetchers may copy for throttled, out-of-sync replicas. */
  followerQuota: RateQuota;
  /** Topic config overrides as ZooKeeper has them, shared with the replica manager's log configs. */
  topicConfigs: Map<string, Record<string, string>>;
  /** A `__consumer_offsets` partition became led here or stopped being. */
  onOffsetsLeadership(partition: number, isLeader: boolean): void;
  /** A `__transaction_state` partition became led here or stopped being. */
  onTransactionStateLeadership(partition: number, isLeader: boolean): void;
  /** A broker or client-quota entity changed in ZooKeeper. */
  onEntityChange(entity: ChangedEntity): Promise<void>;
  log: BrokerLogger;
}

/**
 * What makes a broker a cluster member beyond its single-node self: the ZooKeeper membership
 * (ZkCluster: registration, the controller module, config notifications), the follower fetchers,
 * the ISR changes sent to the controller, the broker side of the controller's requests, the
 * periodic ISR check, and controlled shutdown. Connections to other brokers go to their
 * inter-broker listener.
 */
export class ClusterMember {
  readonly fetchers: ReplicaFetcherManager;
  readonly isrChanges: IsrChangeSender;
  readonly replicas: ControlledReplicas;
  readonly #options: ClusterMemberOptions;
  #controller: ControllerIdentity | undefined;
  #isrTimer: NodeJS.Timeout | undefined;

  constructor(options: ClusterMemberOptions) {
    this.#options = options;
    const { zk, localBrokerId, metadata, log } = options;
    const logAs = (level: 'info' | 'warn', message: string) => log(level, message);
    const values = () => options.config().values;
    this.fetchers = new ReplicaFetcherManager({
      connect: (id) => this.connect(id, values()['replica.socket.timeout.ms']),
      settings: () => {
        const v = values();
        return {
          localBrokerId,
          brokerEpoch: () => zk.brokerEpoch,
          maxWaitMs: v['replica.fetch.wait.max.ms'],
          minBytes: v['replica.fetch.min.bytes'],
          maxBytes: v['replica.fetch.response.max.bytes'],
          partitionMaxBytes: v['replica.fetch.max.bytes'],
          backoffMs: v['replica.fetch.backoff.ms'],
          quota: options.followerQuota,
        };
      },
      log: logAs,
    });
    this.isrChanges = new IsrChangeSender({
      localBrokerId,
      brokerEpoch: () => zk.brokerEpoch,
      metadata,
      connect: (id) => this.connect(id, values()['controller.socket.timeout.ms']),
      log: logAs,
    });
    this.replicas = new ControlledReplicas({
      localBrokerId,
      session: {
        brokerEpoch: () => zk.brokerEpoch,
        controller: () => this.#controller,
        refreshController: () => this.#refreshController(),
        topicConfigs: (topic) => zk.zk.getEntityConfigs('topics', topic),
      },
      replicaManager: options.replicaManager,
      fetchers: this.fetchers,
      metadata,
      topicConfigs: options.topicConfigs,
      onLeadershipChange: (topic, partition, isLeader) => {
        if (topic === OFFSETS_TOPIC) options.onOffsetsLeadership(partition, isLeader);
        else if (topic === TRANSACTION_STATE_TOPIC) options.onTransactionStateLeadership(partition, isLeader);
      },
      log: logAs,
    });
  }

  /** Registers in ZooKeeper once the listeners are bound, and starts the periodic ISR check. */
  async start(endpoints: readonly Endpoint[]): Promise<void> {
    await this.#options.zk.start(endpoints);
    this.#scheduleIsrCheck();
  }

  /** A topic's configs changed in ZooKeeper: re-read and applied to its logs; other entities go to the broker. */
  async onConfigChange(entity: ChangedEntity): Promise<void> {
    if (entity.type !== 'topics') return this.#options.onEntityChange(entity);
    const configs = await this.#options.zk.zk.getEntityConfigs('topics', entity.name);
    this.#options.topicConfigs.set(entity.name, configs);
    const topic = this.#options.metadata.topic(entity.name);
    if (!topic) return;
    const updated = { ...topic, configs };
    this.#options.metadata.put(updated);
    this.#options.replicaManager.updateLogConfig(updated);
  }

  /**
   * Leaves the cluster: controlled shutdown first (leadership moves while this broker still
   * serves fetches), then the fetchers and the ISR sender stop. The ZooKeeper session is closed
   * by `close`, after the listeners.
   */
  async leave(): Promise<void> {
    clearTimeout(this.#isrTimer);
    const values = this.#options.config().values;
    if (values['controlled.shutdown.enable'] && this.#options.zk.brokerEpoch >= 0n) {
      await controlledShutdown({
        localBrokerId: this.#options.localBrokerId,
        brokerEpoch: () => this.#options.zk.brokerEpoch,
        metadata: this.#options.metadata,
        connect: (id) => this.connect(id, values['controller.socket.timeout.ms']),
        maxRetries: values['controlled.shutdown.max.retries'],
        retryBackoffMs: Number(values['controlled.shutdown.retry.backoff.ms']),
        log: (level, message) => this.#options.log(level, message),
      });
    }
    this.isrChanges.close();
    await this.fetchers.shutdown();
  }

  /**
   * A log dir failed (Kafka's handleLogDirFailure in a cluster): its partitions are no longer
   * fetched, and the controller is told through ZooKeeper; it asks by LeaderAndIsr which replicas
   * are offline and moves their leadership to replicas on healthy brokers.
   */
  onLogDirFailure(offline: readonly Partition[]): void {
    for (const partition of offline) this.fetchers.remove(partition);
    const { zk, localBrokerId, log } = this.#options;
    zk.zk.propagateLogDirEvent(localBrokerId).catch((err: unknown) => {
      log('error', `Could not tell the controller that a log dir of broker ${localBrokerId} failed: ${(err as Error).message}`);
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.#isrTimer);
    await this.#options.zk.stop();
  }

  /** A connection to another broker's inter-broker listener (as UpdateMetadata says where it is). */
  async connect(brokerId: number, timeoutMs: number): Promise<BrokerLink> {
    const listener = interBrokerListenerName(this.#options.config());
    const endpoint = this.#options.metadata.endpointOf(brokerId, listener);
    if (!endpoint) throw new Error(`broker ${brokerId} is not known to be alive on listener ${listener}`);
    return BrokerLink.open(endpoint, {
      clientId: `broker-${this.#options.localBrokerId}`,
      timeoutMs,
      security: interBrokerSecurity(this.#options.config()),
    });
  }

  async #refreshController(): Promise<ControllerIdentity | undefined> {
    const zk = this.#options.zk.zk;
    const [brokerId, epoch] = await Promise.all([zk.getControllerId(), zk.getControllerEpoch()]);
    this.#controller = brokerId >= 0 && epoch ? { brokerId, epoch: epoch.epoch } : undefined;
    return this.#controller;
  }

  /** Kafka's isr-expiration task: every replica.lag.time.max.ms / 2. */
  #scheduleIsrCheck(): void {
    const every = Math.max(1, Math.floor(Number(this.#options.config().values['replica.lag.time.max.ms']) / 2));
    this.#isrTimer = setTimeout(() => {
      this.#options.replicaManager.shrinkIsrs();
      this.#scheduleIsrCheck();
    }, every);
    this.#isrTimer.unref();
  }
}
