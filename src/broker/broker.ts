import { ClientQuotaAdmin } from './admin/client-quota-admin.js';
import { ConfigAdmin, storedDynamicConfigs } from './admin/config-admin.js';
import { TopicAdmin } from './admin/topic-admin.js';
import { localTopicChanges } from './admin/topic-changes.js';
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
import { ProducePurgatory } from './replication/delayed-produce.js';

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
 * A single-node Kafka broker: configuration, metadata, logs, partitions, request handlers and
 * listeners put together. `start` binds the listeners (port 0 gets a free port, advertised as
 * bound); `stop` stops accepting, answers what was already read (waiting fetches at once),
 * then flushes, checkpoints and closes the logs.
 */
export class Broker implements BrokerContext {
  readonly brokerId: number;
  readonly clusterId: string;
  readonly metadata: MetadataCache;
  readonly topicAdmin: TopicAdmin;
  readonly configAdmin: ConfigAdmin;
  readonly clientQuotas: ClientQuotaAdmin;
  readonly replicaManager: ReplicaManager;
  readonly logManager: LogManager;
  readonly fetchSessions = new FetchSessionCache();
  readonly fetchPurgatory: FetchPurgatory;
  readonly producePurgatory: ProducePurgatory;
  readonly producerIds: ProducerIdManager;
  readonly groupCoordinator: GroupCoordinator;
  readonly groupLog: GroupLog;
  #config: BrokerConfig;
  #endpoints: readonly Endpoint[] = [];
  #stopping: Promise<void> | undefined;
  readonly #store: MetadataStore;
  readonly #socketServer: SocketServer;

  private constructor(
    config: BrokerConfig,
    store: MetadataStore,
    stored: StoredMetadata,
    metadata: MetadataCache,
    logManager: LogManager,
    log: BrokerLogger,
  ) {
    this.#config = config;
    this.#store = store;
    this.logManager = logManager;
    this.brokerId = config.values['broker.id'];
    this.clusterId = logManager.clusterId;
    this.metadata = metadata;
    this.replicaManager = new ReplicaManager({
      logManager,
      localBrokerId: this.brokerId,
      config: () => this.#config.values,
      warn: (m) => log('warn', m),
    });
    this.replicaManager.load(metadata.topics());
    this.fetchPurgatory = new FetchPurgatory(this.replicaManager);
    this.producePurgatory = new ProducePurgatory(this.replicaManager);
    this.producerIds = new ProducerIdManager(store);
    this.topicAdmin = new TopicAdmin({
      store,
      cache: metadata,
      changes: localTopicChanges(metadata, this.replicaManager),
      config: () => this.#config,
      liveBrokers: () => [{ id: this.brokerId, rack: this.#config.values['broker.rack'] }],
    });
    this.configAdmin = new ConfigAdmin({
      brokerId: this.brokerId,
      store,
      cache: metadata,
      topicAdmin: this.topicAdmin,
      config: () => this.#config,
      applyBrokerConfig: (updated) => {
        this.#config = updated;
        for (const topic of metadata.topics()) this.replicaManager.updateLogConfig(topic);
      },
    });
    this.clientQuotas = new ClientQuotaAdmin(store, stored.clientQuotas, (m) => log('warn', m));
    ({ coordinator: this.groupCoordinator, log: this.groupLog } = startGroupCoordinator({
      cache: metadata,
      replicaManager: this.replicaManager,
      producePurgatory: this.producePurgatory,
      topicAdmin: this.topicAdmin,
      config: () => this.#config.values,
      warn: (m) => log('warn', m),
    }));
    const values = config.values;
    const handlers = brokerHandlers(this);
    this.#socketServer = new SocketServer({
      maxRequestBytes: values['socket.request.max.bytes'],
      idleTimeoutMs: values['connections.max.idle.ms'],
      maxInFlight: MAX_IN_FLIGHT_PER_CONNECTION,
      maxQueuedResponseBytes: MAX_QUEUED_RESPONSE_BYTES_PER_CONNECTION,
      router: createRouter(handlers),
      apiVersionsFallback: () => unsupportedApiVersionsResponse(handlers),
      onError: (connection, reason) => log('info', `Closed connection ${connection.remoteAddress} (${connection.listenerName}): ${reason}`),
      onHandlerFailure: (connection, message) =>
        log('error', `Closed connection ${connection.remoteAddress} (${connection.listenerName}): ${message}`),
    });
  }

  static async start(options: BrokerOptions): Promise<Broker> {
    const log = options.log ?? stderrLogger;
    const store = options.metadataStore ?? new LocalMetadataStore(options.config.logDirs[0]!);
    let logManager: LogManager | undefined;
    try {
      const stored = await store.load();
      const config = withStoredDynamicConfigs(options.config, stored.brokerConfigs, log);
      const metadata = new MetadataCache(stored.topics);
      const values = config.values;
      logManager = LogManager.open({
        logDirs: config.logDirs,
        brokerId: values['broker.id'],
        configFor: (topic) => topicLogConfig(values, new Map(Object.entries(metadata.topic(topic)?.configs ?? {}))),
        retentionCheckIntervalMs: values['log.retention.check.interval.ms'],
        flushCheckIntervalMs: values['log.flush.scheduler.interval.ms'],
        cleaner: {
          enable: values['log.cleaner.enable'],
          backoffMs: values['log.cleaner.backoff.ms'],
          dedupeBufferSize: values['log.cleaner.dedupe.buffer.size'],
        },
        onError: (err) => log('error', err.message),
      });
      const broker = new Broker(config, store, stored, metadata, logManager, log);
      await broker.#listen();
      return broker;
    } catch (err) {
      await logManager?.close();
      await store.close();
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

  advertisedEndpoint(listenerName: string): Endpoint {
    return this.#endpoints.find((e) => e.listenerName === listenerName) ?? this.#endpoints[0]!;
  }

  /** Idempotent; resolves once the logs are closed. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.fetchPurgatory.close();
      this.producePurgatory.close();
      this.groupCoordinator.close();
      await this.#socketServer.close();
      await this.logManager.close();
      await this.#store.close();
    })();
    return this.#stopping;
  }

  async #listen(): Promise<void> {
    const bound = await this.#socketServer.listen(
      this.#config.listeners.map((e) => ({ name: e.listenerName, host: e.host, port: e.port })),
    );
    this.#endpoints = resolveAdvertisedEndpoints(this.#config.advertisedListeners, new Map(bound.map((b) => [b.name, b.boundPort])));
    const self = { id: this.brokerId, rack: this.#config.values['broker.rack'], endpoints: this.#endpoints };
    this.metadata.setBrokers([self], this.brokerId);
  }
}
