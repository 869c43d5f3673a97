import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultListOffsetsResponse,
  defaultListOffsetsResponseListOffsetsPartitionResponse,
  type ListOffsetsResponseListOffsetsPartitionResponse,
} from '../../protocol/generated/apis/list-offsets.js';
import { toApiError } from '../api-error.js';
import { IsolationLevel } from '../partition/partition.js';
import { fetchOffsetForTimestamp } from '../partition/offset-lookup.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/** Kafka's ListOffsetsRequest.DEBUGGING_REPLICA_ID: a tool that may ask any replica. */
const DEBUGGING_REPLICA_ID = -2;

/**
 * ListOffsets v0-9: latest (-1), earliest (-2), max timestamp (-3, v7+), earliest local (-4),
 * latest tiered (-5) or a timestamp, per partition, answered by the leader. v0's old-style answer
 * is one offset (Kafka's segment-granular list of up to max_num_offsets is long obsolete); v2+
 * honour the isolation level.
 */
export function listOffsetsHandler(broker: BrokerContext): Handler<typeof ApiKey.ListOffsets> {
  return (request, ctx) => {
    const version = ctx.apiVersion;
    // A follower (replica id >= 0) asks for the leader's log end and start: no isolation applies.
    const fromFollower = request.replicaId >= 0;
    const isolation =
      version === 0 || fromFollower ? null : request.isolationLevel === 1 ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
    const key = (topic: string, partition: number) => `${topic}:${partition}`;
    const counts = new Map<string, number>();
    for (const t of request.topics)
      for (const p of t.partitions) counts.set(key(t.name, p.partitionIndex), (counts.get(key(t.name, p.partitionIndex)) ?? 0) + 1);
    // DESCRIBE on the topic, as Kafka asks.
    const describable = (topic: string) => ctx.authorize('DESCRIBE', 'TOPIC', topic);
    return {
      ...defaultListOffsetsResponse(),
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p): ListOffsetsResponseListOffsetsPartitionResponse => {
          const response = { ...defaultListOffsetsResponseListOffsetsPartitionResponse(), partitionIndex: p.partitionIndex };
          if (counts.get(key(t.name, p.partitionIndex))! > 1) return { ...response, errorCode: ErrorCode.INVALID_REQUEST };
          if (!describable(t.name)) return { ...response, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
          const partition = broker.replicaManager.partition(t.name, p.partitionIndex);
          if (!partition) return { ...response, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          try {
            // Only the debugging consumer (replica id -2) may ask a follower.
            if (request.replicaId === DEBUGGING_REPLICA_ID) partition.checkLeaderEpoch(p.currentLeaderEpoch);
            else partition.checkLeader(p.currentLeaderEpoch);
            const found = fetchOffsetForTimestamp(partition, p.timestamp, isolation);
            if (version === 0) return { ...response, oldStyleOffsets: found.offset < 0n ? [] : [found.offset] };
            const { timestamp, offset, leaderEpoch } = found;
            return { ...response, timestamp, offset, ...(version >= 4 ? { leaderEpoch } : {}) };
          } catch (err) {
            return { ...response, errorCode: toApiError(err).code };
          }
        }),
      })),
    };
  };
}
