import { randomUuid } from '../../protocol/primitives/uuid.js';
import { ApiError } from '../api-error.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { ConfigError, configApiError } from '../config/config-error.js';
import { validateTopicConfigs } from '../config/topic-config.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { MetadataStore } from '../metadata/metadata-store.js';
import { checkTopicCollision, validateTopicName } from '../metadata/topic-name.js';
import type { PartitionState, TopicRecord } from '../metadata/topic-record.js';
import { checkAddedPartitions } from './partition-limit.js';
import { type AssignableBroker, addPartitionsStart, assignReplicas, checkManualAssignment } from './replica-assignment.js';
import { SerialQueue } from './serial-queue.js';
import type { TopicChanges } from './topic-changes.js';

/** CreateTopics' "use the broker default" for partitions and replication factor. */
const USE_DEFAULT = -1;

export interface NewTopic {
  name: string;
  /** -1: num.partitions. */
  numPartitions: number;
  /** -1: default.replication.factor. */
  replicationFactor: number;
  /** Manual placement, partition index → broker ids; exclusive with the two counts. */
  assignments: readonly { partitionIndex: number; brokerIds: readonly number[] }[];
  configs: readonly (readonly [string, string | null])[];
}

export interface TopicAdminOptions {
  store: MetadataStore;
  cache: MetadataCache;
  /** How a stored change takes effect: at once on a single broker, through the controller in a cluster. */
  changes: TopicChanges;
  config: () => BrokerConfig;
  /** Brokers that can hold replicas, sorted by id. */
  liveBrokers: () => readonly AssignableBroker[];
}

/**
 * Topic creation, deletion, partition growth and config overrides (Kafka's ZkAdminManager and AdminZkClient): checks
 * requests with Kafka's rules and wording, writes the metadata store, then updates the cache and
 * the partitions this broker hosts. Operations run one at a time, so two requests cannot race on
 * the same name.
 */
export class TopicAdmin {
  readonly #queue = new SerialQueue();

  constructor(private readonly options: TopicAdminOptions) {}

