import type { ConnectionOptions } from 'node:tls';
import { KtsError } from '../util/errors.js';
import type { ApiMessages } from '../protocol/generated/apis.js';
import { API_INFO, type ApiKey } from '../protocol/generated/api-info.js';
import { commonVersion, type BrokerVersions } from './api-versions.js';
import { bootstrapBrokers, formatBroker, type BrokerAddress } from './bootstrap.js';
import { clientConfig, type ClientSettings } from './config.js';
import type { ConnectOptions } from './connect-options.js';
import { describeConnectionError } from './connection-error.js';
import { isTimeout } from './connection-error.js';
import { RawKafkaConnection, RequestTimeoutError } from './raw-connection.js';
import type { SaslCredentials } from './sasl-authenticate.js';

/** How to reach brokers with kts's own protocol client: the security settings, and the timeouts. */
export interface VersionedConnectionOptions {
  clientId: string;
  /** socket.connection.setup.timeout.ms: bounds connecting and the TLS handshake. */
  connectTimeoutMs: number;
  /** request.timeout.ms: bounds each request, ApiVersions and SASL included. */
  requestTimeoutMs: number;
  /** default.api.timeout.ms: what a tool may spend on one operation, retries included. */
  apiTimeoutMs: number;
  tls?: ConnectionOptions;
  sasl?: SaslCredentials;
}

export function versionedConnectionOptions(settings: ClientSettings): VersionedConnectionOptions {
  return {
    clientId: settings.clientId,
    connectTimeoutMs: settings.connectionTimeout,
    requestTimeoutMs: settings.requestTimeout,
    apiTimeoutMs: settings.defaultApiTimeout,
    ...(settings.ssl ? { tls: settings.ssl } : {}),
    ...(settings.sasl ? { sasl: settings.sasl } : {}),
  };
}

/**
 * A tool's connection through kts's own protocol client (admin and group APIs, ApiVersions
 * listings): each request goes at the highest version both sides speak and is bounded by the
 * request timeout; failures are one-line KtsErrors naming the broker.
 */
export class VersionedConnection {
  private constructor(
    private readonly raw: RawKafkaConnection,
    readonly address: BrokerAddress,
    private readonly timeoutMs: number,
  ) {}

  /** Connects and negotiates versions; a failure rejects with the underlying error. */
  static async open(broker: BrokerAddress, options: VersionedConnectionOptions): Promise<VersionedConnection> {
    const { connectTimeoutMs, requestTimeoutMs, apiTimeoutMs: _, ...security } = options;
    const raw = await RawKafkaConnection.open(broker.host, broker.port, {
      ...security,
      timeoutMs: connectTimeoutMs,
      requestTimeoutMs,
      negotiateVersions: true,
    });
    return new VersionedConnection(raw, broker, requestTimeoutMs);
  }

  /** `open`, failing with a one-line KtsError that names the broker. */
  static async reach(broker: BrokerAddress, options: VersionedConnectionOptions): Promise<VersionedConnection> {
    return VersionedConnection.open(broker, options).catch((err: Error) => {
      if (isTimeout(err)) throw new KtsError(`Error: ${err.message}`);
      throw new KtsError(`Error: could not connect to broker ${formatBroker(broker)} (${err.message})`);
    });
  }

  /** The first of `brokers` that answers; none answering is a one-line KtsError. */
  static async reachAny(brokers: readonly BrokerAddress[], options: VersionedConnectionOptions): Promise<VersionedConnection> {
    let failure: unknown;
    for (const broker of brokers) {
      try {
        return await VersionedConnection.open(broker, options);
      } catch (err) {
        failure = err;
      }
    }
    throw new KtsError(describeConnectionError(failure, brokers));
  }

  /** What the broker listed in ApiVersions. */
  get versions(): BrokerVersions {
    return this.raw.versions!;
  }

  supports(apiKey: ApiKey): boolean {
    return commonVersion(this.versions, apiKey) !== undefined;
  }

  /** Sends `body` at the highest version both sides speak, capped at `maxVersion`. */
  async request<K extends ApiKey>(apiKey: K, body: ApiMessages[K]['request'], maxVersion = Infinity): Promise<ApiMessages[K]['response']> {
    const common = commonVersion(this.versions, apiKey);
    const version = common === undefined ? undefined : Math.min(common, maxVersion);
    const address = formatBroker(this.address);
    if (version === undefined || version < this.versions.get(apiKey)!.min) {
      throw new KtsError(`Error: the broker at ${address} does not support the ${API_INFO[apiKey].name} versions kts speaks`);
    }
    try {
      return await this.raw.request(apiKey, version, body, this.timeoutMs);
    } catch (err) {
      if (err instanceof RequestTimeoutError) throw new KtsError(`Error: ${err.message}`);
      throw new KtsError(`Error: lost the connection to ${address} (${(err as Error).message})`);
    }
  }

  /** Calls `listener` once, when the connection fails or is closed. */
  onFailure(listener: () => void): void {
    this.raw.onFailure(listener);
  }

  close(): void {
    this.raw.close();
  }
}

/** Opens a connection to `broker` (a failure is a one-line KtsError), runs `fn`, always closes. */
export async function withVersionedConnection<T>(
  broker: BrokerAddress,
  options: VersionedConnectionOptions,
  fn: (conn: VersionedConnection) => Promise<T>,
): Promise<T> {
  const conn = await VersionedConnection.reach(broker, options);
  try {
    return await fn(conn);
  } finally {
    conn.close();
  }
}

/**
 * Connects to the first bootstrap broker of `options` that answers, and says how to reach the
 * others. Client properties are read once here, so an unknown one is reported once.
 */
export async function openBootstrap(
  options: ConnectOptions,
): Promise<{ bootstrap: VersionedConnection; options: VersionedConnectionOptions }> {
  const settings = clientConfig(options.properties ?? new Map(), { consumedKeys: options.consumedKeys });
  const connection = versionedConnectionOptions(settings);
  return { bootstrap: await VersionedConnection.reachAny(bootstrapBrokers(options), connection), options: connection };
}
