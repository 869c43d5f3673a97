import { commonVersion, type BrokerVersions } from '../../client/api-versions.js';
import type { VersionedConnection } from '../../client/versioned-connection.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type {
  DescribeTopicPartitionsRequestCursor,
  DescribeTopicPartitionsResponse,
  DescribeTopicPartitionsResponsePartition,
} from '../../protocol/generated/apis/describe-topic-partitions.js';
import { throwIfFailed, topicCommandError } from './topic-errors.js';

/** TopicCommand's `--partition-size-limit-per-response` default. */
export const DEFAULT_PARTITIONS_PER_RESPONSE = 2000;

/**
 * Whether `--describe` reads partitions with DescribeTopicPartitions (KIP-966, which carries the
 * ELR) rather than Metadata: as Kafka's admin client, by name on a broker that serves it; by
 * `--topic-id` always through Metadata.
 */
export function describesWithTopicPartitions(versions: BrokerVersions, byTopicId: boolean): boolean {
  return !byTopicId && commonVersion(versions, ApiKey.DescribeTopicPartitions) !== undefined;
}

/**
 * Every partition of `names`, by topic, asked `limit` partitions at a time and following the
 * broker's cursor until it sends none. A topic the broker refuses fails the describe, as in Kafka.
 */
export async function describeTopicPartitions(
  conn: VersionedConnection,
  names: readonly string[],
  limit: number,
): Promise<Map<string, DescribeTopicPartitionsResponsePartition[]>> {
  const out = new Map<string, DescribeTopicPartitionsResponsePartition[]>(names.map((name) => [name, []]));
  const topics = names.map((name) => ({ name }));
  let cursor: DescribeTopicPartitionsRequestCursor | null = null;
  do {
    const response: DescribeTopicPartitionsResponse = await conn.request(ApiKey.DescribeTopicPartitions, {
      topics,
      responsePartitionLimit: limit,
      cursor,
    });
    for (const topic of response.topics) {
      throwIfFailed({ errorCode: topic.errorCode, errorMessage: null });
      if (topic.name !== null) out.get(topic.name)?.push(...topic.partitions);
    }
    const next = response.nextCursor;
    // A broker whose cursor does not move forward would page forever.
    if (next !== null && cursor !== null && !isPast(next, cursor)) {
      throw topicCommandError(`the broker's DescribeTopicPartitions cursor did not move past ${next.topicName}-${next.partitionIndex}`);
    }
    cursor = next;
  } while (cursor !== null);
  return out;
}

function isPast(a: DescribeTopicPartitionsRequestCursor, b: DescribeTopicPartitionsRequestCursor): boolean {
  return a.topicName > b.topicName || (a.topicName === b.topicName && a.partitionIndex > b.partitionIndex);
}
