import { ZooKeeperClient, parseConnectString } from '../../zookeeper/client/index.js';
import { randomUuid } from '../../protocol/primitives/uuid.js';
import type { BrokerLogger } from '../broker-logger.js';
import { type BrokerConfig, interBrokerListenerName, zookeeperConnectionTimeoutMs } from '../config/broker-config.js';
import { interBrokerSecurity } from '../security/listener-security.js';
import type { Endpoint } from '../config/listeners.js';
import { Controller } from '../controller/controller.js';
import { type ChangedEntity, ConfigChangeListener, ZkNotificationListener } from './config-change-listener.js';
import { authorizerEnabled } from '../security/acl-authorizer.js';
import { ACL_CHANGE_PREFIX, ACL_CHANGES_PATH, ACL_EXTENDED_CHANGES_PATH } from './zk-data.js';
import { KafkaZkClient } from './kafka-zk-client.js';
import type { BrokerRegistration } from './zk-data.js';
import { ZkMetadataStore } from './zk-metadata-store.js';

/** How long to wait between attempts to open a new session after one expired (Kafka's ZooKeeperClient retries every second). */
const SESSION_RETRY_MS = 1000;

export interface ZkClusterOptions {
  /** Read whenever needed: dynamic configs may change some settings. */
  config: () => BrokerConfig;
  /** The cluster id in the log dirs' meta.properties, if they have one. */
  storedClusterId?: string;
  log: BrokerLogger;
  /** A config entity changed in ZooKeeper (`/config/changes`): the broker re-reads and applies it. */
  onConfigChange?: (entity: ChangedEntity) => void | Promise<void>;
  /** A new broker epoch after re-registering on a new session. */
  onBrokerEpoch?: (epoch: bigint) => void;
  /** ACLs changed (`/kafka-acl-changes`, `/kafka-acl-extended-changes`); followed only with an authorizer. */
  onAclChange?: () => void | Promise<void>;
}

/**
 * A broker's membership of a ZooKeeper-mode cluster (the ZooKeeper half of Kafka's
 * KafkaServer.startup): the session, Kafka's persistent paths, the cluster id, the broker's
 * registration (its epoch), the controller module every broker runs, and the `/config/changes`
 * listener. On session expiry it opens a new session, re-registers (a new epoch) and the
 * controller competes again. Start-up failures are one-line errors.
 */
export class ZkCluster {
  readonly zk: KafkaZkClient;
  readonly metadataStore: ZkMetadataStore;
  readonly controller: Controller;
  readonly #options: ZkClusterOptions;
  readonly #configChanges: ConfigChangeListener;
  readonly #aclChanges: ZkNotificationListener<string>[];
  #endpoints: readonly Endpoint[] = [];
  #brokerEpoch = -1n;
  #stopped = false;

