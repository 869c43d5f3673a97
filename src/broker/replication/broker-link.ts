import { commonVersion } from '../../client/api-versions.js';
import { RawKafkaConnection } from '../../client/raw-connection.js';
import type { InterBrokerSecurity } from '../security/listener-security.js';
import type { ApiMessages } from '../../protocol/generated/apis.js';
import { API_INFO, type ApiKey } from '../../protocol/generated/api-info.js';

export interface BrokerAddress {
  host: string;
  port: number;
}

/**
 * A connection from this broker to another (follower fetches, ISR changes, controlled shutdown),
 * through kts's own client connection: versions negotiated once, each request sent at the newest
 * version both speak and bounded by `timeoutMs` (a broker that stops answering is disconnected).
 */
export class BrokerLink {
  private constructor(
    private readonly raw: RawKafkaConnection,
    readonly address: BrokerAddress,
    private readonly timeoutMs: number,
  ) {}

  /** `security`: TLS and SASL login of the inter-broker listener. */
  static async open(
    address: BrokerAddress,
    options: { clientId: string; timeoutMs: number; security: InterBrokerSecurity },
  ): Promise<BrokerLink> {
    const raw = await RawKafkaConnection.open(address.host, address.port, {
      clientId: options.clientId,
      timeoutMs: options.timeoutMs,
      requestTimeoutMs: options.timeoutMs,
      negotiateVersions: true,
      ...options.security,
    });
    return new BrokerLink(raw, address, options.timeoutMs);
  }

  get failed(): boolean {
    return this.raw.failed;
  }

  /** The version `apiKey` goes at (both sides' newest, capped at `maxVersion`), or undefined if there is none. */
  versionOf(apiKey: ApiKey, maxVersion = Number.POSITIVE_INFINITY): number | undefined {
    const common = commonVersion(this.raw.versions!, apiKey);
    if (common === undefined) return undefined;
    const version = Math.min(common, maxVersion);
    return version >= this.raw.versions!.get(apiKey)!.min ? version : undefined;
  }

  async request<K extends ApiKey>(apiKey: K, body: ApiMessages[K]['request'], version: number): Promise<ApiMessages[K]['response']> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new Error(
          `${API_INFO[apiKey].name} to ${this.address.host}:${this.address.port} got no answer within ${this.timeoutMs} ms`,
        );
        this.raw.close(err);
        reject(err);
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([this.raw.request(apiKey, version, body), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.raw.close();
  }
}
