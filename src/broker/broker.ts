import { ClientQuotaAdmin } from './admin/client-quota-admin.js';
import { ConfigAdmin, storedDynamicConfigs } from './admin/config-admin.js';
import { TopicAdmin } from './admin/topic-admin.js';
import { clusterTopicChanges, localTopicChanges } from './admin/topic-changes.js';
import { ClusterMember } from './cluster-member.js';
import type { ChangedEntity } from './zk/config-change-listener.js';
import { ZkCluster } from './zk/zk-cluster.js';
import type { BrokerContext } from './api/broker-context.js';
import { createRouter } from './api/dispatcher.js';
import { brokerHandlers } from './api/handlers.js';
import { unsupportedApiVersionsResponse } from './api/api-versions.js';
import { type BrokerConfig, withDynamicConfigs } from './config/broker-config.js';
import { ConfigError } from './config/config-error.js';
import { resolveAdvertisedEndpoints, type Endpoint } from './config/listeners.js';
import { topicLogConfig } from './config/topic-config.js';
import { ProducerIdManager } from './coordinator/producer-id-manager.js';
import { FetchPurgatory } from './fetch/fetch-purgatory.js';
import { FetchSessionCache } from './fetch/fetch-session.js';
import type { GroupCoordinator } from './group/group-coordinator.js';
import { startGroupCoordinator } from './group/group-coordinator-setup.js';
import type { GroupLog } from './group/group-log.js';
import { LogManager } from './log/log-manager.js';
import { LocalMetadataStore } from './metadata/local-metadata-store.js';
import { MetadataCache } from './metadata/metadata-cache.js';
import type { BrokerConfigRecords, MetadataStore, StoredMetadata } from './metadata/metadata-store.js';
import { SocketServer } from './network/socket-server.js';
import { ReplicaManager } from './partition/replica-manager.js';
import { ProducePipeline } from './produce/produce-pipeline.js';
import { ProducePurgatory } from './replication/delayed-produce.js';
import { InternalTopicLog } from './coordinator/internal-topic-log.js';
import { TransactionCoordinator } from './transaction/transaction-coordinator.js';
import { transactionStateTopic } from './transaction/transaction-log.js';
import { TxnMarkerChannel } from './transaction/txn-marker-channel.js';
import { TxnMarkerWriter } from './transaction/txn-marker-writer.js';
import { BrokerLinks } from './transaction/broker-links.js';
import { TxnVerifier } from './transaction/txn-verifier.js';
import { type ReplicationQuotas, replicationQuotas } from './replication/replication-quota.js';
import { type ListenerSecurity, listenerSecurity } from './security/listener-security.js';
import { FailedAuthenticationDelay } from './security/failed-authentication-delay.js';
import { openSession } from './security/sasl-authenticator.js';
import { ScramCredentialAdmin } from './security/scram-credential-admin.js';
import { AclAdmin } from './security/acl-admin.js';
import { authorizerEnabled, authorizerSettings } from './security/acl-authorizer.js';

import type { BrokerLogger } from './broker-logger.js';

export type { BrokerLogger, BrokerLogLevel } from './broker-logger.js';

export interface BrokerOptions {
  config: BrokerConfig;
  /** Default: warnings and errors to stderr. */
  log?: BrokerLogger;
  /** Default: a LocalMetadataStore in the first log dir. */
  metadataStore?: MetadataStore;
}

/** Requests one connection may have unanswered before reading from it pauses. */
const MAX_IN_FLIGHT_PER_CONNECTION = 100;

/**
 * Response bytes one connection may have waiting to be sent before reading from it pauses. Not a
 * limit on a response's size: it only stops read-ahead, which real clients need for small requests
 * (pipelined Produce, heartbeats), never for a second large Fetch response.
 */
const MAX_QUEUED_RESPONSE_BYTES_PER_CONNECTION = 16 << 20;

/** Dynamic configs persisted by AlterConfigs; a value that no longer parses is reported and the static configuration used. */
function withStoredDynamicConfigs(config: BrokerConfig, records: BrokerConfigRecords, log: BrokerLogger): BrokerConfig {
  try {
    return withDynamicConfigs(config, storedDynamicConfigs(records, config.values['broker.id']));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    log('warn', `Ignoring the stored dynamic broker configs: ${err.message}`);
    return config;
  }
}

