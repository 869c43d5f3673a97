import { ApiKey } from '../protocol/generated/api-info.js';
import { defaultMetadataRequest, type MetadataResponse } from '../protocol/generated/apis/metadata.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';
import { formatBroker, type BrokerAddress } from './bootstrap.js';
import type { ConnectOptions } from './connect-options.js';
import { openBootstrap, VersionedConnection, type VersionedConnectionOptions } from './versioned-connection.js';

/**
 * A tool's connections to a cluster through kts's own client, for requests that must reach
 * particular brokers (partition leaders): Metadata goes to the bootstrap broker, and each other
 * broker gets one connection, opened when first needed. A connection that fails is opened again
 * when next needed (`consumer-groups --watch` outlives a broker's restart).
 */
export class VersionedCluster {
  readonly #connections = new Map<string, Promise<VersionedConnection>>();

  private constructor(
    readonly bootstrap: VersionedConnection,
    private readonly options: VersionedConnectionOptions,
  ) {
    this.#keep(formatBroker(bootstrap.address), Promise.resolve(bootstrap));
  }

  static async open(options: ConnectOptions): Promise<VersionedCluster> {
    const { bootstrap, options: connection } = await openBootstrap(options);
    return new VersionedCluster(bootstrap, connection);
  }

  /** Brokers and the named topics (null: every topic, internal ones included), never creating one. */
  async metadata(topics: readonly string[] | null): Promise<MetadataResponse> {
    return (await this.connection(this.bootstrap.address)).request(ApiKey.Metadata, {
      ...defaultMetadataRequest(),
      topics: topics === null ? null : topics.map((name) => ({ name, topicId: ZERO_UUID })),
      allowAutoTopicCreation: false,
    });
  }

  /** The connection to `broker`; one that cannot be reached is a one-line KtsError. */
  connection(broker: BrokerAddress): Promise<VersionedConnection> {
    const key = formatBroker(broker);
    return this.#connections.get(key) ?? this.#keep(key, VersionedConnection.reach(broker, this.options));
  }

  /** Caches `conn` under `key` until it fails to open or fails later. */
  #keep(key: string, conn: Promise<VersionedConnection>): Promise<VersionedConnection> {
    this.#connections.set(key, conn);
    const forget = () => {
      if (this.#connections.get(key) === conn) this.#connections.delete(key);
    };
    conn.then((c) => c.onFailure(forget), forget);
    return conn;
  }

  /** How this cluster's connections are opened (for requests a tool sends to other brokers itself). */
  get connectionOptions(): VersionedConnectionOptions {
    return this.options;
  }

  /** request.timeout.ms: what one request may take (and what a broker may take to apply a change). */
  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs;
  }

  /** default.api.timeout.ms: what a tool may spend on one operation, retries included. */
  get apiTimeoutMs(): number {
    return this.options.apiTimeoutMs;
  }

  close(): void {
    // A connection still opening closes once it is open.
    for (const conn of this.#connections.values())
      conn.then(
        (c) => c.close(),
        () => {},
      );
  }
}

/** Opens the cluster's bootstrap connection, runs `fn`, always closes every connection. */
export async function withVersionedCluster<T>(options: ConnectOptions, fn: (cluster: VersionedCluster) => Promise<T>): Promise<T> {
  const cluster = await VersionedCluster.open(options);
  try {
    return await fn(cluster);
  } finally {
    cluster.close();
  }
}
