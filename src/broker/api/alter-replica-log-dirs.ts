import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { AlterReplicaLogDirsResponseAlterReplicaLogDirTopicResult } from '../../protocol/generated/apis/alter-replica-log-dirs.js';
import { toApiError } from '../api-error.js';
import type { BrokerContext } from './broker-context.js';
import type { Handler } from './handler.js';

/**
 * AlterReplicaLogDirs v0-2 (KIP-113): each partition named under a dir moves there (see
 * ReplicaManager.alterReplicaLogDir), answered per partition, by topic. Kafka requires ALTER on
 * the cluster; this broker has no authorizer yet, so every caller may.
 */
export function alterReplicaLogDirsHandler(broker: BrokerContext): Handler<typeof ApiKey.AlterReplicaLogDirs> {
  return (request) => {
    const byTopic = new Map<string, AlterReplicaLogDirsResponseAlterReplicaLogDirTopicResult>();
    for (const dir of request.dirs) {
      for (const topic of dir.topics) {
        const known = broker.metadata.topic(topic.name);
        for (const partitionIndex of topic.partitions) {
          let errorCode: number;
          try {
            const result = broker.replicaManager.alterReplicaLogDir(
              { topic: topic.name, partition: partitionIndex },
              dir.path,
              known?.partitions.some((p) => p.partition === partitionIndex) ?? false,
            );
            errorCode = ErrorCode[result];
          } catch (err) {
            // Creating the future log failed (a full disk takes its dir offline: KAFKA_STORAGE_ERROR).
            errorCode = toApiError(err).code;
          }
          const entry = byTopic.get(topic.name) ?? { topicName: topic.name, partitions: [] };
          entry.partitions.push({ partitionIndex, errorCode });
          byTopic.set(topic.name, entry);
        }
      }
    }
    return { throttleTimeMs: 0, results: [...byTopic.values()] };
  };
}
