import type { BrokerConfigValues } from '../config/broker-config-defs.js';
import type { NewTopic } from '../admin/topic-admin.js';

export const OFFSETS_TOPIC = '__consumer_offsets';

/** `__consumer_offsets` as Kafka creates it on first use: offsets.topic.* settings, compacted. */
export function offsetsTopic(config: BrokerConfigValues): NewTopic {
  return {
    name: OFFSETS_TOPIC,
    numPartitions: config['offsets.topic.num.partitions'],
    replicationFactor: config['offsets.topic.replication.factor'],
    assignments: [],
    configs: [
      ['cleanup.policy', 'compact'],
      ['compression.type', 'producer'],
      ['segment.bytes', String(config['offsets.topic.segment.bytes'])],
    ],
  };
}
