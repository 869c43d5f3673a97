import type { ConnectionOptions } from 'node:tls';
import { packageVersion } from '../util/package-version.js';
import { formatBroker, formatBrokers, type BrokerAddress } from './bootstrap.js';
import { isTimeout } from './connection-error.js';
import { RawKafkaConnection, type OpenOptions } from './raw-connection.js';
import type { SaslCredentials } from './sasl-authenticate.js';

/** Kafka's reconnect.backoff.ms and reconnect.backoff.max.ms defaults. */
const RECONNECT_BACKOFF_MS = 50;
const RECONNECT_BACKOFF_MAX_MS = 1000;

/**
 * One connection per broker address, opened on demand with version negotiation (and TLS/SASL as
 * configured). A failed attempt backs off exponentially before the address is tried again.
 */
export class BrokerConnections {
  private readonly open = new Map<string, RawKafkaConnection>();
  private readonly opening = new Map<string, Promise<RawKafkaConnection>>();
  private readonly failures = new Map<string, { count: number; retryAtMs: number; error: Error }>();
  private closed = false;

  constructor(private readonly options: OpenOptions) {}

  /** The open connection to `address`, if any. */
  get(address: BrokerAddress): RawKafkaConnection | undefined {
    const conn = this.open.get(formatBroker(address));
    return conn !== undefined && !conn.failed ? conn : undefined;
  }

  /** Any open connection (for metadata), preferring the least busy. */
  any(): RawKafkaConnection | undefined {
    let best: RawKafkaConnection | undefined;
    for (const conn of this.open.values()) if (!conn.failed && (best === undefined || conn.inFlight < best.inFlight)) best = conn;
    return best;
  }

  /** Whether a connection attempt to `address` may start now (not open, opening or backing off). */
  canConnect(address: BrokerAddress, nowMs: number): boolean {
    const key = formatBroker(address);
    if (this.get(address) !== undefined || this.opening.has(key)) return false;
    return (this.failures.get(key)?.retryAtMs ?? 0) <= nowMs;
  }

  /** Milliseconds until `address` may be tried again. */
  backoffLeft(address: BrokerAddress, nowMs: number): number {
    return Math.max(0, (this.failures.get(formatBroker(address))?.retryAtMs ?? 0) - nowMs);
  }

  /** The error of the last failed attempt to `address`. */
  lastError(address: BrokerAddress): Error | undefined {
    return this.failures.get(formatBroker(address))?.error;
  }

  connect(address: BrokerAddress): Promise<RawKafkaConnection> {
    const key = formatBroker(address);
    const existing = this.get(address) ?? this.opening.get(key);
    if (existing !== undefined) return Promise.resolve(existing);
    const attempt = RawKafkaConnection.open(address.host, address.port, { ...this.options, negotiateVersions: true }).then(
      (conn) => {
        this.opening.delete(key);
        this.failures.delete(key);
        if (this.closed) conn.close();
        else this.open.set(key, conn);
        return conn;
      },
      (err: Error) => {
        this.opening.delete(key);
        const count = (this.failures.get(key)?.count ?? 0) + 1;
        const backoff = Math.min(RECONNECT_BACKOFF_MAX_MS, RECONNECT_BACKOFF_MS * 2 ** (count - 1));
        this.failures.set(key, { count, retryAtMs: Date.now() + backoff, error: err });
        throw err;
      },
    );
    this.opening.set(key, attempt);
    return attempt;
  }

  closeAll(): void {
    this.closed = true;
    for (const conn of this.open.values()) conn.close();
    this.open.clear();
  }
}

/** No broker could be reached (or none accepted our TLS/SASL); `cause` is the last socket error. */
export class BrokerConnectionError extends Error {
  override name = 'BrokerConnectionError';
}

/** Attempts at reaching the bootstrap servers before giving up (kts tools fail fast, unlike Kafka's). */
const BOOTSTRAP_ROUNDS = 3;

/**
 * Connects to the first bootstrap server that answers, trying the list a few times with backoff
 * (not again after a SASL failure, nor when every server timed out: each already had its full
 * timeout). When none answers, closes `connections` and rejects with a BrokerConnectionError.
 */
export async function reachBootstrap(
  connections: BrokerConnections,
  bootstrap: readonly BrokerAddress[],
  backoffMs: number,
  log?: (line: string) => void,
): Promise<void> {
  let lastError: Error | undefined;
  for (let round = 0; round < BOOTSTRAP_ROUNDS; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (round - 1)));
    let allTimedOut = true;
    for (const address of bootstrap) {
      try {
        await connections.connect(address);
        return;
      } catch (err) {
        lastError = err as Error;
        allTimedOut &&= isTimeout(lastError);
        log?.(`could not connect to ${formatBroker(address)}: ${lastError.message}`);
        if (lastError.name === 'SaslAuthenticationError') break;
      }
    }
    if (lastError?.name === 'SaslAuthenticationError' || allTimedOut) break;
  }
  connections.closeAll();
  throw new BrokerConnectionError(`could not connect to any broker at ${formatBrokers(bootstrap)}`, { cause: lastError });
}

/** What the native clients (producer, consumer) share about reaching a cluster. */
export interface ClusterClientConfig {
  bootstrap: readonly BrokerAddress[];
  clientId: string;
  tls?: ConnectionOptions;
  sasl?: SaslCredentials;
  connectionTimeoutMs: number;
  /** request.timeout.ms: bounds ApiVersions and SASL while connecting too. */
  requestTimeoutMs: number;
  retryBackoffMs: number;
  log?: (line: string) => void;
}

/** An empty connection pool for a native client: each connection opened with its TLS/SASL settings. */
export function clusterConnections(config: ClusterClientConfig): BrokerConnections {
  return new BrokerConnections({
    clientId: config.clientId,
    timeoutMs: config.connectionTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    softwareVersion: packageVersion(),
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.sasl ? { sasl: config.sasl } : {}),
  });
}

/** Connections for a native client, with one bootstrap server already answering (else a BrokerConnectionError). */
export async function connectToCluster(config: ClusterClientConfig): Promise<BrokerConnections> {
  const connections = clusterConnections(config);
  await reachBootstrap(connections, config.bootstrap, config.retryBackoffMs, config.log);
  return connections;
}
