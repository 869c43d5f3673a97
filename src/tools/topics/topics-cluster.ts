import type { ConnectOptions } from '../../client/connect-options.js';
import { VersionedCluster } from '../../client/versioned-cluster.js';
import type { VersionedConnection } from '../../client/versioned-connection.js';
import type { MetadataResponse } from '../../protocol/generated/apis/metadata.js';

/**
 * Where kts topics sends its requests, as Kafka's admin client routes them: Metadata and
 * DescribeConfigs to any broker (the bootstrap one), topic changes to the controller. The
 * connections are a VersionedCluster's.
 */
export class TopicsCluster {
  private constructor(private readonly cluster: VersionedCluster) {}

  static async open(options: ConnectOptions): Promise<TopicsCluster> {
    return new TopicsCluster(await VersionedCluster.open(options));
  }

  get bootstrap(): VersionedConnection {
    return this.cluster.bootstrap;
  }

  /** Every topic (internal ones included) with its id and partitions, the brokers, and the controller. */
  metadata(): Promise<MetadataResponse> {
    return this.cluster.metadata(null);
  }

  /**
   * The controller `metadata` names (without it, a brokers-only Metadata is asked for); the
   * bootstrap connection when the controller is unknown.
   */
  async controller(metadata?: MetadataResponse): Promise<VersionedConnection> {
    const { controllerId, brokers } = metadata ?? (await this.cluster.metadata([]));
    const node = brokers.find((b) => b.nodeId === controllerId);
    return node === undefined ? this.cluster.bootstrap : this.cluster.connection(node);
  }

  /** How long the broker may take to apply a change: the client's request timeout, as Kafka's admin client sends it. */
  get requestTimeoutMs(): number {
    return this.cluster.requestTimeoutMs;
  }

  close(): void {
    this.cluster.close();
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
