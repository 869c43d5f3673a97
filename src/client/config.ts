import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig } from 'kafkajs';
import { UsageError } from '../util/errors.js';
import { SASL_KEYS, saslOptions } from './sasl.js';
import type { SaslCredentials } from './sasl-authenticate.js';
import type { ClientProperties } from './client-properties.js';
import { SSL_KEYS, sslOptions } from './ssl.js';

/** What client properties decide about a connection; brokers and logging are added by connect.ts. */
export type ClientSettings = Required<Pick<KafkaConfig, 'clientId' | 'requestTimeout' | 'connectionTimeout' | 'retry'>> & {
  ssl?: ConnectionOptions;
  sasl?: SaslCredentials;
};

export interface ClientConfigOptions {
  /** Properties the calling tool handles itself (producer/consumer settings): not reported as unknown. */
  consumedKeys?: Iterable<string>;
  warn?: (line: string) => void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const MAX_CONNECTION_TIMEOUT_MS = 10_000;
const RETRIES = 2;
const DEFAULT_RETRY_BACKOFF_MS = 100;

const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;

/**
 * Kafka client configs every Java client defines that tune the JVM client itself (socket buffers,
 * DNS, metrics reporters, reconnect pacing): valid in a properties file written for Kafka, so
 * accepted without a warning, and without effect in kts.
 */
const TUNING_KEYS = [
  'client.dns.lookup',
  'send.buffer.bytes',
  'receive.buffer.bytes',
  'reconnect.backoff.ms',
  'reconnect.backoff.max.ms',
  'socket.connection.setup.timeout.max.ms',
  'metadata.recovery.strategy',
  'metric.reporters',
  'metrics.num.samples',
  'metrics.recording.level',
  'metrics.sample.window.ms',
  'auto.include.jmx.reporter',
  'enable.metrics.push',
  'security.providers',
];

const CLIENT_KEYS = [
  'bootstrap.servers',
  'client.id',
  'request.timeout.ms',
  'socket.connection.setup.timeout.ms',
  'retry.backoff.ms',
  'security.protocol',
  // kafkajs keeps connections until disconnect; short-lived CLI clients never reach Kafka's idle limit.
  'connections.max.idle.ms',
  ...SASL_KEYS,
  ...SSL_KEYS,
  ...TUNING_KEYS,
];

/** Maps Kafka client properties to kafkajs settings; unknown keys get one warning line, never an error. */
export function clientConfig(props: ClientProperties, options: ClientConfigOptions = {}): ClientSettings {
  const known = new Set<string>([...CLIENT_KEYS, ...(options.consumedKeys ?? [])]);
  const unknown = [...props.keys()].filter((k) => !known.has(k));
  if (unknown.length > 0) {
    const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
    warn(`Warning: ignoring unknown properties: ${unknown.join(', ')}`);
  }

  const requestTimeout = positiveInt(props, 'request.timeout.ms') ?? DEFAULT_REQUEST_TIMEOUT_MS;
  // Each of the 1 + RETRIES attempts may spend a connection timeout connecting and another on
  // ApiVersions, so an unreachable cluster fails within the request timeout.
  const derivedConnectionTimeout = Math.max(1, Math.floor(requestTimeout / (2 * (1 + RETRIES))));
  const connectionTimeout =
    positiveInt(props, 'socket.connection.setup.timeout.ms') ?? Math.min(MAX_CONNECTION_TIMEOUT_MS, derivedConnectionTimeout);
  const initialRetryTime = positiveInt(props, 'retry.backoff.ms') ?? DEFAULT_RETRY_BACKOFF_MS;

  const protocol = securityProtocol(props);
  return {
    clientId: props.get('client.id') || 'kts',
    requestTimeout,
    connectionTimeout,
    retry: { retries: RETRIES, initialRetryTime, maxRetryTime: Math.max(1000, initialRetryTime) },
    ...(protocol === 'SSL' || protocol === 'SASL_SSL' ? { ssl: sslOptions(props) } : {}),
    ...(protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL' ? { sasl: saslOptions(props) } : {}),
  };
}

function securityProtocol(props: ClientProperties): (typeof SECURITY_PROTOCOLS)[number] {
  const value = props.get('security.protocol') || 'PLAINTEXT';
  const protocol = SECURITY_PROTOCOLS.find((p) => p === value.toUpperCase());
  if (protocol === undefined) {
    throw new UsageError(`Error: unsupported security.protocol '${value}' (use ${SECURITY_PROTOCOLS.join(', ')})`);
  }
  return protocol;
}

function positiveInt(props: ClientProperties, key: string): number | undefined {
  const text = props.get(key)?.trim();
  if (text === undefined || text === '') return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= 2 ** 31 - 1)) {
    throw new UsageError(`Error: invalid value for ${key}: '${text}' (expected a positive integer of milliseconds)`);
  }
  return value;
}
