import { defaultFetchRequest, type FetchRequest, type FetchRequestFetchTopic } from '../../protocol/generated/apis/fetch.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import type { FetcherConfig } from './consumer-config.js';

/** Fetch v4 is the first with record batch v2, isolation levels and aborted transactions. */
export const MIN_FETCH_VERSION = 4;
/** From v13 on topics are named by id. */
export const FIRST_TOPIC_ID_VERSION = 13;

export interface FetchTarget {
  topic: string;
  /** ZERO_UUID when the broker's metadata gave none. */
  topicId: string;
  partition: number;
  offset: bigint;
}

/** The Fetch version to use with `brokerMax`: topic ids need every target's id, else v12 at most. */
export function fetchVersion(brokerMax: number, targets: readonly FetchTarget[]): number {
  if (brokerMax >= FIRST_TOPIC_ID_VERSION && targets.some((t) => t.topicId === ZERO_UUID)) return FIRST_TOPIC_ID_VERSION - 1;
  return brokerMax;
}

/**
 * A full, sessionless Fetch (session id 0, epoch -1: the broker keeps no fetch session) for the
 * targets, consecutive partitions of a topic grouped under it.
 */
export function fetchRequest(config: FetcherConfig, targets: readonly FetchTarget[]): FetchRequest {
  const topics: FetchRequestFetchTopic[] = [];
  for (const t of targets) {
    const partition = {
      partition: t.partition,
      currentLeaderEpoch: -1,
      fetchOffset: t.offset,
      lastFetchedEpoch: -1,
      logStartOffset: -1n,
      partitionMaxBytes: config.maxPartitionFetchBytes,
      replicaDirectoryId: ZERO_UUID,
    };
    const last = topics.at(-1);
    if (last !== undefined && last.topic === t.topic) last.partitions.push(partition);
    else topics.push({ topic: t.topic, topicId: t.topicId, partitions: [partition] });
  }
  return {
    ...defaultFetchRequest(),
    maxWaitMs: config.fetchMaxWaitMs,
    minBytes: config.fetchMinBytes,
    maxBytes: config.fetchMaxBytes,
    isolationLevel: config.readCommitted ? 1 : 0,
    topics,
  };
}
