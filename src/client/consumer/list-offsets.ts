import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { commonVersion } from '../api-versions.js';
import type { RawKafkaConnection } from '../raw-connection.js';
import { ConsumerError } from './consumer-errors.js';

/** ListOffsets' special timestamps. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;

export interface OffsetQuery {
  topic: string;
  partition: number;
  /** LATEST_TIMESTAMP, EARLIEST_TIMESTAMP, or the first offset with a timestamp at or after this one. */
  timestamp: bigint;
}

export interface OffsetAnswer<Q extends OffsetQuery = OffsetQuery> {
  query: Q;
  errorCode: number;
  /** -1 for a timestamp no record reaches. */
  offset: bigint;
}

/** ListOffsets v1 is the first with one offset per partition. */
const MIN_VERSION = 1;

/**
 * One ListOffsets request to the leader of every queried partition. Partitions the response
 * leaves out come back as UNKNOWN_TOPIC_OR_PARTITION.
 */
export async function listOffsets<Q extends OffsetQuery>(conn: RawKafkaConnection, readCommitted: boolean, queries: readonly Q[]): Promise<OffsetAnswer<Q>[]> {
  const version = commonVersion(conn.versions!, ApiKey.ListOffsets);
  if (version === undefined || version < MIN_VERSION) throw new ConsumerError('the broker does not support ListOffsets v1 or later');
  const byTopic = new Map<string, Q[]>();
  for (const q of queries) {
    const list = byTopic.get(q.topic);
    if (list === undefined) byTopic.set(q.topic, [q]);
    else list.push(q);
  }
  const response = await conn.request(ApiKey.ListOffsets, version, {
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
