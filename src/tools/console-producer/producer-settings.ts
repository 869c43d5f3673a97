import { resolveIdempotence, type Acks } from '../../client/producer/producer-config.js';
import type { CompressionName } from '../../protocol/records/batch-header.js';
import { compressionLevelFor, parseAcks, parseCodec, producerPropertyOptions } from '../common/producer-properties.js';

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
  /** compression.gzip.level / compression.zstd.level for the codec in use (KIP-390). */
  compressionLevel?: number;
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

/** Kafka's console producer's `--batch-size` default (the producer's own batch.size default too). */
const DEFAULT_BATCH_BYTES = 16_384;

/**
 * Kafka's precedence (CommandLineUtils.maybeMergeOptions): a flag given on the command line wins,
 * then `--producer-property`/`--producer.config`, then the console producer's default.
 */
export function producerSettings(flags: ProducerFlags, props: ReadonlyMap<string, string>): ProducerSettings {
  const p = producerPropertyOptions(props);
  const acks = flags.requestRequiredAcks !== undefined ? parseAcks(flags.requestRequiredAcks) : (p.acks ?? -1);
  const retries = flags.messageSendMaxRetries ?? p.retries ?? 3;
  const maxInFlight = Math.max(1, p.maxInFlight ?? 5);
  const idempotent = resolveIdempotence(p.idempotence, acks, retries, maxInFlight);
  const codec = flags.compressionCodec === true ? 'gzip' : flags.compressionCodec;
  const compression = codec !== undefined ? parseCodec(codec) : (p.compression ?? 'none');
  const compressionLevel = compressionLevelFor(compression, props);
  return {
    acks,
    compression,
    ...(compressionLevel !== undefined ? { compressionLevel } : {}),
    idempotent,
    batchBytes: flags.maxPartitionMemoryBytes ?? flags.batchSize ?? p.batchSize ?? DEFAULT_BATCH_BYTES,
    lingerMs: flags.timeout ?? p.lingerMs ?? 1000,
    maxInFlight,
    sync: flags.sync === true,
    retries,
    retryBackoffMs: flags.retryBackoffMs ?? p.retryBackoffMs ?? 100,
    requestTimeoutMs: flags.requestTimeoutMs ?? p.requestTimeoutMs ?? 1500,
    maxBlockMs: flags.maxBlockMs ?? p.maxBlockMs ?? 60_000,
    metadataMaxAgeMs: flags.metadataExpiryMs ?? p.metadataMaxAgeMs ?? 300_000,
    bufferMemory: flags.maxMemoryBytes ?? p.bufferMemory ?? 32 * 1024 * 1024,
    deliveryTimeoutMs: p.deliveryTimeoutMs,
    maxRequestSize: p.maxRequestSize,
    ...(p.partitionerClass ? { partitionerClass: p.partitionerClass } : {}),
    ignoreKeys: p.ignoreKeys === true,
  };
}
