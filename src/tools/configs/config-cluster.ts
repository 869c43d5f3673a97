import type { ConnectOptions } from '../../client/connect-options.js';
import { VersionedCluster } from '../../client/versioned-cluster.js';
import type { VersionedConnection } from '../../client/versioned-connection.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { MetadataResponse } from '../../protocol/generated/apis/metadata.js';
import { commandFailure } from './command-failure.js';

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

  /** Every client-metrics subscription's name, sorted (ListClientMetricsResources, KIP-714). */
  async clientMetricsResources(): Promise<string[]> {
    const response = await this.cluster.bootstrap.request(ApiKey.ListClientMetricsResources, {});
    if (response.errorCode !== ErrorCode.NONE) throw commandFailure(response.errorCode, null);
    return response.clientMetricsResources.map((r) => r.name).sort();
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