  private constructor(
    options: ZkClusterOptions,
    session: ZooKeeperClient,
    readonly clusterId: string,
  ) {
    this.#options = options;
    const config = options.config();
    const brokerId = config.values['broker.id'];
    this.zk = new KafkaZkClient(session);
    this.metadataStore = new ZkMetadataStore(this.zk, brokerId);
    this.controller = new Controller({
      brokerId,
      zk: this.zk,
      interBrokerListenerName: interBrokerListenerName(config),
      interBrokerSecurity: interBrokerSecurity(config),
      config: () => {
        const values = options.config().values;
        return {
          deleteTopicEnable: values['delete.topic.enable'],
          uncleanLeaderElectionEnable: values['unclean.leader.election.enable'],
          socketTimeoutMs: values['controller.socket.timeout.ms'],
          autoLeaderRebalanceEnable: values['auto.leader.rebalance.enable'],
          leaderImbalanceCheckIntervalSeconds: values['leader.imbalance.check.interval.seconds'],
          leaderImbalancePerBrokerPercentage: values['leader.imbalance.per.broker.percentage'],
        };
      },
      log: options.log,
    });
    this.#configChanges = new ConfigChangeListener({
      zk: this.zk,
      log: options.log,
      onChange: async (entity) => {
        await options.onConfigChange?.(entity);
        if (entity.type === 'topics') {
          const unclean = (await this.zk.getEntityConfigs('topics', entity.name))['unclean.leader.election.enable'];
          if (unclean?.trim().toLowerCase() === 'true') this.controller.enableTopicUncleanLeaderElection(entity.name);
        }
      },
    });
    this.#aclChanges = authorizerEnabled(config)
      ? [ACL_CHANGES_PATH, ACL_EXTENDED_CHANGES_PATH].map(
          (path) =>
            new ZkNotificationListener({
              zk: this.zk,
              log: options.log,
              path,
              prefix: ACL_CHANGE_PREFIX,
              decode: (data) => data.toString('utf8'),
              describe: (change) => `ACL change ${change}`,
              onChange: () => options.onAclChange?.(),
            }),
        )
      : [];
    this.#follow(session);
  }

  async #startListeners(): Promise<void> {
    await this.#configChanges.start();
    for (const listener of this.#aclChanges) await listener.start();
  }

  /**
   * Connects to `zookeeper.connect`, creates Kafka's persistent paths and gets (or creates) the
   * cluster id, which must be the one in meta.properties if the broker has one.
   */
  static async connect(options: ZkClusterOptions): Promise<ZkCluster> {
    const config = options.config();
    interBrokerListenerName(config); // a misconfigured listener fails before anything is written
    const session = await ZkCluster.#openSession(options);
    try {
      const zk = new KafkaZkClient(session);
      await zk.createPersistentPaths();
      if (authorizerEnabled(config)) await zk.createAclPaths();
      const clusterId = await zk.getOrCreateClusterId(options.storedClusterId ?? randomUuid());
      if (options.storedClusterId !== undefined && options.storedClusterId !== clusterId) {
        throw new Error(
          `The Cluster ID ${clusterId} doesn't match stored clusterId Some(${options.storedClusterId}) in meta.properties. The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.`,
        );
      }
      return new ZkCluster(options, session, clusterId);
    } catch (err) {
      await session.close().catch(() => undefined);
      throw err;
    }
  }

  /** A session on `zookeeper.connect`, its chroot created first if missing (Kafka's createChrootIfNecessary). */
  static async #openSession(options: ZkClusterOptions): Promise<ZooKeeperClient> {
    const values = options.config().values;
    const connectString = values['zookeeper.connect'];
    if (!connectString) throw new Error('zookeeper.connect is not set');
    const connect = (text: string) =>
      ZooKeeperClient.connect({
        connectString: text,
        sessionTimeoutMs: values['zookeeper.session.timeout.ms'],
        connectionTimeoutMs: zookeeperConnectionTimeoutMs(values),
        log: (level, message) => options.log(level, `[ZooKeeper client] ${message}`),
      });
    const { chroot } = parseConnectString(connectString);
    if (chroot !== undefined) {
      const root = await connect(connectString.slice(0, connectString.indexOf('/')));
      try {
        await root.mkdirp(chroot);
      } finally {
        await root.close();
      }
    }
    return connect(connectString);
  }

  /** The czxid of this broker's registration; -1 before `start`. */
  get brokerEpoch(): bigint {
    return this.#brokerEpoch;
  }

  /**
   * Joins the cluster once the listeners are bound: registers `/brokers/ids/<id>` with the
   * advertised endpoints, starts the controller module and follows config changes. A broker id
   * registered by another live broker is a one-line error.
   */
  async start(endpoints: readonly Endpoint[]): Promise<void> {
    this.#endpoints = endpoints;
    this.#brokerEpoch = await this.zk.registerBroker(this.#registration());
    this.controller.startup();
    await this.#startListeners();
  }

  /** Leaves: the controller stops and the session is closed, so `/brokers/ids/<id>` (and `/controller`) go at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#configChanges.stop();
    for (const listener of this.#aclChanges) listener.stop();
    // The controller takes no more events; closing the session ends one still waiting for a lost connection.
    const controllerStopped = this.controller.shutdown();
    await this.zk.session.close().catch(() => undefined);
    await controllerStopped;
  }

  #registration(): BrokerRegistration {
    const values = this.#options.config().values;
    return {
      id: values['broker.id'],
      endpoints: this.#endpoints.map((e) => ({
        listenerName: e.listenerName,
        securityProtocol: e.securityProtocol,
        host: e.host,
        port: e.port,
      })),
      rack: values['broker.rack'],
      jmxPort: -1,
      features: {},
      timestamp: String(Date.now()),
    };
  }

  #follow(session: ZooKeeperClient): void {
    session.on('state', (state) => {
      if (state === 'expired' && session === this.zk.session && !this.#stopped) void this.#renewSession();
    });
  }

  /** Kafka's session re-initialization: resign, new session, re-register (new epoch), compete again, re-arm watches. */
  async #renewSession(): Promise<void> {
    const { log } = this.#options;
    log('warn', `ZooKeeper session 0x${this.zk.session.sessionId.toString(16)} expired; opening a new session`);
    await this.controller.sessionExpired();
    let session: ZooKeeperClient | undefined;
    while (!this.#stopped && !session) {
      try {
        session = await ZkCluster.#openSession(this.#options);
      } catch (err) {
        log('warn', `${(err as Error).message}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, SESSION_RETRY_MS));
      }
    }
    if (!session) return;
    if (this.#stopped) {
      await session.close();
      return;
    }
    this.zk.useSession(session);
    this.#follow(session);
    try {
      await this.controller.registerAndReelect(async () => {
        this.#brokerEpoch = await this.zk.registerBroker(this.#registration());
        this.#options.onBrokerEpoch?.(this.#brokerEpoch);
      });
      await this.#startListeners();
    } catch (err) {
      log(
        'error',
        `Re-registering broker ${this.#options.config().values['broker.id']} after a session expiry failed: ${(err as Error).message}`,
      );
    }
  }
}
