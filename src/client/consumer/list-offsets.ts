import { ErrorCode } from '../../protocol/errors.js';
import type { ListOffsetsRequest, ListOffsetsResponse } from '../../protocol/generated/apis/list-offsets.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { commonVersion, type BrokerVersions } from '../api-versions.js';
import type { RawKafkaConnection } from '../raw-connection.js';
import type { VersionedConnection } from '../versioned-connection.js';
import { ConsumerError } from './consumer-errors.js';

/** ListOffsets' special timestamps (Kafka's ListOffsetsRequest). */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;
export const MAX_TIMESTAMP = -3n;
export const EARLIEST_LOCAL_TIMESTAMP = -4n;
export const LATEST_TIERED_TIMESTAMP = -5n;

export interface OffsetQuery {
  topic: string;
  partition: number;
  /** One of the special timestamps, or the first offset with a timestamp at or after this one. */
  timestamp: bigint;
}

export interface OffsetAnswer<Q extends OffsetQuery = OffsetQuery> {
  query: Q;
  errorCode: number;
  /** -1 where there is no such offset (a timestamp no record reaches, nothing tiered). */
  offset: bigint;
}

/** Where ListOffsets goes: the versions the broker listed, and a way to send the request at one of them. */
export interface ListOffsetsTarget {
  versions: BrokerVersions;
  send(version: number, request: ListOffsetsRequest): Promise<ListOffsetsResponse>;
}

/** A raw connection as a ListOffsets target. */
export function rawListOffsetsTarget(conn: RawKafkaConnection): ListOffsetsTarget {
  return { versions: conn.versions!, send: (version, request) => conn.request(ApiKey.ListOffsets, version, request) };
}

/** A tool's connection as a ListOffsets target: each request bounded by its timeout, failures one-line KtsErrors. */
export function versionedListOffsetsTarget(conn: VersionedConnection): ListOffsetsTarget {
  // `version` never exceeds the common one, so the connection sends exactly it.
  return { versions: conn.versions, send: (version, request) => conn.request(ApiKey.ListOffsets, request, version) };
}

/** The broker is older than the ListOffsets version the queries need. */
export class UnsupportedListOffsetsVersion extends ConsumerError {
  override name = 'UnsupportedListOffsetsVersion';
  constructor(readonly needed: number) {
    super(`the broker does not support ListOffsets v${needed} or later`, ErrorCode.UNSUPPORTED_VERSION);
  }
}

/**
 * The first version a broker reads `timestamp` in (Kafka's ListOffsetsRequest.Builder): older
 * ones take -3, -4 and -5 for plain timestamps. v1 is the first with one offset per partition.
 */
export function minListOffsetsVersion(timestamp: bigint): number {
  switch (timestamp) {
    case MAX_TIMESTAMP:
      return 7; // KIP-734
    case EARLIEST_LOCAL_TIMESTAMP:
      return 8; // KIP-405
    case LATEST_TIERED_TIMESTAMP:
      return 9; // KIP-1005
    default:
      return 1;
  }
}

/**
 * One ListOffsets request to the leader of every queried partition, at the highest version both
 * sides speak; an UnsupportedListOffsetsVersion when that is below what a query needs. Partitions
 * the response leaves out come back as UNKNOWN_TOPIC_OR_PARTITION.
 */
export async function listOffsets<Q extends OffsetQuery>(
  target: ListOffsetsTarget,
  readCommitted: boolean,
  queries: readonly Q[],
): Promise<OffsetAnswer<Q>[]> {
  const needed = Math.max(1, ...queries.map((q) => minListOffsetsVersion(q.timestamp)));
  const version = commonVersion(target.versions, ApiKey.ListOffsets);
  if (version === undefined || version < needed) throw new UnsupportedListOffsetsVersion(needed);
  const byTopic = new Map<string, Q[]>();
  for (const q of queries) {
    const list = byTopic.get(q.topic);
    if (list === undefined) byTopic.set(q.topic, [q]);
    else list.push(q);
  }
  const response = await target.send(version, {
    replicaId: -1,
    // Before v2 there is no isolation level: the broker answers read_uncommitted.
    isolationLevel: readCommitted && version >= 2 ? 1 : 0,
    topics: [...byTopic].map(([name, list]) => ({
      name,
      partitions: list.map((q) => ({ partitionIndex: q.partition, currentLeaderEpoch: -1, timestamp: q.timestamp, maxNumOffsets: 1 })),
    })),
  });
  const answers = new Map<string, { errorCode: number; offset: bigint }>();
  for (const t of response.topics) {
    for (const p of t.partitions) answers.set(`${t.name}\0${p.partitionIndex}`, { errorCode: p.errorCode, offset: p.offset });
  }
  return queries.map((query) => ({
    query,
    ...(answers.get(`${query.topic}\0${query.partition}`) ?? { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, offset: -1n }),
  }));
}
