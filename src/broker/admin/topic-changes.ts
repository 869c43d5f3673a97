import { ApiError } from '../api-error.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { MetadataStore } from '../metadata/metadata-store.js';
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

/**
 * A single broker applies every change itself. Creation is all or nothing: when a partition
 * cannot be created (a full disk, no descriptors left), the replica manager has removed the logs
 * it made, and the topic (or its growth) leaves the cache and the store again.
 */
export function localTopicChanges(store: MetadataStore, cache: MetadataCache, replicaManager: ReplicaManager): TopicChanges {
  return {
    async created(topic) {
      cache.put(topic);
      try {
        replicaManager.createPartitions(topic, topic.partitions);
      } catch (err) {
        cache.remove(topic.name);
        await undo(() => store.deleteTopic(topic.name));
        throw err;
      }
    },
    async grown(topic, added) {
      const before = cache.topic(topic.name);
      cache.put(topic);
      try {
        replicaManager.createPartitions(topic, added);
      } catch (err) {
        if (before) {
          cache.put(before);
          await undo(() => store.putTopic(before));
        }
        throw err;
      }
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

/** Undoes a store write after a failure; if that fails too (the same full disk) the failure that caused it is what is answered. */
async function undo(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch {
    // Start-up repairs the difference: a topic without logs gets them, as after a crash in between.
  }
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
