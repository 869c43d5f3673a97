import type { ConnectOptions } from '../../client/connect.js';
import { openBootstrap, VersionedConnection, type VersionedConnectionOptions } from '../../client/versioned-connection.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultMetadataRequest, type MetadataResponse } from '../../protocol/generated/apis/metadata.js';

/**
 * The connections kts topics needs, as Kafka's admin client routes them: Metadata and
 * DescribeConfigs to any broker (the bootstrap one), topic changes to the controller.
 */
export class TopicsCluster {
  #controller: VersionedConnection | undefined;

  private constructor(
    readonly bootstrap: VersionedConnection,
    private readonly options: VersionedConnectionOptions,
  ) {}

  static async open(options: ConnectOptions): Promise<TopicsCluster> {
    const { bootstrap, options: connection } = await openBootstrap(options);
    return new TopicsCluster(bootstrap, connection);
  }

  /** Every topic (internal ones included) with its id and partitions, the brokers, and the controller. */
  metadata(): Promise<MetadataResponse> {
    return this.bootstrap.request(ApiKey.Metadata, { ...defaultMetadataRequest(), topics: null, allowAutoTopicCreation: false });
  }

  /**
   * The controller `metadata` names (without it, a brokers-only Metadata is asked for); the
   * bootstrap connection when the controller is unknown or is that broker.
   */
  async controller(metadata?: MetadataResponse): Promise<VersionedConnection> {
    if (this.#controller) return this.#controller;
    const { controllerId, brokers } =
      metadata ??
      (await this.bootstrap.request(ApiKey.Metadata, { ...defaultMetadataRequest(), topics: [], allowAutoTopicCreation: false }));
    const node = brokers.find((b) => b.nodeId === controllerId);
    if (node === undefined || (node.host === this.bootstrap.address.host && node.port === this.bootstrap.address.port))
      return this.bootstrap;
    this.#controller = await VersionedConnection.reach(node, this.options);
    return this.#controller;
  }

  /** How long the broker may take to apply a change: the client's request timeout, as Kafka's admin client sends it. */
  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs;
  }

  close(): void {
    this.bootstrap.close();
    this.#controller?.close();
  }
}

/** Opens the cluster's connections, runs `fn`, always closes them. */
export async function withTopicsCluster<T>(options: ConnectOptions, fn: (cluster: TopicsCluster) => Promise<T>): Promise<T> {
  const cluster = await TopicsCluster.open(options);
  try {
    return await fn(cluster);
  } finally {
    cluster.close();
  }
}
