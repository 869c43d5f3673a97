import { ErrorCode } from '../../protocol/errors.js';
import { toApiError } from '../api-error.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { IsolationLevel } from '../partition/partition.js';
import type { ReplicaManager } from '../partition/replica-manager.js';
import type { FetchPartition, FetchPartitionResult } from './fetch-session.js';

export interface ReadLimits {
  /** The response's byte budget (request max_bytes capped by fetch.max.bytes). */
  maxBytes: number;
  isolation: IsolationLevel;
  /** Fetch v0-2: no batch may exceed the limits (KIP-74 came with v3). */
  hardMaxBytesLimit: boolean;
  usesTopicIds: boolean;
}

const EMPTY = Buffer.alloc(0);

/**
 * Reads the partitions in order within the budget, as Kafka's readFromLocalLog: each gets at most
 * its partition_max_bytes and what is left of max_bytes, and the first batch read is returned
 * whole even when larger (KIP-74), so a consumer can always make progress.
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
      partition.checkLeaderEpoch(p.currentLeaderEpoch);
      const read = partition.read(p.fetchOffset, Math.min(p.maxBytes, remaining), limits.isolation, minOneBatch);
      if (read.records.length > 0) minOneBatch = false;
      remaining = Math.max(0, remaining - read.records.length);
      return { errorCode: ErrorCode.NONE, ...read };
    } catch (err) {
      return failed(toApiError(err).code);
    }
  });
}

function failed(errorCode: number): FetchPartitionResult {
  return { errorCode, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, records: EMPTY };
}
