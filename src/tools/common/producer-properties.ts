import { UsageError } from '../../util/errors.js';
import type { Acks, ProducerOptions } from '../../client/producer/producer-config.js';
import type { CompressionName } from '../../protocol/records/batch-header.js';

/** Producer properties the native producer takes (so a tool does not report them as unknown). */
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
  'retry.backoff.max.ms',
  'partitioner.class',
  'partitioner.ignore.keys',
  'key.serializer',
  'value.serializer',
  'compression.gzip.level',
  'compression.zstd.level',
  // Valid Java producer configs without effect here: lz4 has one level in kts, metadata is only
  // kept for the run's topics, and the sticky partitioner is uniform (no adaptive weighting).
  'compression.lz4.level',
  'metadata.max.idle.ms',
  'partitioner.adaptive.partitioning.enable',
  'partitioner.availability.timeout.ms',
] as const;

/** The transaction properties, for tools that run transactions. */
export const TRANSACTION_KEYS = ['transactional.id', 'transaction.timeout.ms'] as const;

/** What producer properties set; absent ones are undefined, so the tool's or Kafka's default applies. */
export type PropertyOptions = Pick<
  ProducerOptions,
  | 'acks'
  | 'compression'
  | 'batchSize'
  | 'lingerMs'
  | 'retries'
  | 'maxInFlight'
  | 'metadataMaxAgeMs'
  | 'maxBlockMs'
  | 'bufferMemory'
  | 'deliveryTimeoutMs'
  | 'maxRequestSize'
  | 'requestTimeoutMs'
  | 'retryBackoffMs'
  | 'retryBackoffMaxMs'
  | 'ignoreKeys'
  | 'transactionalId'
  | 'transactionTimeoutMs'
> & {
  /** enable.idempotence when given. */
  idempotence?: boolean;
  /** partitioner.class: a JavaScript module path or one of Kafka's partitioner names. */
  partitionerClass?: string;
};

const CODECS: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Kafka producer properties (from `--producer-property`, `--producer.config` and the like) as native producer options. */
export function producerPropertyOptions(props: ReadonlyMap<string, string>): PropertyOptions {
  const text = (key: string) => {
    const value = props.get(key)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const acks = text('acks');
  const compression = text('compression.type');
  const idempotence = text('enable.idempotence')?.toLowerCase();
  const ignoreKeys = text('partitioner.ignore.keys')?.toLowerCase();
  const partitionerClass = text('partitioner.class');
  const transactionalId = text('transactional.id');
  return {
    ...(acks !== undefined ? { acks: parseAcks(acks) } : {}),
    ...(compression !== undefined ? { compression: parseCodec(compression) } : {}),
    ...(idempotence !== undefined ? { idempotence: idempotence === 'true' } : {}),
    batchSize: intProp(props, 'batch.size'),
    lingerMs: intProp(props, 'linger.ms'),
    retries: intProp(props, 'retries'),
    maxInFlight: intProp(props, 'max.in.flight.requests.per.connection'),
    metadataMaxAgeMs: intProp(props, 'metadata.max.age.ms'),
    maxBlockMs: intProp(props, 'max.block.ms'),
    bufferMemory: intProp(props, 'buffer.memory'),
    deliveryTimeoutMs: intProp(props, 'delivery.timeout.ms'),
    maxRequestSize: intProp(props, 'max.request.size'),
    requestTimeoutMs: intProp(props, 'request.timeout.ms'),
    retryBackoffMs: intProp(props, 'retry.backoff.ms'),
    retryBackoffMaxMs: intProp(props, 'retry.backoff.max.ms'),
    transactionTimeoutMs: intProp(props, 'transaction.timeout.ms'),
    ...(ignoreKeys !== undefined ? { ignoreKeys: ignoreKeys === 'true' } : {}),
    ...(partitionerClass !== undefined ? { partitionerClass } : {}),
    ...(transactionalId !== undefined ? { transactionalId } : {}),
  };
}

/** compression.gzip.level or compression.zstd.level (KIP-390) for `codec`; the other codecs have none here. */
export function compressionLevelFor(codec: CompressionName, props: ReadonlyMap<string, string>): number | undefined {
  return codec === 'gzip' || codec === 'zstd' ? intProp(props, `compression.${codec}.level`) : undefined;
}

export function parseAcks(text: string): Acks {
  const value = text.trim().toLowerCase();
  if (value === 'all' || value === '-1') return -1;
  if (value === '0') return 0;
  if (value === '1') return 1;
  throw new UsageError(`Error: invalid acks '${text}' (use all, -1, 0 or 1)`);
}

export function parseCodec(text: string): CompressionName {
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
