import type { ConnectionOptions } from 'node:tls';
import { UsageError } from '../util/errors.js';
import { SASL_KEYS, saslOptions } from './sasl.js';
import type { SaslCredentials } from './sasl-authenticate.js';
import type { ClientProperties } from './client-properties.js';
import { SSL_KEYS, sslOptions } from './ssl.js';

/** What client properties decide about a connection (the brokers come from bootstrap.ts). */
export interface ClientSettings {
  clientId: string;
  /** request.timeout.ms: what one request may take, ApiVersions and SASL included. */
  requestTimeout: number;
  /** socket.connection.setup.timeout.ms: what connecting (and the TLS handshake) may take. */
  connectionTimeout: number;
  /** default.api.timeout.ms: what one operation of a tool may take, retries included. */
  defaultApiTimeout: number;
  /** retry.backoff.ms: the wait before a first retry. */
  retryBackoffMs: number;
  ssl?: ConnectionOptions;
  sasl?: SaslCredentials;
}

export interface ClientConfigOptions {
  /** Properties the calling tool handles itself (producer/consumer settings): not reported as unknown. */
  consumedKeys?: Iterable<string>;
  warn?: (line: string) => void;
}

/** The Java clients' request.timeout.ms, socket.connection.setup.timeout.ms and default.api.timeout.ms defaults. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;
const DEFAULT_API_TIMEOUT_MS = 60_000;
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
  'default.api.timeout.ms',
  'retry.backoff.ms',
  'security.protocol',
  // Short-lived CLI clients never reach Kafka's idle limit.
  'connections.max.idle.ms',
  ...SASL_KEYS,
  ...SSL_KEYS,
  ...TUNING_KEYS,
];

/** Reads the connection settings from Kafka client properties; unknown keys get one warning line, never an error. */
export function clientConfig(props: ClientProperties, options: ClientConfigOptions = {}): ClientSettings {
  const known = new Set<string>([...CLIENT_KEYS, ...(options.consumedKeys ?? [])]);
  const unknown = [...props.keys()].filter((k) => !known.has(k));
  if (unknown.length > 0) {
    const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
    warn(`Warning: ignoring unknown properties: ${unknown.join(', ')}`);
  }

  // One deadline policy for every tool, with the Java clients' settings and defaults: connecting
  // within socket.connection.setup.timeout.ms, each request (ApiVersions and SASL included) within
  // request.timeout.ms, an operation with its retries within default.api.timeout.ms.
  const requestTimeout = positiveInt(props, 'request.timeout.ms') ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const connectionTimeout = positiveInt(props, 'socket.connection.setup.timeout.ms') ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  const defaultApiTimeout = positiveInt(props, 'default.api.timeout.ms') ?? DEFAULT_API_TIMEOUT_MS;
  const retryBackoffMs = positiveInt(props, 'retry.backoff.ms') ?? DEFAULT_RETRY_BACKOFF_MS;

  const protocol = securityProtocol(props);
  return {
    clientId: props.get('client.id') || 'kts',
    requestTimeout,
    connectionTimeout,
    defaultApiTimeout,
    retryBackoffMs,
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
