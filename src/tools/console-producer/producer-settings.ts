import { UsageError } from '../../util/errors.js';
import { resolveIdempotence, type Acks } from '../../client/producer/producer-config.js';
import type { CompressionName } from '../../protocol/records/batch-header.js';

/** The console producer's own flags (commander camelCase); absent means "not given". */
export interface ProducerFlags {
  requestRequiredAcks?: string;
  /** `true` when the flag is given without a value, which Kafka reads as gzip. */
  compressionCodec?: string | true;
  batchSize?: number;
  maxPartitionMemoryBytes?: number;
  timeout?: number;
  sync?: boolean;
  messageSendMaxRetries?: number;
  retryBackoffMs?: number;
  requestTimeoutMs?: number;
  maxBlockMs?: number;
  metadataExpiryMs?: number;
  maxMemoryBytes?: number;
}

export interface ProducerSettings {
  acks: Acks;
  compression: CompressionName;
  idempotent: boolean;
  /** batch.size: bytes per partition batch. */
  batchBytes: number;
  lingerMs: number;
  /** max.in.flight.requests.per.connection. */
  maxInFlight: number;
  sync: boolean;
  retries: number;
  retryBackoffMs: number;
  /** The produce request's acknowledgement timeout. */
  requestTimeoutMs: number;
  maxBlockMs: number;
  metadataMaxAgeMs: number;
  /** buffer.memory: bytes of batches not yet acknowledged before reading pauses. */
  bufferMemory: number;
  deliveryTimeoutMs?: number;
  maxRequestSize?: number;
  /** partitioner.class: a JavaScript module path or Kafka's RoundRobinPartitioner. */
  partitionerClass?: string;
  /** partitioner.ignore.keys. */
  ignoreKeys: boolean;
}

/** Producer properties these settings consume (so they are not reported as unknown). */
export const PRODUCER_KEYS = [
  'acks',
  'compression.type',
  'batch.size',
  'linger.ms',
  'retries',
  'enable.idempotence',
  'max.in.flight.requests.per.connection',
  'metadata.max.age.ms',
  'max.block.ms',
  'buffer.memory',
  'delivery.timeout.ms',
  'max.request.size',
  'partitioner.class',
  'partitioner.ignore.keys',
  'key.serializer',
  'value.serializer',
] as const;

const CODECS: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/**
 * Kafka's console producer uses 16 KiB batches: one Produce round trip per ~150 lines on a
 * one-partition topic. kts batches bigger by default, still under the broker's default 1 MiB
 * batch limit.
 */
const DEFAULT_BATCH_BYTES = 512 * 1024;

/**
 * Kafka's precedence (CommandLineUtils.maybeMergeOptions): a flag given on the command line wins,
 * then `--producer-property`/`--producer.config`, then the console producer's default.
 */
export function producerSettings(flags: ProducerFlags, props: ReadonlyMap<string, string>): ProducerSettings {
  const acks = parseAcks(flags.requestRequiredAcks ?? props.get('acks') ?? '-1');
  const retries = flags.messageSendMaxRetries ?? intProp(props, 'retries') ?? 3;
  const maxInFlight = Math.max(1, intProp(props, 'max.in.flight.requests.per.connection') ?? 5);
  const idempotence = props.get('enable.idempotence')?.trim().toLowerCase();
  const idempotent = resolveIdempotence(idempotence === undefined ? undefined : idempotence === 'true', acks, retries, maxInFlight);
  const partitionerClass = props.get('partitioner.class')?.trim();
  const explicitBatch = flags.maxPartitionMemoryBytes ?? flags.batchSize ?? intProp(props, 'batch.size');
  return {
    acks,
    compression: parseCodec(flags.compressionCodec === true ? 'gzip' : (flags.compressionCodec ?? props.get('compression.type') ?? 'none')),
    idempotent,
    batchBytes: explicitBatch ?? DEFAULT_BATCH_BYTES,
    lingerMs: flags.timeout ?? intProp(props, 'linger.ms') ?? 1000,
    maxInFlight,
    sync: flags.sync === true,
    retries,
    retryBackoffMs: flags.retryBackoffMs ?? intProp(props, 'retry.backoff.ms') ?? 100,
    requestTimeoutMs: flags.requestTimeoutMs ?? intProp(props, 'request.timeout.ms') ?? 1500,
    maxBlockMs: flags.maxBlockMs ?? intProp(props, 'max.block.ms') ?? 60_000,
    metadataMaxAgeMs: flags.metadataExpiryMs ?? intProp(props, 'metadata.max.age.ms') ?? 300_000,
    bufferMemory: flags.maxMemoryBytes ?? intProp(props, 'buffer.memory') ?? 32 * 1024 * 1024,
    deliveryTimeoutMs: intProp(props, 'delivery.timeout.ms'),
    maxRequestSize: intProp(props, 'max.request.size'),
    ...(partitionerClass ? { partitionerClass } : {}),
    ignoreKeys: props.get('partitioner.ignore.keys')?.trim().toLowerCase() === 'true',
  };
}

function parseAcks(text: string): Acks {
  const value = text.trim().toLowerCase();
  if (value === 'all' || value === '-1') return -1;
  if (value === '0') return 0;
  if (value === '1') return 1;
  throw new UsageError(`Error: invalid acks '${text}' (use all, -1, 0 or 1)`);
}

function parseCodec(text: string): CompressionName {
  const codec = CODECS.find((c) => c === text.trim().toLowerCase());
  if (codec === undefined) throw new UsageError(`Error: unknown compression codec '${text}' (use ${CODECS.join(', ')})`);
  return codec;
}

function intProp(props: ReadonlyMap<string, string>, key: string): number | undefined {
  const text = props.get(key)?.trim();
  if (text === undefined || text === '') return undefined;
  const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new UsageError(`Error: invalid value for ${key}: '${text}' (expected a non-negative integer)`);
  }
  return value;
}
