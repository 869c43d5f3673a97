import { crc32c } from './crc.js';

/**
 * Byte layout of a magic v2 record batch header (61 bytes), read in place so the broker
 * can validate and re-stamp a batch without decompressing or copying it.
 */
export const BATCH = {
  BASE_OFFSET: 0,
  LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORDS_COUNT: 57,
  HEADER_SIZE: 61,
  /** baseOffset + batchLength: the bytes not counted by batchLength. */
  LOG_OVERHEAD: 12,
} as const;

export const ATTR = {
  COMPRESSION_MASK: 0x07,
  TIMESTAMP_LOG_APPEND: 0x08,
  TRANSACTIONAL: 0x10,
  CONTROL: 0x20,
  DELETE_HORIZON: 0x40,
} as const;

export const COMPRESSION = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionName = keyof typeof COMPRESSION;

/** Header fields of one v2 batch that starts at `pos` in `buf` (no bounds or CRC check). */
export interface BatchHeader {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
}

export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  return {
    baseOffset: buf.readBigInt64BE(pos + BATCH.BASE_OFFSET),
    batchLength: buf.readInt32BE(pos + BATCH.LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(pos + BATCH.PARTITION_LEADER_EPOCH),
    magic: buf.readInt8(pos + BATCH.MAGIC),
    crc: buf.readUInt32BE(pos + BATCH.CRC),
    attributes: buf.readInt16BE(pos + BATCH.ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA),
    baseTimestamp: buf.readBigInt64BE(pos + BATCH.BASE_TIMESTAMP),
    maxTimestamp: buf.readBigInt64BE(pos + BATCH.MAX_TIMESTAMP),
    producerId: buf.readBigInt64BE(pos + BATCH.PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + BATCH.PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BATCH.BASE_SEQUENCE),
    recordsCount: buf.readInt32BE(pos + BATCH.RECORDS_COUNT),
  };
}

export const MAGIC_V2 = 2;

/** The baseSequence of a batch from a producer without idempotence (RecordBatch.NO_SEQUENCE). */
export const NO_SEQUENCE = -1;

const INT32_MAX = 0x7fffffff;

/** DefaultRecordBatch.incrementSequence: sequences wrap from Int32.MAX_VALUE to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  return sequence > INT32_MAX - increment ? increment - (INT32_MAX - sequence) - 1 : sequence + increment;
}

/** DefaultRecordBatch.decrementSequence: the inverse of incrementSequence, wrapping below 0 to Int32.MAX_VALUE. */
export function decrementSequence(sequence: number, decrement: number): number {
  return sequence < decrement ? INT32_MAX - (decrement - sequence) + 1 : sequence - decrement;
}

/** DefaultRecordBatch.lastSequence: the sequence of a batch's last record, NO_SEQUENCE without idempotence. */
export function lastSequence({ baseSequence, lastOffsetDelta }: Pick<BatchHeader, 'baseSequence' | 'lastOffsetDelta'>): number {
  return baseSequence === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(baseSequence, lastOffsetDelta);
}

/** The CRC-32C a v2 batch of `size` bytes at `pos` should carry (it covers attributes onwards). */
export function computeBatchCrc(buf: Buffer, pos: number, size: number): number {
  return crc32c(buf.subarray(pos + BATCH.ATTRIBUTES, pos + size));
}
