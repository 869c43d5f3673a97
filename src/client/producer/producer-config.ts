import type { ConnectionOptions } from 'node:tls';
import { UsageError } from '../../util/errors.js';
import type { CompressionName } from '../../protocol/records/batch-header.js';
import type { BrokerAddress } from '../bootstrap.js';
import type { SaslCredentials } from '../sasl-authenticate.js';
import type { CustomPartitioner } from './partitioner.js';

export type Acks = -1 | 0 | 1;

/** Everything the native producer needs; `resolveProducerConfig` fills Kafka's defaults. */
export interface NativeProducerConfig {
  bootstrap: readonly BrokerAddress[];
  clientId: string;
  tls?: ConnectionOptions;
  sasl?: SaslCredentials;
  /** socket.connection.setup.timeout.ms: connecting, TLS and SASL to one broker. */
  connectionTimeoutMs: number;
  acks: Acks;
  idempotent: boolean;
  compression: CompressionName;
  compressionLevel?: number;
  batchSize: number;
  lingerMs: number;
  bufferMemory: number;
  maxBlockMs: number;
  maxRequestSize: number;
  requestTimeoutMs: number;
  deliveryTimeoutMs: number;
  retries: number;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  maxInFlight: number;
  metadataMaxAgeMs: number;
  /** partitioner.class, loaded; null for the built-in partitioner. */
  partitioner: CustomPartitioner | null;
  /** partitioner.ignore.keys: keyed records are spread like keyless ones. */
  ignoreKeys: boolean;
  /** transactional.id: null for a producer without transactions. */
  transactionalId: string | null;
  /** transaction.timeout.ms: how long the coordinator lets a transaction stay open. */
  transactionTimeoutMs: number;
  /**
   * Topics the producer will send to, looked up with its first Metadata request: a tool that knows
   * its topic saves its first send the wait for a second one.
   */
  topics: readonly string[];
  /** Diagnostics (connection failures, retries), one line each; silent when absent. */
  log?: (line: string) => void;
}

export type ProducerOptions = Partial<Omit<NativeProducerConfig, 'idempotent'>> & {
  bootstrap: readonly BrokerAddress[];
  /** enable.idempotence; absent means Kafka 3's default (on unless other settings conflict). */
  idempotence?: boolean;
};

/** Kafka 3.9's producer defaults. */
const DEFAULTS = {
  clientId: 'kts',
  connectionTimeoutMs: 10_000,
  acks: -1,
  compression: 'none',
  batchSize: 16_384,
  lingerMs: 0,
  bufferMemory: 32 * 1024 * 1024,
  maxBlockMs: 60_000,
  maxRequestSize: 1_048_576,
  requestTimeoutMs: 30_000,
  deliveryTimeoutMs: 120_000,
  retries: 2_147_483_647,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1000,
  maxInFlight: 5,
  metadataMaxAgeMs: 300_000,
  partitioner: null,
  ignoreKeys: false,
  transactionalId: null,
  transactionTimeoutMs: 60_000,
  topics: [],
} as const satisfies Omit<NativeProducerConfig, 'bootstrap' | 'idempotent'>;

/** The idempotent producer keeps at most this many batches per partition in flight (the broker caches five). */
export const MAX_IDEMPOTENT_IN_FLIGHT = 5;

/**
 * Kafka's rule (ProducerConfig.postProcessAndValidateIdempotenceConfigs): idempotence is on by
 * default, silently off when acks, retries or in-flight settings conflict, and an explicit
 * `enable.idempotence=true` with a conflict is an error with Kafka's message; a transactional.id
 * needs idempotence.
 */
export function resolveIdempotence(
  explicit: boolean | undefined,
  acks: Acks,
  retries: number,
  maxInFlight: number,
  transactional = false,
): boolean {
  const conflict =
    explicit === false
      ? undefined
      : maxInFlight > MAX_IDEMPOTENT_IN_FLIGHT
        ? `Must set max.in.flight.requests.per.connection to at most ${MAX_IDEMPOTENT_IN_FLIGHT} to use the idempotent producer.`
        : retries === 0
          ? 'Must set retries to non-zero when using the idempotent producer.'
          : acks !== -1
            ? 'Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.'
            : undefined;
  if (explicit !== false && conflict === undefined) return true;
  if (explicit === true) throw new UsageError(`Error: ${conflict}`);
  if (transactional) throw new UsageError('Error: Cannot set a transactional.id without also enabling idempotence.');
  return false;
}

/**
 * Fills Kafka's defaults. A delivery.timeout.ms below linger.ms + request.timeout.ms is raised to
 * that sum, or rejected as Kafka does when it was set explicitly.
 */
export function resolveProducerConfig(
  options: ProducerOptions,
  deliveryTimeoutExplicit = options.deliveryTimeoutMs !== undefined,
): NativeProducerConfig {
  const { idempotence, ...given } = withoutUndefined(options);
  const config: Omit<NativeProducerConfig, 'idempotent'> = { ...DEFAULTS, ...given, bootstrap: options.bootstrap };
  const minimumDelivery = config.lingerMs + config.requestTimeoutMs;
  if (config.deliveryTimeoutMs < minimumDelivery) {
    if (deliveryTimeoutExplicit) {
      throw new UsageError('Error: delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms');
    }
    config.deliveryTimeoutMs = minimumDelivery;
  }
  const transactional = config.transactionalId !== null;
  return { ...config, idempotent: resolveIdempotence(idempotence, config.acks, config.retries, config.maxInFlight, transactional) };
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
