import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultDescribeProducersResponse } from '../../protocol/generated/apis/describe-producers.js';
import type { ReplicaManager } from '../partition/replica-manager.js';
import type { Handler } from './handler.js';

/**
 * DescribeProducers v0 (KIP-664): the producer state a partition's leader keeps, open transactions
 * included; READ on the topic, else TOPIC_AUTHORIZATION_FAILED.
 */
export function describeProducersHandler(replicas: ReplicaManager): Handler<typeof ApiKey.DescribeProducers> {
  return (request, ctx) => ({
    ...defaultDescribeProducersResponse(),
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => {
        const partition = replicas.partition(t.name, partitionIndex);
        const answer = { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers: [] };
        if (!ctx.authorize('READ', 'TOPIC', t.name)) return { ...answer, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
        if (!partition) return { ...answer, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (!partition.isLeader) return { ...answer, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
        return {
          ...answer,
          activeProducers: [...partition.log.producerState.producers.values()].map((e) => ({
            producerId: e.producerId,
            producerEpoch: e.producerEpoch,
            lastSequence: e.lastSeq,
            lastTimestamp: e.lastTimestamp,
            coordinatorEpoch: e.coordinatorEpoch,
            currentTxnStartOffset: e.currentTxnFirstOffset ?? -1n,
          })),
        };
      }),
    })),
  });
}
