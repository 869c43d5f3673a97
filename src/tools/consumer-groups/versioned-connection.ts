import type { ConnectionOptions } from 'node:tls';
import { CliError } from '../../cli/errors.js';
import { commonVersion, type BrokerVersions } from '../../client/api-versions.js';
import { formatBroker, type BrokerAddress } from '../../client/bootstrap.js';
import { RawKafkaConnection } from '../../client/raw-connection.js';
import type { SaslCredentials } from '../../client/sasl-authenticate.js';
import { APIS, type ApiKey, type ApiMessages } from '../../protocol/generated/apis.js';

/** How to reach brokers with kts's own protocol client: the same security settings kafkajs gets. */
export interface RawOptions {
  clientId: string;
  timeoutMs: number;
  tls?: ConnectionOptions;
  sasl?: SaslCredentials;
}

/**
 * A raw connection (kts's own codecs) that sends each request at the highest version both sides
 * know, for the few group APIs kafkajs lacks or gets wrong; every request is bounded by `timeoutMs`.
 */
export class VersionedConnection {
  private constructor(
    private readonly raw: RawKafkaConnection,
    private readonly versions: BrokerVersions,
    private readonly address: string,
    private readonly timeoutMs: number,
  ) {}

  static async open(broker: BrokerAddress, options: RawOptions): Promise<VersionedConnection> {
    const address = formatBroker(broker);
    const raw = await RawKafkaConnection.open(broker.host, broker.port, { ...options, negotiateVersions: true }).catch((err: Error) => {
      throw new CliError(`Error: could not connect to broker ${address} (${err.message})`);
    });
    return new VersionedConnection(raw, raw.versions!, address, options.timeoutMs);
  }

  /** Sends `body` at the highest version both sides support, capped at `maxVersion`. */
  async request<K extends ApiKey>(apiKey: K, body: ApiMessages[K]['request'], maxVersion = Infinity): Promise<ApiMessages[K]['response']> {
    const common = commonVersion(this.versions, apiKey);
    const version = common === undefined ? undefined : Math.min(common, maxVersion);
    if (version === undefined || version < this.versions.get(apiKey)!.min) {
      throw new CliError(`Error: broker ${this.address} does not support the ${APIS[apiKey].name} versions kts needs`);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new CliError(`Error: broker ${this.address} did not answer within ${this.timeoutMs} ms`);
        this.raw.close(err);
        reject(err);
      }, this.timeoutMs);
    });
    return Promise.race([this.raw.request(apiKey, version, body), timeout]).finally(() => clearTimeout(timer));
  }

  close(): void {
    this.raw.close();
  }
}

/** Opens a connection, runs `fn`, always closes. */
export async function withConnection<T>(broker: BrokerAddress, options: RawOptions, fn: (c: VersionedConnection) => Promise<T>): Promise<T> {
  const connection = await VersionedConnection.open(broker, options);
  try {
    return await fn(connection);
  } finally {
    connection.close();
  }
}
