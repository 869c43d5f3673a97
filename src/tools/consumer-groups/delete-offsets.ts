import { ErrorCode, errorName } from '../../protocol/errors.js';
import type { GroupCluster } from './group-cluster.js';
import { kafkaErrorMessage } from './kafka-errors.js';
import type { DeleteOffsetsRow } from './tables.js';
import { partitionKey, type TopicPartition, type TopicScope } from './topic-partitions.js';

export interface DeleteOffsetsOutcome {
  /** The request's error, or the first partition's: what Kafka's summary line is about. */
  errorCode: number;
  rows: DeleteOffsetsRow[];
}

/** ConsumerGroupService.deleteOffsets: whole topics expand to their partitions; unknown topics get an error row. */
export async function deleteOffsets(cluster: GroupCluster, group: string, topics: readonly TopicScope[]): Promise<DeleteOffsetsOutcome> {
  const whole = topics.filter((t) => t.partitions === undefined).map((t) => t.topic);
  const known = await cluster.partitionsOf(whole);
  const rows: DeleteOffsetsRow[] = [];
  const partitions = new Map<string, TopicPartition>();
  for (const { topic, partitions: chosen } of topics) {
    const ids = chosen ?? known.get(topic)!;
    if (typeof ids === 'string') rows.push({ topic, error: ids });
    else for (const partition of ids) partitions.set(partitionKey({ topic, partition }), { topic, partition });
  }
  let errorCode: number = rows.length > 0 ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.NONE;
  if (partitions.size > 0) {
    const result = await cluster.deleteOffsets(group, [...partitions.values()]);
    const codeOf = (tp: TopicPartition) =>
      result.errorCode !== ErrorCode.NONE ? result.errorCode : (result.partitions.get(partitionKey(tp)) ?? ErrorCode.NONE);
    const firstFailure = [...partitions.values()].map(codeOf).find((c) => c !== ErrorCode.NONE);
    errorCode = result.errorCode !== ErrorCode.NONE ? result.errorCode : (firstFailure ?? errorCode);
    for (const tp of partitions.values()) {
      const code = codeOf(tp);
      rows.push({ ...tp, ...(code !== ErrorCode.NONE ? { error: kafkaErrorMessage(code) } : {}) });
    }
  }
  return { errorCode, rows };
}

/** Kafka's line before the table: success on stdout, anything else an error. */
export function deleteOffsetsSummary(group: string, topicArgs: readonly string[], errorCode: number): { ok: boolean; line: string } {
  switch (errorCode) {
    case ErrorCode.NONE:
      return { ok: true, line: `Request succeed for deleting offsets with topic ${topicArgs.join(', ')} group ${group}` };
    case ErrorCode.INVALID_GROUP_ID:
      return { ok: false, line: `Error: '${group}' is not valid.` };
    case ErrorCode.GROUP_ID_NOT_FOUND:
      return { ok: false, line: `Error: '${group}' does not exist.` };
    case ErrorCode.GROUP_AUTHORIZATION_FAILED:
      return { ok: false, line: `Error: Access to '${group}' is not authorized.` };
    case ErrorCode.NON_EMPTY_GROUP:
      return { ok: false, line: `Error: Deleting offsets of a consumer group '${group}' is forbidden if the group is not empty.` };
    case ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC:
    case ErrorCode.TOPIC_AUTHORIZATION_FAILED:
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
      return { ok: false, line: 'Error: Encounter some partition level error, see the follow-up details:' };
    default:
      return { ok: false, line: `Error: Encounter some unknown error: ${errorName(errorCode) ?? errorCode}` };
  }
}
