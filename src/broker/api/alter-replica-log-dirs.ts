import { CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { AlterReplicaLogDirsResponseAlterReplicaLogDirTopicResult } from '../../protocol/generated/apis/alter-replica-log-dirs.js';
import { toApiError } from '../api-error.js';
import type { TopicPartition } from '../log/log-file-names.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * AlterReplicaLogDirs v0-2 (KIP-113): each partition named under a dir moves there (see
 * ReplicaManager.alterReplicaLogDir), answered per partition, by topic. Without ALTER on the
 * cluster every partition is CLUSTER_AUTHORIZATION_FAILED and nothing moves, as Kafka's
 * handleAlterReplicaLogDirsRequest.
 */
export function alterReplicaLogDirsHandler(broker: BrokerContext): Handler<typeof ApiKey.AlterReplicaLogDirs> {
  return (request, ctx) => {
    const allowed = ctx.authorize('ALTER', 'CLUSTER', CLUSTER_NAME);
    const byTopic = new Map<string, AlterReplicaLogDirsResponseAlterReplicaLogDirTopicResult>();
    for (const dir of request.dirs) {
      for (const topic of dir.topics) {
        const known = broker.metadata.topic(topic.name);
        for (const partitionIndex of topic.partitions) {
          const tp = { topic: topic.name, partition: partitionIndex };
          const isKnown = known?.partitions.some((p) => p.partition === partitionIndex) ?? false;
          const errorCode = allowed ? alterOne(broker, tp, dir.path, isKnown) : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
          const entry = byTopic.get(topic.name) ?? { topicName: topic.name, partitions: [] };
          entry.partitions.push({ partitionIndex, errorCode });
          byTopic.set(topic.name, entry);
        }
      }
    }
    return { throttleTimeMs: 0, results: [...byTopic.values()] };
  };
}

function alterOne(broker: BrokerContext, tp: TopicPartition, path: string, known: boolean): number {
  try {
    return ErrorCode[broker.replicaManager.alterReplicaLogDir(tp, path, known)];
  } catch (err) {
    // Creating the future log failed (a full disk takes its dir offline: KAFKA_STORAGE_ERROR).
    return toApiError(err).code;
  }
}
