import type { TopicAdmin } from '../admin/topic-admin.js';
import type { BrokerConfigValues } from '../config/broker-config-defs.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { ReplicaManager } from '../partition/replica-manager.js';
import type { ProducePurgatory } from '../replication/delayed-produce.js';
import { GroupCoordinator } from './group-coordinator.js';
import { groupCoordinatorConfig } from './group-coordinator-config.js';
import { InternalTopicLog } from '../coordinator/internal-topic-log.js';
import { offsetsTopic } from './offsets-topic-log.js';

export interface GroupCoordinatorSetup {
  cache: MetadataCache;
  replicaManager: ReplicaManager;
  producePurgatory: ProducePurgatory;
  topicAdmin: TopicAdmin;
  config: () => BrokerConfigValues;
  warn: (message: string) => void;
}

/**
 * The broker's group coordinator over `__consumer_offsets`, with the groups stored there loaded.
 * Call once the partitions are open; close() it before the logs are.
 */
export function startGroupCoordinator(setup: GroupCoordinatorSetup): { coordinator: GroupCoordinator; log: InternalTopicLog } {
  const log = new InternalTopicLog({
    topic: () => offsetsTopic(setup.config()),
    writeTimeoutMs: () => setup.config()['offsets.commit.timeout.ms'],
    cache: setup.cache,
    replicaManager: setup.replicaManager,
    producePurgatory: setup.producePurgatory,
    createTopic: (topic) => setup.topicAdmin.createTopic(topic, false),
    warn: setup.warn,
  });
  const coordinator = new GroupCoordinator({
    log,
    config: groupCoordinatorConfig(setup.config()),
    partitionExists: (topic, partition) => {
      const record = setup.cache.topic(topic);
      return record !== undefined && partition >= 0 && partition < record.partitions.length;
    },
    onWarning: setup.warn,
  });
  coordinator.start();
  return { coordinator, log };
}
