import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultDescribeTopicPartitionsResponse,
  defaultDescribeTopicPartitionsResponseTopic,
  type DescribeTopicPartitionsRequest,
  type DescribeTopicPartitionsRequestCursor,
  type DescribeTopicPartitionsResponse,
  type DescribeTopicPartitionsResponseCursor,
  type DescribeTopicPartitionsResponseTopic,
} from '../../protocol/generated/apis/describe-topic-partitions.js';
import { toApiError } from '../api-error.js';
import { INTERNAL_TOPICS, validateTopicName } from '../metadata/topic-name.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';
import { offlineReplicas, partitionView, topicView } from './topic-view.js';

/** Kafka's `max.request.partition.size.limit` default: the most partitions one response carries, whatever is asked. */
const MAX_PARTITIONS_PER_RESPONSE = 2000;

/**
 * DescribeTopicPartitions v0 (KIP-966), as a KRaft broker answers it: the topics asked for (none:
 * every topic), sorted by name, from the cursor on, at most `response_partition_limit` partitions,
 * then `next_cursor` where the limit cut. A topic that does not exist is an error entry when asked
 * for by name. Partitions carry empty ELR lists, as a KRaft cluster without ELR enabled answers:
 * only a KRaft controller keeps ELRs. Each topic's authorized operations are the principal's.
 */
export function describeTopicPartitionsHandler(broker: BrokerContext): Handler<typeof ApiKey.DescribeTopicPartitions> {
  return (request, ctx) => {
    const { cursor } = request;
    const all = request.topics.length === 0;
    const from = cursor?.topicName ?? '';
    const requested = (all ? [...broker.metadata.names()] : request.topics.map((t) => t.name)).filter((name) => name >= from);
    const names = [...new Set(requested)].sort();
    // Kafka refuses a cursor outside the named topics, or before a partition's first index.
    if (cursor !== null && ((!all && !names.includes(cursor.topicName)) || cursor.partitionIndex < 0)) return refused(request);
    // Topics the principal may not DESCRIBE: left out of a listing, and when named, answered
    // TOPIC_AUTHORIZATION_FAILED after the others whether they exist or not (their existence is not disclosed).
    const described = names.filter((name) => ctx.authorize('DESCRIBE', 'TOPIC', name));
    const limit = Math.max(Math.min(MAX_PARTITIONS_PER_RESPONSE, request.responsePartitionLimit), 1);
    const response = page(broker, described, cursor, limit, !all);
    for (const topic of response.topics) topic.topicAuthorizedOperations = ctx.authorizedOperations('TOPIC', topic.name!);
    if (!all) {
      for (const name of names.filter((n) => !described.includes(n))) {
        response.topics.push({ ...defaultDescribeTopicPartitionsResponseTopic(), name, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
      }
    }
    return response;
  };
}

/**
 * Up to `limit` partitions of `names`, in order, the cursor's topic from the cursor's partition on.
 * The next cursor names the first partition left out; a topic reached with no room left is not included.
 */
function page(
  broker: BrokerContext,
  names: readonly string[],
  cursor: DescribeTopicPartitionsRequestCursor | null,
  limit: number,
  reportUnknown: boolean,
): DescribeTopicPartitionsResponse {
  const topics: DescribeTopicPartitionsResponseTopic[] = [];
  let nextCursor: DescribeTopicPartitionsResponseCursor | null = null;
  let remaining = limit;
  for (const name of names) {
    if (remaining === 0) {
      nextCursor = { topicName: name, partitionIndex: 0 };
      break;
    }
    const topic = broker.metadata.topic(name);
    if (topic === undefined) {
      if (reportUnknown) topics.push(unknown(name));
      continue;
    }
    const start = name === cursor?.topicName ? cursor.partitionIndex : 0;
    const left = topic.partitions.filter((p) => p.partition >= start);
    const shown = left.slice(0, remaining);
    topics.push({
      ...defaultDescribeTopicPartitionsResponseTopic(),
      ...topicView(topic),
      partitions: shown.map((p) => ({
        errorCode: ErrorCode.NONE,
        ...partitionView(p, offlineReplicas(broker, name, p.partition)),
        eligibleLeaderReplicas: [],
        lastKnownElr: [],
      })),
    });
    if (shown.length < left.length) {
      nextCursor = { topicName: name, partitionIndex: left[shown.length]!.partition };
      break;
    }
    remaining -= shown.length;
  }
  return { ...defaultDescribeTopicPartitionsResponse(), topics, nextCursor };
}

function unknown(name: string): DescribeTopicPartitionsResponseTopic {
  let errorCode: number = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  try {
    validateTopicName(name);
  } catch (err) {
    errorCode = toApiError(err).code;
  }
  return { ...defaultDescribeTopicPartitionsResponseTopic(), name, errorCode, isInternal: INTERNAL_TOPICS.has(name) };
}

/** Kafka's answer to an invalid request: every named topic with INVALID_REQUEST. */
function refused(request: DescribeTopicPartitionsRequest): DescribeTopicPartitionsResponse {
  return {
    ...defaultDescribeTopicPartitionsResponse(),
    topics: request.topics.map(({ name }) => ({
      ...defaultDescribeTopicPartitionsResponseTopic(),
      name,
      errorCode: ErrorCode.INVALID_REQUEST,
    })),
  };
}
