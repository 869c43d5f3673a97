import type { ConnectOptions } from '../../client/connect.js';
import { VersionedCluster } from '../../client/versioned-cluster.js';
import type { VersionedConnection } from '../../client/versioned-connection.js';
import type { MetadataResponse } from '../../protocol/generated/apis/metadata.js';

/**
 * Where kts configs sends its requests: the bootstrap broker for topics and cluster defaults, and
 * each broker for its own configs (a broker describes and alters only itself, so Kafka's admin
 * client sends broker resources to that broker). The connections are a VersionedCluster's.
 */
export class ConfigCluster {
  #brokers: Promise<MetadataResponse> | undefined;

  private constructor(private readonly cluster: VersionedCluster) {}

  static async open(options: ConnectOptions): Promise<ConfigCluster> {
    return new ConfigCluster(await VersionedCluster.open(options));
  }

  get bootstrap(): VersionedConnection {
    return this.cluster.bootstrap;
  }

  /** Every topic, internal ones included, sorted. */
  async topicNames(): Promise<string[]> {
    return (await this.cluster.metadata(null)).topics.map((t) => t.name!).sort();
  }

  async brokerIds(): Promise<number[]> {
    return (await this.#brokerMetadata()).brokers.map((b) => b.nodeId).sort((a, b) => a - b);
  }

  /** The connection to broker `id`, or the bootstrap one when that broker is not in the metadata. */
  async broker(id: number): Promise<VersionedConnection> {
    const node = (await this.#brokerMetadata()).brokers.find((b) => b.nodeId === id);
    return node === undefined ? this.cluster.bootstrap : this.cluster.connection(node);
  }

  close(): void {
    this.cluster.close();
  }

  #brokerMetadata(): Promise<MetadataResponse> {
    this.#brokers ??= this.cluster.metadata([]);
    return this.#brokers;
  }
}
