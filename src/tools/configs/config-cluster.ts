import type { ConnectOptions } from '../../client/connect.js';
import { openBootstrap, VersionedConnection, type VersionedConnectionOptions } from '../../client/versioned-connection.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultMetadataRequest, type MetadataResponse } from '../../protocol/generated/apis/metadata.js';

/**
 * The connections kts configs needs: the bootstrap broker for topics and cluster defaults, and
 * each broker for its own configs (a broker describes and alters only itself, so Kafka's admin
 * client sends broker resources to that broker).
 */
export class ConfigCluster {
  readonly #connections = new Map<number, VersionedConnection>();
  #metadata: Promise<MetadataResponse> | undefined;

  private constructor(
    readonly bootstrap: VersionedConnection,
    private readonly options: VersionedConnectionOptions,
  ) {}

  static async open(options: ConnectOptions): Promise<ConfigCluster> {
    const { bootstrap, options: connection } = await openBootstrap(options);
    return new ConfigCluster(bootstrap, connection);
  }

  /** Every topic, internal ones included, sorted. */
  async topicNames(): Promise<string[]> {
    const response = await this.bootstrap.request(ApiKey.Metadata, {
      ...defaultMetadataRequest(),
      topics: null,
      allowAutoTopicCreation: false,
    });
    return response.topics.map((t) => t.name!).sort();
  }

  async brokerIds(): Promise<number[]> {
    return (await this.#brokers()).brokers.map((b) => b.nodeId).sort((a, b) => a - b);
  }

  /** The connection to broker `id`, or the bootstrap one when that broker is not in the metadata. */
  async broker(id: number): Promise<VersionedConnection> {
    const existing = this.#connections.get(id);
    if (existing) return existing;
    const node = (await this.#brokers()).brokers.find((b) => b.nodeId === id);
    if (node === undefined || (node.host === this.bootstrap.address.host && node.port === this.bootstrap.address.port))
      return this.bootstrap;
    const conn = await VersionedConnection.reach(node, this.options);
    this.#connections.set(id, conn);
    return conn;
  }

  close(): void {
    this.bootstrap.close();
    for (const conn of this.#connections.values()) conn.close();
  }

  #brokers(): Promise<MetadataResponse> {
    this.#metadata ??= this.bootstrap.request(ApiKey.Metadata, { ...defaultMetadataRequest(), topics: [], allowAutoTopicCreation: false });
    return this.#metadata;
  }
}
