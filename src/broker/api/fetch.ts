import { CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultFetchResponse,
  defaultFetchResponsePartitionData,
  type FetchRequest,
  type FetchResponseFetchableTopicResponse,
  type FetchResponsePartitionData,
} from '../../protocol/generated/apis/fetch.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { downConvert } from '../../protocol/records/legacy-conversion.js';
import { toApiError } from '../api-error.js';
import type { FetchPartition, FetchPartitionResult } from '../fetch/fetch-session.js';
import { readPartitions, type ReadLimits } from '../fetch/read-partitions.js';
import { topicPartitionKey } from '../log/log-file-names.js';
import { IsolationLevel } from '../partition/partition.js';
import { MAX_DECOMPRESSED_BATCH_BYTES } from '../partition/decompression-limit.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

const EMPTY = Buffer.alloc(0);
/** FetchRequest.DEBUGGING_CONSUMER_ID: reads from followers as well as leaders. */
const DEBUGGING_CONSUMER_ID = -2;

/**
 * Fetch v0-17. Partitions are read in request (or session) order within max_bytes; with less
 * than min_bytes available the request waits in the purgatory until appends bring enough or
 * max_wait_ms passes, then reads again. v7+ runs incremental fetch sessions (KIP-227), v13+ names
 * topics by id, and v0-3 get their batches down-converted to magic 0/1 message sets.
 */
export function fetchHandler(broker: BrokerContext): Handler<typeof ApiKey.Fetch> {
  return async (request, ctx) => {
    const version = ctx.apiVersion;
    const usesTopicIds = version >= 13;
    const plan = broker.fetchSessions.plan({
      sessionId: request.sessionId,
      sessionEpoch: request.sessionEpoch,
      usesTopicIds,
      partitions: requestedPartitions(broker, request, usesTopicIds),
      forgotten: request.forgottenTopicsData.flatMap((t) =>
        t.partitions.map((partition) => ({ topic: t.topic, topicId: t.topicId, partition })),
      ),
    });
    if (plan.errorCode !== ErrorCode.NONE) return { ...defaultFetchResponse(), errorCode: plan.errorCode };

    const isolation =
      request.isolationLevel === IsolationLevel.READ_COMMITTED ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
    const replicaId = version >= 15 ? request.replicaState.replicaId : request.replicaId;
    const limits: ReadLimits = {
      maxBytes: Math.min(request.maxBytes, broker.config().values['fetch.max.bytes']),
      isolation,
      hardMaxBytesLimit: version <= 2,
      usesTopicIds,
      replicaId: replicaId >= 0 ? replicaId : undefined,
      anyReplica: replicaId === DEBUGGING_CONSUMER_ID,
      ...(replicaId >= 0 && { leaderThrottle: { quota: broker.replicationQuotas.leader, brokerId: broker.brokerId } }),
    };
    // A follower needs CLUSTER_ACTION; a consumer READ on each topic: the others are answered TOPIC_AUTHORIZATION_FAILED, unread.
    const follower = limits.replicaId !== undefined && ctx.authorize('CLUSTER_ACTION', 'CLUSTER', CLUSTER_NAME);
    const readable = plan.partitions.map(
      (p) => follower || (limits.replicaId === undefined && ctx.authorize('READ', 'TOPIC', topicName(broker, p, usesTopicIds))),
    );
    const allowed = plan.partitions.filter((_, i) => readable[i]);
    const read = () => {
      const fetched = readPartitions(broker.replicaManager, broker.metadata, allowed, limits);
      let next = 0;
      return readable.map((ok) => (ok ? fetched[next++]! : TOPIC_DENIED));
    };
    const keys = plan.partitions.map((p) => topicPartitionKey({ topic: topicName(broker, p, usesTopicIds), partition: p.partition }));
    const deadline = Date.now() + request.maxWaitMs;
    let results = read();
    for (;;) {
      const bytes = results.reduce((sum, r) => sum + r.records.length, 0);
      const answerNow = results.some((r) => r.errorCode !== ErrorCode.NONE || r.divergingEpoch !== undefined);
      const left = deadline - Date.now();
      if (answerNow || bytes >= request.minBytes || left <= 0 || broker.fetchPurgatory.closed) break;
      await broker.fetchPurgatory.wait(keys, limits.replicaId === undefined ? 'consumer' : 'follower', request.minBytes - bytes, left);
      results = read();
    }

    const { sessionId, include } = plan.finish(results);
    const responses: FetchResponseFetchableTopicResponse[] = [];
    plan.partitions.forEach((p, i) => {
      if (!include[i]) return;
      const data = partitionData(p.partition, results[i]!, version, isolation);
      const last = responses.at(-1);
      if (last && (usesTopicIds ? last.topicId === p.topicId : last.topic === p.topic)) last.partitions.push(data);
      else responses.push({ topic: p.topic, topicId: p.topicId, partitions: [data] });
    });
    return { ...defaultFetchResponse(), sessionId, responses };
  };
}

const TOPIC_DENIED: FetchPartitionResult = {
  errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
  highWatermark: -1n,
  lastStableOffset: -1n,
  logStartOffset: -1n,
  records: EMPTY,
};

function requestedPartitions(broker: BrokerContext, request: FetchRequest, usesTopicIds: boolean): FetchPartition[] {
  return request.topics.flatMap((t) => {
    const topic = usesTopicIds ? (broker.metadata.topicById(t.topicId)?.name ?? '') : t.topic;
    const topicId = usesTopicIds ? t.topicId : (broker.metadata.topic(t.topic)?.topicId ?? ZERO_UUID);
    return t.partitions.map((p) => ({
      topic,
      topicId,
      partition: p.partition,
      fetchOffset: p.fetchOffset,
      maxBytes: p.partitionMaxBytes,
      currentLeaderEpoch: p.currentLeaderEpoch,
      lastFetchedEpoch: p.lastFetchedEpoch,
      replicaLogStartOffset: p.logStartOffset,
    }));
  });
}

function topicName(broker: BrokerContext, p: FetchPartition, usesTopicIds: boolean): string {
  return usesTopicIds ? (broker.metadata.topicById(p.topicId)?.name ?? p.topic) : p.topic;
}

function partitionData(
  partition: number,
  result: FetchPartitionResult,
  version: number,
  isolation: IsolationLevel,
): FetchResponsePartitionData {
  let { errorCode, records } = result;
  if (version <= 3 && records.length > 0) {
    try {
      records = downConvert(records, version <= 1 ? 0 : 1, { maxDecompressedBytes: MAX_DECOMPRESSED_BATCH_BYTES });
    } catch (err) {
      // zstd cannot be down-converted: UNSUPPORTED_COMPRESSION_TYPE, as Kafka answers old fetchers.
      errorCode = toApiError(err).code;
      records = EMPTY;
    }
  }
  return {
    ...defaultFetchResponsePartitionData(),
    partitionIndex: partition,
    errorCode,
    highWatermark: result.highWatermark,
    lastStableOffset: result.lastStableOffset,
    logStartOffset: result.logStartOffset,
    abortedTransactions:
      isolation === IsolationLevel.READ_COMMITTED
        ? (result.abortedTransactions ?? []).map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset }))
        : null,
    ...(result.divergingEpoch ? { divergingEpoch: result.divergingEpoch } : {}),
    records,
  };
}
