import { ErrorCode } from '../../protocol/errors.js';
import { toApiError } from '../api-error.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { IsolationLevel, Partition } from '../partition/partition.js';
import type { ReplicaManager } from '../partition/replica-manager.js';
import type { FetchPartition, FetchPartitionResult } from './fetch-session.js';

export interface ReadLimits {
  /** The response's byte budget (request max_bytes capped by fetch.max.bytes). */
  maxBytes: number;
  isolation: IsolationLevel;
  /** Fetch v0-2: no batch may exceed the limits (KIP-74 came with v3). */
  hardMaxBytesLimit: boolean;
  usesTopicIds: boolean;
  /** A follower's broker id (reads up to the log end and records its position), or undefined for a consumer. */
  replicaId: number | undefined;
  /** Kafka's debugging consumer (replica id -2, kafka-replica-verification.sh): any replica answers, up to its high watermark. */
  anyReplica?: boolean;
}

const EMPTY = Buffer.alloc(0);

/**
 * Reads the partitions in order within the budget, as Kafka's readFromLocalLog: each gets at most
 * its partition_max_bytes and what is left of max_bytes, and the first batch read is returned
 * whole even when larger (KIP-74), so a consumer can always make progress. Only leaders serve.
 */
export function readPartitions(
  replicas: ReplicaManager,
  metadata: MetadataCache,
  partitions: readonly FetchPartition[],
  limits: ReadLimits,
): FetchPartitionResult[] {
  let remaining = limits.maxBytes;
  let minOneBatch = !limits.hardMaxBytesLimit;
  return partitions.map((p) => {
    const topic = limits.usesTopicIds ? metadata.topicById(p.topicId)?.name : p.topic;
    if (topic === undefined) return failed(ErrorCode.UNKNOWN_TOPIC_ID);
    const partition = replicas.partition(topic, p.partition);
    if (!partition) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    try {
      const result = readOne(partition, p, limits, Math.min(p.maxBytes, remaining), minOneBatch);
      if (result.records.length > 0) minOneBatch = false;
      remaining = Math.max(0, remaining - result.records.length);
      return result;
    } catch (err) {
      return failed(toApiError(err).code);
    }
  });
}

function readOne(
  partition: Partition,
  p: FetchPartition,
  limits: ReadLimits,
  maxBytes: number,
  minOneBatch: boolean,
): FetchPartitionResult {
  if (limits.replicaId === undefined) {
    if (!limits.anyReplica) partition.checkLeader(p.currentLeaderEpoch);
    return { errorCode: ErrorCode.NONE, ...partition.read(p.fetchOffset, maxBytes, limits.isolation, minOneBatch) };
  }
  const read = partition.readForFollower(
    limits.replicaId,
    {
      fetchOffset: p.fetchOffset,
      logStartOffset: p.replicaLogStartOffset,
      currentLeaderEpoch: p.currentLeaderEpoch,
      lastFetchedEpoch: p.lastFetchedEpoch,
      maxBytes,
    },
    minOneBatch,
  );
  const { divergingEpoch } = read;
  // One object per partition and read: a leader reads every partition of each follower's session every fetch.
  return {
    errorCode: ErrorCode.NONE,
    highWatermark: read.highWatermark,
    lastStableOffset: read.lastStableOffset,
    logStartOffset: read.logStartOffset,
    records: read.records,
    ...(divergingEpoch && { divergingEpoch: { epoch: divergingEpoch.leaderEpoch, endOffset: divergingEpoch.endOffset } }),
  };
}

function failed(errorCode: number): FetchPartitionResult {
  return { errorCode, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, records: EMPTY };
}
