import { setTimeout as sleep } from 'node:timers/promises';
import { KtsError } from '../../util/errors.js';
import { formatBroker } from '../../client/bootstrap.js';
import {
  listOffsets,
  UnsupportedListOffsetsVersion,
  versionedListOffsetsTarget,
  type OffsetAnswer,
} from '../../client/consumer/list-offsets.js';
import type { VersionedCluster } from '../../client/versioned-cluster.js';
import { ErrorCode, errorName, isRetriable } from '../../protocol/errors.js';
import type { MetadataResponse } from '../../protocol/generated/apis/metadata.js';
import { routeToLeaders, type LeaderRoute } from '../../client/leader-routes.js';
import { matchingPartitions } from './matching-partitions.js';
import { describeOffsetSpec, listOffsetsTimestamp, type OffsetSpec } from './offset-spec.js';
import type { TopicPartitionFilter } from './partition-filter.js';
import { sortLikeKafka, type PartitionFailure, type PartitionOffset, type TopicPartition } from './partition-offsets.js';

/** Kafka's retry.backoff.ms and retry.backoff.max.ms defaults. */
const RETRY_BACKOFF_MS = 100;
const RETRY_BACKOFF_MAX_MS = 1000;

export interface OffsetsResult {
  /** Sorted as Kafka sorts them; partitions without such an offset are left out. */
  offsets: PartitionOffset[];
  /** Partitions whose lookup failed, sorted the same way. */
  failures: PartitionFailure[];
}

/**
 * GetOffsetShell.fetchOffsets: the offset `spec` names for every matching partition, asked of
 * each partition's leader. Errors that mean the metadata is stale or the leader is not ready yet
 * (just after a topic is created or a leader moves) are retried with backoff on fresh metadata,
 * for as long as one request may take (request.timeout.ms); then they count as failures.
 */
export async function fetchOffsets(
  cluster: VersionedCluster,
  spec: OffsetSpec,
  filter: TopicPartitionFilter,
  excludeInternal: boolean,
  log?: (line: string) => void,
): Promise<OffsetsResult> {
  const metadata = await cluster.metadata(null);
  const partitions = matchingPartitions(metadata, filter, excludeInternal);
  if (partitions.length === 0) throw new KtsError('Error occurred: Could not match any topic-partitions with the specified filters');
  return partitionOffsets(cluster, metadata, partitions, spec, log);
}

/**
 * The offset `spec` names for each of `partitions`, asked of each partition's leader as `metadata`
 * names it, with fetchOffsets' retries.
 */
export async function partitionOffsets(
  cluster: VersionedCluster,
  firstMetadata: MetadataResponse,
  partitions: readonly TopicPartition[],
  spec: OffsetSpec,
  log?: (line: string) => void,
): Promise<OffsetsResult> {
  let metadata = firstMetadata;
  const offsets: PartitionOffset[] = [];
  const failures: PartitionFailure[] = [];
  let pending = partitions;
  const deadline = Date.now() + cluster.apiTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    const { routes, unrouted: retry } = routeToLeaders(metadata, pending);
    const answers = (await Promise.all(routes.map((route) => offsetsFrom(cluster, route, spec, log)))).flat();
    for (const {
      query: { topic, partition },
      errorCode,
      offset,
    } of answers) {
      if (errorCode !== ErrorCode.NONE) (isRetriable(errorCode) ? retry : failures).push({ topic, partition, errorCode });
      else if (offset !== -1n) offsets.push({ topic, partition, offset: offset.toString() });
    }
    const delay = Math.min(RETRY_BACKOFF_MAX_MS, RETRY_BACKOFF_MS * 2 ** (attempt - 1));
    if (retry.length === 0 || Date.now() + delay >= deadline) {
      failures.push(...retry);
      break;
    }
    for (const r of retry) log?.(`${errorName(r.errorCode) ?? r.errorCode} for ${r.topic}-${r.partition}: retrying in ${delay} ms`);
    await sleep(delay);
    metadata = await cluster.metadata([...new Set(retry.map((r) => r.topic))]);
    pending = retry.map(({ topic, partition }) => ({ topic, partition }));
  }
  return { offsets: sortLikeKafka(offsets), failures: sortLikeKafka(failures) };
}

/** One ListOffsets to `route`'s leader; a broker too old for `spec` is a one-line error. */
async function offsetsFrom(
  cluster: VersionedCluster,
  route: LeaderRoute,
  spec: OffsetSpec,
  log?: (line: string) => void,
): Promise<OffsetAnswer[]> {
  const timestamp = listOffsetsTimestamp(spec);
  log?.(`ListOffsets to ${formatBroker(route.leader)} for ${route.partitions.length} partition(s)`);
  const conn = await cluster.connection(route.leader);
  try {
    return await listOffsets(
      versionedListOffsetsTarget(conn),
      false,
      route.partitions.map((tp) => ({ ...tp, timestamp })),
    );
  } catch (err) {
    if (!(err instanceof UnsupportedListOffsetsVersion)) throw err;
    throw new KtsError(
      `Error occurred: --time ${describeOffsetSpec(spec)} needs ListOffsets v${err.needed}, which the broker does not support`,
    );
  }
}
