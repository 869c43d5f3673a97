import { ApiError } from '../api-error.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { PartitionState, TopicRecord } from '../metadata/topic-record.js';
import type { ReplicaManager } from '../partition/replica-manager.js';

/**
 * How a topic change written to the metadata store takes effect on this broker: at once on a
 * single broker, which is its own controller; in a cluster, once the controller has acted on it
 * and its UpdateMetadata reached this broker (Kafka's DelayedCreatePartitions and DelayedDeleteTopics).
 */
export interface TopicChanges {
  created(topic: TopicRecord): Promise<void>;
  grown(topic: TopicRecord, added: readonly PartitionState[]): Promise<void>;
  deleted(topic: TopicRecord): Promise<void>;
  reconfigured(topic: TopicRecord): Promise<void>;
}

/** A single broker applies every change itself. */
export function localTopicChanges(cache: MetadataCache, replicaManager: ReplicaManager): TopicChanges {
  return {
    async created(topic) {
      cache.put(topic);
      replicaManager.createPartitions(topic, topic.partitions);
    },
    async grown(topic, added) {
      cache.put(topic);
      replicaManager.createPartitions(topic, added);
    },
    async deleted(topic) {
      cache.remove(topic.name);
      replicaManager.deletePartitions(topic);
    },
    async reconfigured(topic) {
      cache.put(topic);
      replicaManager.updateLogConfig(topic);
    },
  };
}

/**
 * A cluster member waits for the controller: every partition of a new topic (or the new
 * partitions) with a leader, a deleted topic gone. Past `timeoutMs` the request is answered
 * REQUEST_TIMED_OUT, as Kafka does; the change itself goes on. Config changes apply here at once
 * (other brokers through their `/config/changes` listener).
 */
export function clusterTopicChanges(cache: MetadataCache, replicaManager: ReplicaManager, timeoutMs: () => number): TopicChanges {
  const led = (name: string, count: number) => () => {
    const t = cache.topic(name);
    return t !== undefined && t.partitions.length >= count && t.partitions.every((p) => p.leader >= 0);
  };
  const wait = async (holds: () => boolean, what: string) => {
    if (!(await cache.until(holds, timeoutMs()))) throw new ApiError('REQUEST_TIMED_OUT', `Timed out waiting for ${what}.`);
  };
  return {
    created: (topic) => wait(led(topic.name, topic.partitions.length), `topic ${topic.name} to be created`),
    grown: (topic) => wait(led(topic.name, topic.partitions.length), `the partitions of ${topic.name} to be created`),
    deleted: (topic) => wait(() => cache.topic(topic.name) === undefined, `topic ${topic.name} to be deleted`),
    async reconfigured(topic) {
      const current = cache.topic(topic.name);
      if (current) cache.put({ ...current, configs: topic.configs });
      replicaManager.updateLogConfig(topic);
    },
  };
}
