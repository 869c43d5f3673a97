import type { ConnectionOptions } from 'node:tls';
import type { BrokerAddress } from '../bootstrap.js';
import type { SaslCredentials } from '../sasl-authenticate.js';

/** auto.offset.reset: where a partition without a valid position starts; `none` fails instead. */
export type OffsetReset = 'earliest' | 'latest' | 'none';

/** Everything the partition fetcher needs; `resolveFetcherConfig` fills the Java consumer's defaults. */
export interface FetcherConfig {
  bootstrap: readonly BrokerAddress[];
  clientId: string;
  tls?: ConnectionOptions;
  sasl?: SaslCredentials;
  /** socket.connection.setup.timeout.ms: connecting, TLS and SASL to one broker. */
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  fetchMinBytes: number;
  fetchMaxBytes: number;
  fetchMaxWaitMs: number;
  maxPartitionFetchBytes: number;
  readCommitted: boolean;
  autoOffsetReset: OffsetReset;
  /** check.crcs: verify each batch's CRC-32C before reading it. */
  checkCrcs: boolean;
  allowAutoTopicCreation: boolean;
  retryBackoffMs: number;
  metadataMaxAgeMs: number;
  /** Diagnostics (connection failures, retries), one line each; silent when absent. */
  log?: (line: string) => void;
}

export type FetcherOptions = Partial<FetcherConfig> & { bootstrap: readonly BrokerAddress[] };

/** Kafka 3.9's consumer defaults. */
const DEFAULTS = {
  clientId: 'kts',
  connectionTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  fetchMinBytes: 1,
  fetchMaxBytes: 52_428_800,
  fetchMaxWaitMs: 500,
  maxPartitionFetchBytes: 1_048_576,
  readCommitted: false,
  autoOffsetReset: 'latest',
  checkCrcs: true,
  allowAutoTopicCreation: true,
  retryBackoffMs: 100,
  metadataMaxAgeMs: 300_000,
} as const satisfies Omit<FetcherConfig, 'bootstrap'>;

export function resolveFetcherConfig(options: FetcherOptions): FetcherConfig {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as FetcherOptions;
  return { ...DEFAULTS, ...given };
}