const stderrLogger: BrokerLogger = (level, message) => {
  if (level !== 'info') process.stderr.write(`[kts broker] ${level.toUpperCase()} ${message}\n`);
};

/**
 * A Kafka broker: configuration, metadata, logs, partitions, request handlers and listeners put
 * together. Without `zookeeper.connect` it is a single node keeping its own metadata; with it, a
 * member of a ZooKeeper-mode cluster (ClusterMember: registration, the controller module,
 * replication). `start` binds the listeners (port 0 gets a free port, advertised as bound), then
 * joins the cluster; `stop` moves leadership away (controlled shutdown), stops accepting, answers
 * what was already read (waiting fetches at once), leaves ZooKeeper, then flushes, checkpoints and
 * closes the logs.
 */
export class Broker implements BrokerContext {
  readonly brokerId: number;
  readonly clusterId: string;
  readonly metadata: MetadataCache;
  readonly topicAdmin: TopicAdmin;
  readonly configAdmin: ConfigAdmin;
  readonly clientQuotas: ClientQuotaAdmin;
  readonly scramCredentials: ScramCredentialAdmin;
  readonly acls: AclAdmin | undefined;
  readonly replicaManager: ReplicaManager;
  readonly producePipeline: ProducePipeline;
  readonly logManager: LogManager;
  readonly fetchSessions = new FetchSessionCache();
  readonly fetchPurgatory: FetchPurgatory;
  readonly replicationQuotas: ReplicationQuotas;
  readonly producePurgatory: ProducePurgatory;
  readonly producerIds: ProducerIdManager;
  readonly groupCoordinator: GroupCoordinator;
  readonly groupLog: GroupLog;
  readonly transactionCoordinator: TransactionCoordinator;
  readonly transactionLog: InternalTopicLog;
  readonly txnMarkers: TxnMarkerWriter;
  readonly txnVerifier: TxnVerifier;
  /** The transaction coordinator's and the verifications' connections to other brokers. */
  readonly #brokerLinks: BrokerLinks | undefined;
  #config: BrokerConfig;
  #endpoints: readonly Endpoint[] = [];
  #stopping: Promise<void> | undefined;
  /** Why the broker stopped itself (every log dir failed); settles only then. */
  readonly halted: Promise<Error>;
  #halt!: (reason: Error) => void;
  readonly #store: MetadataStore;
  readonly #socketServer: SocketServer;
  readonly #member: ClusterMember | undefined;
  readonly #log: BrokerLogger;
  readonly #listenerSecurity: ReadonlyMap<string, ListenerSecurity>;
  readonly #timers: NodeJS.Timeout[] = [];

