import { decodeBatch } from '../../protocol/records/record-batch.js';
import { IsolationLevel, type Partition } from './partition.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from './decompression-limit.js';

/** ListOffsets' special timestamps (Kafka's ListOffsetsRequest constants). */
export const OffsetSpec = {
  LATEST: -1n,
  EARLIEST: -2n,
  MAX_TIMESTAMP: -3n,
  EARLIEST_LOCAL: -4n,
  LATEST_TIERED: -5n,
} as const;

export interface TimestampAndOffset {
  timestamp: bigint;
  offset: bigint;
  leaderEpoch: number;
}

const NOT_FOUND: TimestampAndOffset = { timestamp: -1n, offset: -1n, leaderEpoch: -1 };

/**
 * Kafka's Partition.fetchOffsetForTimestamp: latest is the high watermark (last stable offset for
 * read_committed; the log end without an isolation level, ListOffsets v0); earliest the log start;
 * max timestamp the record holding the largest timestamp; any other timestamp the first record
 * at or after it, found by decoding the batch the time index points at. Offsets a consumer could
 * not fetch yet are not returned. Without tiered storage the latest tiered offset is -1.
 */
export function fetchOffsetForTimestamp(partition: Partition, timestamp: bigint, isolation: IsolationLevel | null): TimestampAndOffset {
  const lastFetchable =
    isolation === null
      ? partition.log.logEndOffset
      : isolation === IsolationLevel.READ_COMMITTED
        ? partition.lastStableOffset
        : partition.highWatermark;
  switch (timestamp) {
    case OffsetSpec.LATEST:
      return { timestamp: -1n, offset: lastFetchable, leaderEpoch: partition.leaderEpoch };
    case OffsetSpec.EARLIEST:
    case OffsetSpec.EARLIEST_LOCAL:
      return { timestamp: -1n, offset: partition.log.logStartOffset, leaderEpoch: epochAtLogStart(partition) };
    case OffsetSpec.LATEST_TIERED:
      return NOT_FOUND;
  }
  const found = timestamp === OffsetSpec.MAX_TIMESTAMP ? maxTimestampRecord(partition) : firstRecordAtOrAfter(partition, timestamp);
  return found && found.offset < lastFetchable ? found : NOT_FOUND;
}

function maxTimestampRecord(partition: Partition): TimestampAndOffset | undefined {
  const found = partition.log.batchWithMaxTimestamp();
  if (!found) return undefined;
  const batch = decodeBatch(found.batch, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
  const record = batch.records.find((r) => r.timestamp === batch.maxTimestamp) ?? batch.records.at(-1);
  return record && { timestamp: batch.maxTimestamp, offset: record.offset, leaderEpoch: batch.partitionLeaderEpoch };
}

function firstRecordAtOrAfter(partition: Partition, timestamp: bigint): TimestampAndOffset | undefined {
  if (timestamp < 0n) return undefined;
  const found = partition.log.offsetForTimestamp(Number(timestamp));
  if (!found) return undefined;
  const batch = decodeBatch(found.batch, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
  const logStart = partition.log.logStartOffset;
  const record = batch.records.find((r) => r.timestamp >= timestamp && r.offset >= logStart);
  return record && { timestamp: record.timestamp, offset: record.offset, leaderEpoch: batch.partitionLeaderEpoch };
}

/** The leader epoch of the first batch still in the log (Kafka asks its leader-epoch cache). */
function epochAtLogStart(partition: Partition): number {
  let epoch = partition.leaderEpoch;
  partition.log.forEachBatch(partition.log.logStartOffset, (batch) => {
    epoch = batch.partitionLeaderEpoch;
    return false;
  });
  return epoch;
}
