import { CliError } from '../../cli/errors.js';
import { commonVersion } from '../../client/api-versions.js';
import { formatBroker, parseBootstrapServers, type BrokerAddress } from '../../client/bootstrap.js';
import { clientConfig } from '../../client/config.js';
import type { ConnectOptions } from '../../client/connect.js';
import { describeConnectionError } from '../../client/connection-error.js';
import { RawKafkaConnection, type OpenOptions } from '../../client/raw-connection.js';
import type { SaslCredentials } from '../../client/sasl-authenticate.js';
import { APIS, type ApiKey, type ApiMessages } from '../../protocol/generated/apis.js';

/**
 * A connection through kts's own protocol client, for the admin APIs kafkajs lacks
 * (IncrementalAlterConfigs, DescribeConfigs documentation, ApiVersions listings): versions are
 * negotiated, TLS and SASL follow the client properties, every request is bounded by
 * `request.timeout.ms`.
 */
export class AdminConnection {
  /** Takes over an open connection that negotiated versions; `open` and `adminConnector` make one. */
  constructor(
    private readonly raw: RawKafkaConnection,
    readonly address: BrokerAddress,
    private readonly timeoutMs: number,
  ) {}

  /** Connects to the first bootstrap broker that answers; none answering is a one-line CliError. */
  static async open(options: ConnectOptions, connect = adminConnector(options)): Promise<AdminConnection> {
    const brokers = parseBootstrapServers(options.bootstrapServer ?? (options.properties?.get('bootstrap.servers') || undefined));
    let failure: unknown;
    for (const broker of brokers) {
      try {
        return await connect(broker);
      } catch (err) {
        failure = err;
      }
    }
    throw new CliError(describeConnectionError(failure, brokers));
  }

  /** What the broker listed in ApiVersions: key → version range. */
  get versions(): ReadonlyMap<number, { readonly min: number; readonly max: number }> {
    return this.raw.versions!;
  }

  /** Sends `body` at the highest version both sides speak; a broker without the API is a CliError. */
  async request<K extends ApiKey>(apiKey: K, body: ApiMessages[K]['request']): Promise<ApiMessages[K]['response']> {
    const version = commonVersion(this.versions, apiKey);
    if (version === undefined) throw new CliError(`The broker at ${formatBroker(this.address)} does not support ${APIS[apiKey].name} requests`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.raw.close();
        reject(new CliError(`Error: the broker at ${formatBroker(this.address)} did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([this.raw.request(apiKey, version, body), timeout]);
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`Error: lost the connection to ${formatBroker(this.address)} (${(err as Error).message})`);
    } finally {
      clearTimeout(timer);
    }
  }

  supports(apiKey: ApiKey): boolean {
    return commonVersion(this.versions, apiKey) !== undefined;
  }

  close(): void {
    this.raw.close();
  }
}

/**
 * Connects to given brokers with the client properties of `options` (read once, so an unknown
 * property is reported once); a failure rejects with the underlying error.
 */
export function adminConnector(options: ConnectOptions): (broker: BrokerAddress) => Promise<AdminConnection> {
  const settings = clientConfig(options.properties ?? new Map(), { consumedKeys: options.consumedKeys });
  const open: OpenOptions = {
    clientId: settings.clientId,
    timeoutMs: settings.connectionTimeout,
    negotiateVersions: true,
    ...(settings.ssl ? { tls: settings.ssl } : {}),
    // sasl.ts only ever builds the mechanisms our client speaks.
    ...(settings.sasl ? { sasl: settings.sasl as SaslCredentials } : {}),
  };
  return async (broker) => new AdminConnection(await RawKafkaConnection.open(broker.host, broker.port, open), broker, settings.requestTimeout);
}

/** Opens a connection to the cluster, runs `fn`, always closes. */
export async function withAdminConnection<T>(options: ConnectOptions, fn: (conn: AdminConnection) => Promise<T>): Promise<T> {
  const conn = await AdminConnection.open(options);
  try {
    return await fn(conn);
  } finally {
    conn.close();
  }
}
