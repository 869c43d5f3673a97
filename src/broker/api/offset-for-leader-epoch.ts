import { CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultOffsetForLeaderEpochResponse,
  type OffsetForLeaderEpochResponseEpochEndOffset,
} from '../../protocol/generated/apis/offset-for-leader-epoch.js';
import { toApiError } from '../api-error.js';
import { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from '../partition/leader-epoch-cache.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * OffsetForLeaderEpoch v0-4: where each requested leader epoch ends in the partition's log, as
 * consumers ask after a leader change to detect truncation (KIP-320). current_leader_epoch (v2+)
 * is checked like Fetch's. Only the leader answers, as Kafka's does.
 */
export function offsetForLeaderEpochHandler(broker: BrokerContext): Handler<typeof ApiKey.OffsetForLeaderEpoch> {
  return (request, ctx) => {
    // A follower (replica id >= 0) needs CLUSTER_ACTION; a consumer DESCRIBE on each topic.
    const follower = request.replicaId >= 0;
    const mayAsk = (topic: string) =>
      follower ? ctx.authorize('CLUSTER_ACTION', 'CLUSTER', CLUSTER_NAME) : ctx.authorize('DESCRIBE', 'TOPIC', topic);
    return {
      ...defaultOffsetForLeaderEpochResponse(),
      topics: request.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p): OffsetForLeaderEpochResponseEpochEndOffset => {
          const answer = {
            partition: p.partition,
            errorCode: ErrorCode.NONE,
            leaderEpoch: UNDEFINED_EPOCH,
            endOffset: UNDEFINED_EPOCH_OFFSET,
          };
          if (!mayAsk(t.topic)) return { ...answer, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
          const partition = broker.replicaManager.partition(t.topic, p.partition);
          if (!partition) return { ...answer, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          try {
            partition.checkLeader(p.currentLeaderEpoch);
            return { ...answer, ...partition.endOffsetForEpoch(p.leaderEpoch) };
          } catch (err) {
            return { ...answer, errorCode: toApiError(err).code };
          }
        }),
      })),
    };
  };
}