  /** Checks and (unless `validateOnly`) creates a topic; the record says what it got. Refusals are ApiErrors. */
  createTopic(request: NewTopic, validateOnly: boolean): Promise<TopicRecord> {
    return this.#queue.run(async () => {
      const topic = this.#newTopicRecord(request);
      if (!validateOnly) await this.#create(topic);
      return topic;
    });
  }

  /** Deletes a topic, its partitions and their logs. */
  deleteTopic(name: string): Promise<TopicRecord> {
    return this.#queue.run(async () => {
      const topic = this.options.cache.topic(name);
      if (!topic) throw new ApiError('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.');
      await this.options.store.deleteTopic(name);
      await this.options.changes.deleted(topic);
      return topic;
    });
  }

  /** Grows a topic to `count` partitions; `assignments` places the new ones (null: automatic). */
  createPartitions(name: string, count: number, assignments: readonly (readonly number[])[] | null, validateOnly: boolean): Promise<void> {
    return this.#queue.run(async () => {
      const topic = this.options.cache.topic(name);
      if (!topic) throw new ApiError('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${name}' does not exist.`);
      const current = topic.partitions.length;
      if (count < current) {
        throw new ApiError('INVALID_PARTITIONS', `Topic currently has ${current} partitions, which is higher than the requested ${count}.`);
      }
      if (count === current) throw new ApiError('INVALID_PARTITIONS', `Topic already has ${current} partitions.`);
      const brokers = this.options.liveBrokers();
      const added = count - current;
      checkAddedPartitions(added);
      let replicaLists: number[][];
      if (assignments) {
        if (assignments.length !== added) {
          throw new ApiError(
            'INVALID_REPLICA_ASSIGNMENT',
            `Increasing the number of partitions by ${added} but ${assignments.length} assignments provided.`,
          );
        }
        checkManualAssignment(
          [topic.partitions[0]!.replicas, ...assignments],
          brokers.map((b) => b.id),
        );
        replicaLists = assignments.map((a) => [...a]);
      } else {
        const partition0 = topic.partitions[0]!.replicas;
        replicaLists = assignReplicas(brokers, added, partition0.length, current, addPartitionsStart(brokers, partition0));
      }
      if (validateOnly) return;
      const newPartitions = replicaLists.map((replicas, i) => this.#partitionState(current + i, replicas));
      const grown = { ...topic, partitions: [...topic.partitions, ...newPartitions] };
      await this.options.store.putTopic(grown);
      await this.options.changes.grown(grown, newPartitions);
    });
  }

  /**
   * Replaces a topic's config overrides with what `change` makes of the current ones (it throws a
   * ConfigError to refuse), then applies them to the topic's logs at once.
   */
  changeTopicConfig(
    name: string,
    change: (current: ReadonlyMap<string, string>) => ReadonlyMap<string, string>,
    validateOnly: boolean,
  ): Promise<void> {
    return this.#queue.run(async () => {
      const topic = this.options.cache.topic(name);
      if (!topic) throw new ApiError('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${name}' does not exist.`);
      const configs = change(new Map(Object.entries(topic.configs)));
      if (validateOnly) return;
      const updated = { ...topic, configs: Object.fromEntries(configs) };
      await this.options.store.putTopic(updated);
      await this.options.changes.reconfigured(updated);
    });
  }

  #newTopicRecord(request: NewTopic): TopicRecord {
    const { name } = request;
    const { cache } = this.options;
    if (cache.topic(name)) throw new ApiError('TOPIC_ALREADY_EXISTS', `Topic '${name}' already exists.`);
    validateTopicName(name);
    checkTopicCollision(name, cache.names());
    const brokers = this.options.liveBrokers();
    let replicaLists: number[][];
    if (request.assignments.length > 0) {
      if (request.numPartitions !== USE_DEFAULT || request.replicationFactor !== USE_DEFAULT) {
        throw new ApiError(
          'INVALID_REQUEST',
          'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.',
        );
      }
      const sorted = [...request.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
      if (sorted.some((a, i) => a.partitionIndex !== i)) {
        throw new ApiError('INVALID_REPLICA_ASSIGNMENT', 'partitions should be a consecutive 0-based integer sequence');
      }
      replicaLists = sorted.map((a) => [...a.brokerIds]);
      checkManualAssignment(
        replicaLists,
        brokers.map((b) => b.id),
      );
    } else {
      const values = this.options.config().values;
      const partitions = request.numPartitions === USE_DEFAULT ? values['num.partitions'] : request.numPartitions;
      const replicationFactor =
        request.replicationFactor === USE_DEFAULT ? values['default.replication.factor'] : request.replicationFactor;
      if (partitions <= 0) throw new ApiError('INVALID_PARTITIONS', 'Number of partitions must be larger than 0.');
      replicaLists = assignReplicas(brokers, partitions, replicationFactor);
    }
    let configs: Map<string, string>;
    try {
      configs = validateTopicConfigs(request.configs);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const { code, message } = configApiError(err, 'CreateTopics', { type: 'TOPIC', name });
      throw new ApiError(code, message);
    }
    return {
      name,
      topicId: randomUuid(),
      partitions: replicaLists.map((replicas, i) => this.#partitionState(i, replicas)),
      configs: Object.fromEntries(configs),
    };
  }

  async #create(topic: TopicRecord): Promise<void> {
    await this.options.store.putTopic(topic);
    await this.options.changes.created(topic);
  }

  /** A new partition is led by its first live replica, at epoch 0, with the live replicas in sync. */
  #partitionState(partition: number, replicas: readonly number[]): PartitionState {
    const live = new Set(this.options.liveBrokers().map((b) => b.id));
    const isr = replicas.filter((id) => live.has(id));
    return { partition, replicas, leader: isr[0] ?? -1, leaderEpoch: 0, isr };
  }
}
