import type { BrokerAddress } from '../../client/bootstrap.js';
import { withVersionedConnection, type VersionedConnectionOptions } from '../../client/versioned-connection.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultFetchRequest,
  defaultFetchRequestFetchPartition,
  defaultFetchRequestFetchTopic,
} from '../../protocol/generated/apis/fetch.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ATTR, MAGIC_V2, readBatchHeader } from '../../protocol/records/batch-header.js';
import { iterateBatches } from '../../protocol/records/batch-iterator.js';
import { decodeBatch } from '../../protocol/records/record-batch.js';
import { partitionKey, type TopicPartition } from './topic-partitions.js';

export interface NextRecordProbe extends TopicPartition {
  /** The group's committed offset: the next record it will consume. */
  offset: number;
  leader: BrokerAddress;
}

/** Topic names in Fetch requests end at v12; v13 sends topic ids. */
const FETCH_MAX_VERSION = 12;
/** Enough for the batch holding the offset; the broker returns a larger first batch whole anyway. */
const PARTITION_MAX_BYTES = 64 * 1024;
const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/**
 * The timestamp of the record at each probe's offset, by partitionKey: one Fetch per leader,
 * reading only the first batch that holds the offset. Partitions whose record cannot be read
 * (deleted, legacy format, fetch error) are left out.
 */
export async function nextRecordTimestamps(
  probes: readonly NextRecordProbe[],
  options: VersionedConnectionOptions,
): Promise<Map<string, number>> {
  const byLeader = new Map<string, NextRecordProbe[]>();
  for (const p of probes) {
    const key = `${p.leader.host}:${p.leader.port}`;
    byLeader.set(key, [...(byLeader.get(key) ?? []), p]);
  }
  const out = new Map<string, number>();
  await Promise.all(
    [...byLeader.values()].map(async (group) => {
      const wanted = new Map(group.map((p) => [partitionKey(p), p.offset]));
      const topics = [...new Set(group.map((p) => p.topic))].map((topic) => ({
        ...defaultFetchRequestFetchTopic(),
        topic,
        partitions: group
          .filter((p) => p.topic === topic)
          .map((p) => ({
            ...defaultFetchRequestFetchPartition(),
            partition: p.partition,
            fetchOffset: BigInt(p.offset),
            partitionMaxBytes: PARTITION_MAX_BYTES,
          })),
      }));
      const response = await withVersionedConnection(group[0]!.leader, options, (c) =>
        c.request(ApiKey.Fetch, { ...defaultFetchRequest(), topics }, FETCH_MAX_VERSION),
      ).catch(() => undefined);
      // An unreachable leader only leaves its partitions' time lag unknown.
      if (response === undefined) return;
      for (const t of response.responses) {
        for (const p of t.partitions) {
          const key = partitionKey({ topic: t.topic, partition: p.partitionIndex });
          const offset = wanted.get(key);
          if (offset === undefined || p.errorCode !== ErrorCode.NONE || p.records === null) continue;
          const timestamp = timestampAt(p.records, BigInt(offset));
          if (timestamp !== undefined) out.set(key, timestamp);
        }
      }
    }),
  );
  return out;
}

function timestampAt(records: Buffer, offset: bigint): number | undefined {
  try {
    for (const batch of iterateBatches(records)) {
      const header = readBatchHeader(batch);
      if (header.magic !== MAGIC_V2 || header.attributes & ATTR.CONTROL) continue;
      if (header.baseOffset + BigInt(header.lastOffsetDelta) < offset) continue;
      const record = decodeBatch(batch, { maxDecompressedBytes: MAX_DECOMPRESSED_BYTES }).records.find((r) => r.offset >= offset);
      if (record !== undefined) return Number(record.timestamp);
    }
  } catch {
    // A batch we cannot read leaves the time lag unknown; it is never worth failing the command.
  }
  return undefined;
}