  private constructor(
    config: BrokerConfig,
    store: MetadataStore,
    stored: StoredMetadata,
    metadata: MetadataCache,
    logManager: LogManager,
    log: BrokerLogger,
    cluster: { zk: ZkCluster; topicConfigs: Map<string, Record<string, string>> } | undefined,
  ) {
    this.halted = new Promise((resolve) => {
      this.#halt = resolve;
    });
    this.#config = config;
    this.#log = log;
    this.#store = store;
    this.logManager = logManager;
    this.brokerId = config.values['broker.id'];
    this.clusterId = logManager.clusterId;
    this.metadata = metadata;
    this.replicationQuotas = replicationQuotas(() => this.#config);
    this.replicaManager = new ReplicaManager({
      logManager,
      localBrokerId: this.brokerId,
      config: () => this.#config.values,
      warn: (m) => log('warn', m),
      info: (m) => log('info', m),
      alterLogDirsQuota: this.replicationQuotas.alterLogDirs,
      ...(cluster && {
        cluster: {
          isBrokerAlive: (id) => metadata.isBrokerAlive(id),
          submitIsrChange: (partition, change) => this.#member!.isrChanges.submit(partition, change),
        },
      }),
    });
    // A cluster member's partitions come from the controller's LeaderAndIsr.
    if (!cluster) this.replicaManager.load(metadata.topics());
    this.producePipeline = new ProducePipeline({
      replicaManager: this.replicaManager,
      maxRequestBytes: () => this.#config.values['socket.request.max.bytes'],
    });
    this.fetchPurgatory = new FetchPurgatory(this.replicaManager);
    this.producePurgatory = new ProducePurgatory(this.replicaManager);
    this.producerIds = new ProducerIdManager(store);
    this.topicAdmin = new TopicAdmin({
      store,
      cache: metadata,
      changes: cluster
        ? clusterTopicChanges(metadata, this.replicaManager, () => this.#config.values['request.timeout.ms'])
        : localTopicChanges(store, metadata, this.replicaManager),
      config: () => this.#config,
      liveBrokers: () => metadata.liveBrokers().map((b) => ({ id: b.id, rack: b.rack })),
    });
    this.configAdmin = new ConfigAdmin({
      brokerId: this.brokerId,
      store,
      cache: metadata,
      topicAdmin: this.topicAdmin,
      config: () => this.#config,
      applyBrokerConfig: (updated) => this.#applyBrokerConfig(updated),
    });
    this.clientQuotas = new ClientQuotaAdmin(store, stored.clientQuotas, (m) => log('warn', m));
    this.scramCredentials = new ScramCredentialAdmin(store, stored.scramCredentials, (m) => log('warn', m));
    this.#listenerSecurity = listenerSecurity(config);
    this.acls = authorizerEnabled(config) ? new AclAdmin(store, stored.acls, () => authorizerSettings(this.#config)) : undefined;
    ({ coordinator: this.groupCoordinator, log: this.groupLog } = startGroupCoordinator({
      cache: metadata,
      replicaManager: this.replicaManager,
      producePurgatory: this.producePurgatory,
      topicAdmin: this.topicAdmin,
      config: () => this.#config.values,
      warn: (m) => log('warn', m),
    }));
    this.#member =
      cluster &&
      new ClusterMember({
        zk: cluster.zk,
        localBrokerId: this.brokerId,
        config: () => this.#config,
        metadata,
        replicaManager: this.replicaManager,
        followerQuota: this.replicationQuotas.follower,
        topicConfigs: cluster.topicConfigs,
        onOffsetsLeadership: (partition, isLeader) => this.groupCoordinator.onLeadershipChange(partition, isLeader),
        onTransactionStateLeadership: (partition, isLeader) => this.transactionCoordinator.onLeadershipChange(partition, isLeader),
        onEntityChange: (entity) => this.#reloadEntity(entity),
        log,
      });
    const values = config.values;
    ({
      coordinator: this.transactionCoordinator,
      log: this.transactionLog,
      markers: this.txnMarkers,
      verifier: this.txnVerifier,
      links: this.#brokerLinks,
    } = this.#startTransactionCoordinator(cluster !== undefined));
    this.#every(values['replica.high.watermark.checkpoint.interval.ms'], () => this.replicaManager.checkpointHighWatermarks());
    const handlers = brokerHandlers(this, this.#member && { controller: cluster!.zk.controller, replicas: this.#member.replicas });
    const failedAuthenticationDelay = new FailedAuthenticationDelay(values['connection.failed.authentication.delay.ms']);
    this.#socketServer = new SocketServer({
      maxRequestBytes: values['socket.request.max.bytes'],
      idleTimeoutMs: values['connections.max.idle.ms'],
      maxInFlight: MAX_IN_FLIGHT_PER_CONNECTION,
      maxQueuedResponseBytes: MAX_QUEUED_RESPONSE_BYTES_PER_CONNECTION,
      router: createRouter(handlers, (session, operation, type, name) => {
        if (this.acls === undefined) return true;
        const who = { principal: session.principal, host: session.clientHost };
        return name === undefined
          ? this.acls.authorizer.authorizeByResourceType(who, operation, type)
          : this.acls.authorizer.authorize(who, operation, type, name);
      }),
      apiVersionsFallback: () => unsupportedApiVersionsResponse(handlers),
      onError: (connection, reason) => log('info', `Closed connection ${connection.remoteAddress} (${connection.listenerName}): ${reason}`),
      onHandlerFailure: (connection, message) =>
        log('error', `Closed connection ${connection.remoteAddress} (${connection.listenerName}): ${message}`),
      sessionFor: (listenerName, socket) =>
        openSession(
          this.#listenerSecurity.get(listenerName)!,
          socket,
          (mechanism, user) => this.scramCredentials.lookup(mechanism, user),
          failedAuthenticationDelay,
        ),
      onTlsError: (listenerName, reason) => log('info', `Refused a connection on ${listenerName}: ${reason}`),
      onAcceptError: (reason) => log('error', reason),
    });
  }

  static async start(options: BrokerOptions): Promise<Broker> {
    const log = options.log ?? stderrLogger;
    let zk: ZkCluster | undefined;
    let store: MetadataStore | undefined;
    let logManager: LogManager | undefined;
    let broker: Broker | undefined;
    try {
      if (options.config.values['zookeeper.connect']) {
        zk = await ZkCluster.connect({
          config: () => broker?.config() ?? options.config,
          log,
          onConfigChange: (entity) => (broker ? broker.#onConfigChange(entity) : undefined),
          onAclChange: async () => broker?.acls?.reload(await broker.#store.loadAcls()),
        });
      }
      const metadataStore = zk?.metadataStore ?? options.metadataStore ?? new LocalMetadataStore(options.config.logDirs[0]!);
      store = metadataStore;
      const stored = await metadataStore.load();
      const config = withStoredDynamicConfigs(options.config, stored.brokerConfigs, log);
      // A cluster member learns topics from the controller; it keeps ZooKeeper's topic configs until then.
      const metadata = new MetadataCache(zk ? [] : stored.topics);
      const topicConfigs = new Map(stored.topics.map((t) => [t.name, { ...t.configs }]));
      const values = config.values;
      const configsOf = (topic: string) => topicConfigs.get(topic) ?? metadata.topic(topic)?.configs ?? {};
      logManager = LogManager.open({
        logDirs: config.logDirs,
        brokerId: values['broker.id'],
        ...(zk && { clusterId: zk.clusterId }),
        configFor: (topic) => topicLogConfig(values, new Map(Object.entries(configsOf(topic)))),
        retentionCheckIntervalMs: values['log.retention.check.interval.ms'],
        recoveryPointCheckpointIntervalMs: values['log.flush.offset.checkpoint.interval.ms'],
        logStartOffsetCheckpointIntervalMs: values['log.flush.start.offset.checkpoint.interval.ms'],
        flushCheckIntervalMs: values['log.flush.scheduler.interval.ms'],
        producerIdExpiration: {
          expirationMs: () => (broker ? broker.#config : config).values['producer.id.expiration.ms'],
          checkIntervalMs: values['producer.id.expiration.check.interval.ms'],
        },
        cleaner: {
          enable: values['log.cleaner.enable'],
          backoffMs: values['log.cleaner.backoff.ms'],
          dedupeBufferSize: values['log.cleaner.dedupe.buffer.size'],
        },
        onError: (err) => log('error', err.message),
        warn: (message) => log('warn', message),
        onLogDirFailure: (dir, live) => {
          if (broker) broker.#onLogDirFailure(dir, live);
        },
      });
      const allFailed = logManager.logDirs.every((dir) => logManager!.isOffline(dir));
      if (allFailed) throw new Error(`Shutdown broker because all log dirs in ${logManager.logDirs.join(', ')} have failed`);
      broker = new Broker(config, metadataStore, stored, metadata, logManager, log, zk && { zk, topicConfigs });
      await broker.#listen();
      await broker.#member?.start(broker.endpoints);
      return broker;
    } catch (err) {
      if (broker) await broker.stop();
      else {
        await logManager?.close();
        await store?.close();
        await zk?.stop();
      }
      throw err;
    }
  }

  config(): BrokerConfig {
    return this.#config;
  }

  /** Where clients reach this broker, per listener (wildcard hosts and port 0 resolved). */
  get endpoints(): readonly Endpoint[] {
    return this.#endpoints;
  }

  /** Idempotent; resolves once the logs are closed. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#member?.leave();
      for (const timer of this.#timers) clearInterval(timer);
      this.fetchPurgatory.close();
      this.producePurgatory.close();
      this.groupCoordinator.close();
      this.transactionCoordinator.close();
      this.#brokerLinks?.close();
      await this.#socketServer.close();
      await this.#member?.close();
      await this.replicaManager.shutdown();
      this.replicaManager.checkpointHighWatermarks();
      await this.logManager.close();
      await this.#store.close();
    })();
    return this.#stopping;
  }

  /**
   * The transaction coordinator over `__transaction_state`, its markers written through the same
   * writer as WriteTxnMarkers: directly for partitions led here, over the inter-broker listener for the others.
   */
  #startTransactionCoordinator(clustered: boolean): {
    coordinator: TransactionCoordinator;
    log: InternalTopicLog;
    markers: TxnMarkerWriter;
    verifier: TxnVerifier;
    links: BrokerLinks | undefined;
  } {
    const config = () => this.#config.values;
    const log = new InternalTopicLog({
      topic: () => transactionStateTopic(config()),
      cache: this.metadata,
      replicaManager: this.replicaManager,
      createTopic: (topic) => this.topicAdmin.createTopic(topic, false),
      writeTimeoutMs: () => config()['request.timeout.ms'],
      producePurgatory: this.producePurgatory,
      warn: (m) => this.#log('warn', m),
    });
    const markers = new TxnMarkerWriter({
      replicaManager: this.replicaManager,
      producePurgatory: this.producePurgatory,
      onOffsetsMarker: (producerId, partition, commit) => this.groupCoordinator.onTxnCompleted(producerId, partition, commit),
      timeoutMs: () => config()['request.timeout.ms'],
    });
    const links = clustered ? new BrokerLinks((id) => this.#member!.connect(id, config()['request.timeout.ms'])) : undefined;
    const channel = new TxnMarkerChannel({ localBrokerId: this.brokerId, metadata: this.metadata, writer: markers, links, log: this.#log });
    const coordinator = new TransactionCoordinator({
      log,
      producerIds: this.producerIds,
      markers: channel,
      config,
      logger: this.#log,
    });
    coordinator.start();
    const verifier = new TxnVerifier({
      localBrokerId: this.brokerId,
      metadata: this.metadata,
      coordinator,
      transactionLog: log,
      links,
      log: this.#log,
    });
    return { coordinator, log, markers, verifier, links };
  }

  #onConfigChange(entity: ChangedEntity): Promise<void> | undefined {
    return this.#member?.onConfigChange(entity);
  }

  /** A broker-config or client-quota entity changed in ZooKeeper (another broker's AlterConfigs): re-read and applied. */
  async #reloadEntity(entity: ChangedEntity): Promise<void> {
    const stored = await this.#store.load();
    if (entity.type === 'brokers') this.#applyBrokerConfig(withStoredDynamicConfigs(this.#config, stored.brokerConfigs, this.#log));
    else {
      this.clientQuotas.reload(stored.clientQuotas);
      this.scramCredentials.reload(stored.scramCredentials);
    }
  }

  /** New dynamic broker configs: in effect at once, topics without overrides included. */
  #applyBrokerConfig(updated: BrokerConfig): void {
    this.#config = updated;
    for (const topic of this.metadata.topics()) this.replicaManager.updateLogConfig(topic);
  }

  #every(intervalMs: number | bigint, task: () => void): void {
    const timer = setInterval(task, Number(intervalMs));
    timer.unref();
    this.#timers.push(timer);
  }

  /**
   * Kafka's handleLogDirFailure: the dir's partitions went offline with it (in a cluster the
   * controller is told, and moves their leadership); once no dir is left the broker cannot serve
   * anything and stops (Kafka halts the JVM), saying why in one line.
   */
  #onLogDirFailure(dir: string, live: number): void {
    this.#log('warn', `Stopping serving replicas in dir ${dir}`);
    const offline = this.replicaManager.takeOffline(dir);
    if (live > 0) {
      this.#member?.onLogDirFailure(offline);
      return;
    }
    const reason = new Error(`Shutdown broker because all log dirs in ${this.logManager.logDirs.join(', ')} have failed`);
    this.#log('error', reason.message);
    this.#halt(reason);
    void this.stop();
  }

  async #listen(): Promise<void> {
    const bound = await this.#socketServer.listen(
      this.#config.listeners.map((e) => {
        const { tls } = this.#listenerSecurity.get(e.listenerName)!;
        return { name: e.listenerName, host: e.host, port: e.port, ...(tls && { tls }) };
      }),
    );
    this.#endpoints = resolveAdvertisedEndpoints(this.#config.advertisedListeners, new Map(bound.map((b) => [b.name, b.boundPort])));
    // A cluster member learns the live brokers from the controller's UpdateMetadata.
    if (this.#member) return;
    const self = { id: this.brokerId, rack: this.#config.values['broker.rack'], endpoints: this.#endpoints };
    this.metadata.setBrokers([self], this.brokerId);
  }
}
