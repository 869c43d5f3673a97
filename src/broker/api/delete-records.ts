import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultDeleteRecordsResponse,
  type DeleteRecordsResponseDeleteRecordsPartitionResult,
} from '../../protocol/generated/apis/delete-records.js';
import { ApiError, toApiError } from '../api-error.js';
import { INTERNAL_TOPICS } from '../metadata/topic-name.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * DeleteRecords v0-2: per partition, the log start offset moves up to the offset asked for (-1:
 * the high watermark) and the answer is the new low watermark. Internal topics are refused, as
 * in Kafka; the single replica is in sync at once, so there is nothing to wait for.
 */
export function deleteRecordsHandler(broker: BrokerContext): Handler<typeof ApiKey.DeleteRecords> {
  return (request, ctx) => ({
    ...defaultDeleteRecordsResponse(),
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p): DeleteRecordsResponseDeleteRecordsPartitionResult => {
        try {
          // DELETE on the topic.
          if (!ctx.authorize('DELETE', 'TOPIC', t.name)) throw new ApiError('TOPIC_AUTHORIZATION_FAILED', 'Topic authorization failed.');
          if (INTERNAL_TOPICS.has(t.name))
            throw new ApiError('INVALID_TOPIC_EXCEPTION', `Cannot delete records of internal topic ${t.name}`);
          const partition = broker.replicaManager.partition(t.name, p.partitionIndex);
          if (!partition) throw new ApiError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.');
          return { partitionIndex: p.partitionIndex, lowWatermark: partition.deleteRecords(p.offset), errorCode: ErrorCode.NONE };
        } catch (err) {
          return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: toApiError(err).code };
        }
      }),
    })),
  });
}
