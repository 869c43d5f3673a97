import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultLeaderAndIsrResponse,
  type LeaderAndIsrResponseLeaderAndIsrPartitionError,
} from '../../protocol/generated/apis/leader-and-isr.js';
import type { ControlledReplicas, PartitionOutcome } from '../replication/controlled-replicas.js';
import type { Handler } from './handler.js';

/** Responses list partitions by topic id from v5, flat before. */
const TOPIC_IDS_VERSION = 5;

/**
 * LeaderAndIsr v0-7 (controller → broker): the partitions become leaders or followers here, each
 * answered with its own error; a request from anyone but the current controller, or with stale
 * epochs, is refused whole and nothing is applied.
 */
export function leaderAndIsrHandler(replicas: ControlledReplicas): Handler<typeof ApiKey.LeaderAndIsr> {
  return async (request, ctx) => {
    const outcome = await replicas.leaderAndIsr(request, ctx.apiVersion);
    const response = { ...defaultLeaderAndIsrResponse(), errorCode: ErrorCode[outcome.error] };
    if (!('partitions' in outcome)) return response;
    const error = (p: PartitionOutcome): LeaderAndIsrResponseLeaderAndIsrPartitionError => ({
      topicName: p.topic,
      partitionIndex: p.partition,
      errorCode: ErrorCode[p.error],
    });
    if (ctx.apiVersion < TOPIC_IDS_VERSION) return { ...response, partitionErrors: outcome.partitions.map(error) };
    const byTopic = new Map<string, LeaderAndIsrResponseLeaderAndIsrPartitionError[]>();
    for (const p of outcome.partitions) {
      const list = byTopic.get(p.topicId) ?? [];
      list.push(error(p));
      byTopic.set(p.topicId, list);
    }
    return { ...response, topics: [...byTopic].map(([topicId, partitionErrors]) => ({ topicId, partitionErrors })) };
  };
}
