import { KtsError } from '../../util/errors.js';
import { bootstrapBrokers } from '../../client/bootstrap.js';
import { BrokerConnectionError } from '../../client/broker-connections.js';
import { clientConfig } from '../../client/config.js';
import type { ConnectOptions } from '../../client/connect-options.js';
import { describeConnectionError } from '../../client/connection-error.js';
import type { FetcherOptions } from '../../client/consumer/consumer-config.js';

/** How a native consumer reaches the cluster: bootstrap servers, client.id, timeouts, TLS and SASL from `connect`. */
export type ConsumerConnection = Pick<
  FetcherOptions,
  'bootstrap' | 'clientId' | 'connectionTimeoutMs' | 'requestTimeoutMs' | 'retryBackoffMs' | 'tls' | 'sasl' | 'log'
>;

/** Reads the client properties of `connect` (unknown ones get one warning line) into a consumer's connection settings. */
export function consumerConnection(connect: ConnectOptions, logPrefix: string): ConsumerConnection {
  const client = clientConfig(connect.properties ?? new Map(), { consumedKeys: connect.consumedKeys });
  return {
    bootstrap: bootstrapBrokers(connect),
    clientId: client.clientId,
    connectionTimeoutMs: client.connectionTimeout,
    requestTimeoutMs: client.requestTimeout,
    retryBackoffMs: client.retryBackoffMs,
    ...(client.ssl ? { tls: client.ssl } : {}),
    ...(client.sasl ? { sasl: client.sasl } : {}),
    ...(connect.verbose ? { log: (line: string) => process.stderr.write(`[${logPrefix}] ${line}\n`) } : {}),
  };
}

/** Opens a native consumer (fetcher or group member); an unreachable cluster is a one-line KtsError. */
export async function openConsumer<C>(connection: ConsumerConnection, open: () => Promise<C>): Promise<C> {
  try {
    return await open();
  } catch (err) {
    if (err instanceof BrokerConnectionError) throw new KtsError(describeConnectionError(err, connection.bootstrap));
    throw err;
  }
}
