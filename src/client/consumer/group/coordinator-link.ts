import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../../protocol/errors.js';
import type { ApiMessages } from '../../../protocol/generated/apis.js';
import { API_INFO, ApiKey } from '../../../protocol/generated/api-info.js';
import { ProtocolError } from '../../../protocol/primitives/protocol-error.js';
import { commonVersion } from '../../api-versions.js';
import { formatBroker, type BrokerAddress } from '../../bootstrap.js';
import type { BrokerConnections } from '../../broker-connections.js';
import type { RawKafkaConnection } from '../../raw-connection.js';
import { ConsumerError } from '../consumer-errors.js';
import { GroupError, groupErrorAction } from './group-errors.js';
import { RetryBackoff } from './retry-backoff.js';

/** FindCoordinator's key type for consumer groups. */
const GROUP_KEY_TYPE = 0;
/** From v4 on, FindCoordinator takes a batch of keys (KIP-699). */
const FIRST_BATCHED_VERSION = 4;

export interface CoordinatorLinkConfig {
  groupId: string;
  bootstrap: readonly BrokerAddress[];
  requestTimeoutMs: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  /** Aborted when the consumer closes: lookups in progress stop. */
  signal: AbortSignal;
  log?: (line: string) => void;
}

export interface RequestOptions {
  /** The oldest version the request can be expressed in. */
  minVersion?: number;
  /** Longer than request.timeout.ms for JoinGroup, which waits for the whole group. */
  timeoutMs?: number;
}

/**
 * The connection to the group's coordinator, apart from the fetch connections: a broker serves one
 * request per connection at a time, and a JoinGroup may wait minutes for the rest of the group.
 * FindCoordinator looks the coordinator up (again after NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE
 * or a lost connection), retrying with a bounded exponential backoff.
 */
export class CoordinatorLink {
  private coordinator: BrokerAddress | null = null;
  private lookup: Promise<RawKafkaConnection> | null = null;
  private nextBootstrap = 0;

  constructor(
    private readonly connections: BrokerConnections,
    private readonly config: CoordinatorLinkConfig,
  ) {}

  /** The coordinator's connection, once found (rejects only with fatal errors or when closed). */
  connection(): Promise<RawKafkaConnection> {
    const conn = this.coordinator === null ? undefined : this.connections.get(this.coordinator);
    if (conn !== undefined) return Promise.resolve(conn);
    this.lookup ??= this.find().finally(() => (this.lookup = null));
    return this.lookup;
  }

  /**
   * Forgets the coordinator (it moved, its connection failed, or a request waiting on it must end),
   * closing the connection to it.
   */
  markUnknown(reason: string): void {
    if (this.coordinator === null) return;
    this.config.log?.(`group coordinator ${formatBroker(this.coordinator)} is unavailable (${reason}): looking it up again`);
    this.connections.get(this.coordinator)?.close(new Error(reason));
    this.coordinator = null;
  }

  /**
   * Sends a request built for the newest version both sides speak. A lost connection or a request
   * without answer in time becomes a GroupError (NETWORK_EXCEPTION) and forgets the coordinator.
   */
  async request<K extends ApiKey>(
    apiKey: K,
    build: (version: number) => ApiMessages[K]['request'],
    options: RequestOptions = {},
  ): Promise<{ version: number; response: ApiMessages[K]['response'] }> {
    const conn = await this.connection();
    const version = requestVersion(conn, apiKey, options.minVersion ?? 0);
    try {
      return { version, response: await this.send(conn, apiKey, version, build(version), options.timeoutMs) };
    } catch (err) {
      if (err instanceof ProtocolError)
        throw new ConsumerError(`bad ${API_INFO[apiKey].name} response: ${err.message}`, null, { cause: err });
      if (!conn.failed) throw err;
      this.markUnknown((err as Error).message);
      throw new GroupError(ErrorCode.NETWORK_EXCEPTION, this.config.groupId, API_INFO[apiKey].name, { cause: err });
    }
  }

  /** One request, the connection closed when no answer comes within `timeoutMs` (default request.timeout.ms). */
  private async send<K extends ApiKey>(
    conn: RawKafkaConnection,
    apiKey: K,
    version: number,
    body: ApiMessages[K]['request'],
    timeoutMs = this.config.requestTimeoutMs,
  ): Promise<ApiMessages[K]['response']> {
    const timer = setTimeout(() => conn.close(new Error(`no ${API_INFO[apiKey].name} response within ${timeoutMs} ms`)), timeoutMs);
    try {
      return await conn.request(apiKey, version, body);
    } finally {
      clearTimeout(timer);
    }
  }

  private async find(): Promise<RawKafkaConnection> {
    const backoff = new RetryBackoff(this.config.retryBackoffMs, this.config.retryBackoffMaxMs);
    for (;;) {
      try {
        const address = await this.findCoordinator();
        const conn = await this.connections.connect(address);
        this.coordinator = address;
        this.config.log?.(`group coordinator of '${this.config.groupId}': ${formatBroker(address)}`);
        return conn;
      } catch (err) {
        if (err instanceof ProtocolError) throw new ConsumerError(`bad FindCoordinator response: ${err.message}`, null, { cause: err });
        if (err instanceof GroupError ? groupErrorAction(err.code!) === 'fatal' : err instanceof ConsumerError) throw err;
        this.config.log?.(`finding the group coordinator failed: ${(err as Error).message}`);
      }
      await sleep(backoff.next(), undefined, { signal: this.config.signal });
    }
  }

  /** One FindCoordinator request, over any open connection or a bootstrap server. */
  private async findCoordinator(): Promise<BrokerAddress> {
    const { groupId, bootstrap } = this.config;
    const conn = this.connections.any() ?? (await this.connections.connect(bootstrap[this.nextBootstrap++ % bootstrap.length]!));
    const version = requestVersion(conn, ApiKey.FindCoordinator, 0);
    const batched = version >= FIRST_BATCHED_VERSION;
    const response = await this.send(conn, ApiKey.FindCoordinator, version, {
      key: batched ? '' : groupId,
      keyType: GROUP_KEY_TYPE,
      coordinatorKeys: batched ? [groupId] : [],
    });
    const found = batched ? response.coordinators.find((c) => c.key === groupId) : response;
    if (found === undefined) throw new GroupError(ErrorCode.COORDINATOR_NOT_AVAILABLE, groupId, 'FindCoordinator');
    if (found.errorCode !== ErrorCode.NONE) throw new GroupError(found.errorCode, groupId, 'FindCoordinator');
    return { host: found.host, port: found.port };
  }
}

function requestVersion(conn: RawKafkaConnection, apiKey: ApiKey, minVersion: number): number {
  const version = commonVersion(conn.versions!, apiKey);
  if (version === undefined || version < minVersion) {
    throw new ConsumerError(`the broker does not support ${API_INFO[apiKey].name} v${minVersion} or later`, ErrorCode.UNSUPPORTED_VERSION);
  }
  return version;
}
