import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultStopReplicaResponse } from '../../protocol/generated/apis/stop-replica.js';
import type { ControlledReplicas } from '../replication/controlled-replicas.js';
import type { Handler } from './handler.js';

/**
 * StopReplica v0-4 (controller → broker): the partitions stop being served here, their logs
 * deleted when asked (topic deletion, a replica moved away). Per partition, a leader epoch older
 * than ours is FENCED_LEADER_EPOCH.
 */
export function stopReplicaHandler(replicas: ControlledReplicas): Handler<typeof ApiKey.StopReplica> {
  return async (request, ctx) => {
    const outcome = await replicas.stopReplica(request, ctx.apiVersion);
    const response = { ...defaultStopReplicaResponse(), errorCode: ErrorCode[outcome.error] };
    if (!('partitions' in outcome)) return response;
    return {
      ...response,
      partitionErrors: outcome.partitions.map((p) => ({ topicName: p.topic, partitionIndex: p.partition, errorCode: ErrorCode[p.error] })),
    };
  };
}
