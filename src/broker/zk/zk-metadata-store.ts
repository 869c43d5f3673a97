import { Err } from '../../zookeeper/client/index.js';
import { ZERO_UUID } from '../../protocol/primitives/uuid.js';
import { ApiError } from '../api-error.js';
import type {
  BrokerConfigRecords,
  ClientQuotaRecords,
  MetadataStore,
  ScramCredentialRecords,
  StoredAcls,
  StoredMetadata,
} from '../metadata/metadata-store.js';
import {
  type AccessControlEntry,
  nameFromText,
  OPERATION_CODES,
  PERMISSION_TYPE_CODES,
  pascalCase,
  RESOURCE_TYPE_CODES,
  type ResourcePattern,
} from '../../protocol/acl.js';
import type { PartitionState, TopicRecord } from '../metadata/topic-record.js';
import { isKeeperError, type KafkaZkClient } from './kafka-zk-client.js';
import { type ConfigEntityType, DEFAULT_ENTITY, NO_LEADER, replicaAssignment, type TopicAssignment } from './zk-data.js';

/**
 * The cluster's metadata in ZooKeeper, in Kafka's layout (Kafka's AdminZkClient on top of
 * KafkaZkClient): what every broker's admin code writes and what a starting broker reads. Topic
 * creation writes `/config/topics/<t>` then `/brokers/topics/<t>`; the controller does the rest
 * (partition states, LeaderAndIsr). Deletion only marks the topic in `/admin/delete_topics`.
 * Config changes write the entity znode, then a `/config/changes` notification for every broker.
 * Partition leadership in the records this store returns is ZooKeeper's at the time of reading;
 * writes ignore it: the controller owns the state znodes.
 */
export class ZkMetadataStore implements MetadataStore {
  constructor(
    private readonly zk: KafkaZkClient,
    private readonly brokerId: number,
  ) {}

  async load(): Promise<StoredMetadata> {
    const names = await this.zk.getAllTopics();
    const topics = (await Promise.all(names.map((name) => this.readTopic(name)))).filter((t): t is TopicRecord => t !== null);
    const users = await this.#userConfigs();
    return {
      topics,
      brokerConfigs: await this.#brokerConfigs(),
      clientQuotas: await this.#clientQuotas(users),
      scramCredentials: scramPart(users),
      acls: await this.loadAcls(),
    };
  }

  /**
   * A topic as ZooKeeper has it: assignment, partition states and config overrides; null when it
   * does not exist. Partitions not elected yet have leader -1 and an empty ISR; a topic written
   * without an id (by a Kafka older than 2.8) has the zero id until the controller gives it one.
   */
  async readTopic(name: string): Promise<TopicRecord | null> {
    const assignment = await this.zk.getTopicAssignment(name);
    if (assignment === null) return null;
    const numbers = [...assignment.partitions.keys()].sort((a, b) => a - b);
    const states = await this.zk.getPartitionStates(numbers.map((partition) => ({ topic: name, partition })));
    const partitions: PartitionState[] = numbers.map((partition) => {
      const leaderAndIsr = states.get({ topic: name, partition })?.leaderAndIsr;
      return {
        partition,
        replicas: assignment.partitions.get(partition)!.replicas,
        leader: leaderAndIsr?.leader ?? NO_LEADER,
        leaderEpoch: leaderAndIsr?.leaderEpoch ?? 0,
        isr: leaderAndIsr?.isr ?? [],
      };
    });
    return { name, topicId: assignment.topicId ?? ZERO_UUID, partitions, configs: await this.zk.getEntityConfigs('topics', name) };
  }

  /**
   * Creates a topic as AdminZkClient.createTopicWithAssignment: config overrides first, then
   * the assignment with the topic id; TOPIC_ALREADY_EXISTS if the assignment znode exists.
   */
  async createTopic(
    name: string,
    topicId: string,
    replicaLists: readonly (readonly number[])[],
    configs: Readonly<Record<string, string>>,
  ) {
    await this.zk.setOrCreateEntityConfigs('topics', name, configs);
    const assignment: TopicAssignment = {
      topicId,
      partitions: new Map(replicaLists.map((replicas, partition) => [partition, replicaAssignment(replicas)])),
    };
    try {
      await this.zk.createTopicAssignment(name, assignment);
    } catch (err) {
      if (isKeeperError(err, Err.NODEEXISTS)) throw new ApiError('TOPIC_ALREADY_EXISTS', `Topic '${name}' already exists.`);
      throw err;
    }
  }

  /**
   * Adds partitions after the existing ones (AdminZkClient.createPartitionsWithAssignment): the
   * controller sees the assignment change and brings them online.
   */
  async addPartitions(name: string, newReplicaLists: readonly (readonly number[])[]): Promise<void> {
    const current = await this.zk.getTopicAssignment(name);
    if (current === null) throw new ApiError('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${name}' does not exist.`);
    const partitions = new Map(current.partitions);
    const first = partitions.size;
    for (const [i, replicas] of newReplicaLists.entries()) partitions.set(first + i, replicaAssignment(replicas));
    await this.zk.setTopicAssignment(name, { topicId: current.topicId, partitions });
  }

  /** Replaces a topic's config overrides and tells every broker. */
  async setTopicConfigs(name: string, configs: Readonly<Record<string, string>>): Promise<void> {
    await this.#changeEntityConfig('topics', name, configs);
  }

  /**
   * Creates the topic, or writes what changed: its config overrides, and partitions added after
   * the ones ZooKeeper has. Leadership in `topic` is ignored (the controller's). A topic of the
   * same name with another id is TOPIC_ALREADY_EXISTS (another broker created it first).
   */
  async putTopic(topic: TopicRecord): Promise<void> {
    const current = await this.readTopic(topic.name);
    if (current === null) {
      await this.createTopic(
        topic.name,
        topic.topicId,
        topic.partitions.map((p) => p.replicas),
        topic.configs,
      );
      return;
    }
    // Another broker created a topic of this name meanwhile: a creation, not an update.
    if (current.topicId !== ZERO_UUID && current.topicId !== topic.topicId) {
      throw new ApiError('TOPIC_ALREADY_EXISTS', `Topic '${topic.name}' already exists.`);
    }
    if (!sameEntries(current.configs, topic.configs)) await this.setTopicConfigs(topic.name, topic.configs);
    if (topic.partitions.length > current.partitions.length) {
      await this.addPartitions(
        topic.name,
        topic.partitions.slice(current.partitions.length).map((p) => p.replicas),
      );
    }
  }

  /** Marks the topic for deletion; the controller deletes it (StopReplica, then its znodes). */
  async deleteTopic(name: string): Promise<void> {
    await this.zk.createTopicDeletionMarker(name);
  }

  async putBrokerConfigs(entity: string, configs: Readonly<Record<string, string>>): Promise<void> {
    await this.#changeEntityConfig('brokers', entity === '' ? DEFAULT_ENTITY : entity, configs);
  }

  /** `entity` is the path under `/config`: `users/<u>`, `clients/<c>` or `users/<u>/clients/<c>`, names sanitized. */
  async putClientQuotas(entity: string, quotas: Readonly<Record<string, string>>): Promise<void> {
    const slash = entity.indexOf('/');
    const type = entity.slice(0, slash);
    if (type !== 'users' && type !== 'clients') throw new Error(`not a client quota entity: ${entity}`);
    const name = entity.slice(slash + 1);
    // A user's znode also holds its SCRAM credentials: they stay.
    const kept = type === 'users' ? withScramKeys(await this.zk.getEntityConfigs(type, name), true) : {};
    await this.#changeEntityConfig(type, name, { ...kept, ...quotas });
  }

  /** Writes `/config/users/<user>`'s SCRAM keys, keeping its quotas, and tells every broker (ZkAdminManager.alterUserScramCredentials). */
  async putScramCredentials(user: string, credentials: Readonly<Record<string, string>>): Promise<void> {
    // The znode name is sanitized as the client quotas' (client-quota-entity.ts).
    const name = encodeURIComponent(user);
    const quotas = withScramKeys(await this.zk.getEntityConfigs('users', name), false);
    await this.#changeEntityConfig('users', name, { ...quotas, ...credentials });
  }

  async putAcls(pattern: ResourcePattern, entries: readonly AccessControlEntry[]): Promise<void> {
    await this.zk.setAcls(
      pattern.patternType,
      pattern.resourceType,
      pattern.name,
      entries.map((e) => ({
        principal: e.principal,
        host: e.host,
        operation: pascalCase(e.operation),
        permissionType: pascalCase(e.permissionType),
      })),
    );
  }

  /** Every ACL znode; one that does not read as ACLs (another tool's doing) is skipped. */
  async loadAcls(): Promise<StoredAcls[]> {
    const out: StoredAcls[] = [];
    for (const stored of await this.zk.getAllAcls()) {
      const resourceType = nameFromText(RESOURCE_TYPE_CODES, stored.resourceType);
      if (resourceType === undefined || resourceType === 'ANY') continue;
      const entries: AccessControlEntry[] = [];
      for (const e of stored.entries) {
        const operation = nameFromText(OPERATION_CODES, e.operation);
        const permissionType = nameFromText(PERMISSION_TYPE_CODES, e.permissionType);
        if (operation === undefined || operation === 'ANY' || (permissionType !== 'ALLOW' && permissionType !== 'DENY')) continue;
        entries.push({ principal: e.principal, host: e.host, operation, permissionType });
      }
      out.push({ pattern: { resourceType, name: stored.name, patternType: stored.patternType }, entries });
    }
    return out;
  }

  async allocateProducerIds(count: number): Promise<bigint> {
    return (await this.zk.allocateProducerIdBlock(this.brokerId, count)).start;
  }

  /** The ZooKeeper session belongs to the cluster membership (ZkCluster), which closes it. */
  async close(): Promise<void> {}

  async #changeEntityConfig(type: ConfigEntityType, name: string, configs: Readonly<Record<string, string>>): Promise<void> {
    await this.zk.setOrCreateEntityConfigs(type, name, configs);
    await this.zk.createConfigChangeNotification(`${type}/${name}`);
  }

  async #brokerConfigs(): Promise<BrokerConfigRecords> {
    const records: BrokerConfigRecords = {};
    for (const name of await this.zk.getEntitiesWithConfig('brokers')) {
      const configs = await this.zk.getEntityConfigs('brokers', name);
      if (Object.keys(configs).length > 0) records[name === DEFAULT_ENTITY ? '' : name] = configs;
    }
    return records;
  }

  /** Every `/config/users/...` entity's configs, quotas and credentials together. */
  async #userConfigs(): Promise<Map<string, Record<string, string>>> {
    const users = new Map<string, Record<string, string>>();
    for (const name of await this.zk.getEntitiesWithConfig('users')) users.set(name, await this.zk.getEntityConfigs('users', name));
    return users;
  }

  async #clientQuotas(users: ReadonlyMap<string, Record<string, string>>): Promise<ClientQuotaRecords> {
    const records: ClientQuotaRecords = {};
    const add = (path: string, configs: Record<string, string>) => {
      const quotas = withScramKeys(configs, false);
      if (Object.keys(quotas).length > 0) records[path] = quotas;
    };
    for (const [name, configs] of users) add(`users/${name}`, configs);
    for (const name of await this.zk.getEntitiesWithConfig('clients'))
      add(`clients/${name}`, await this.zk.getEntityConfigs('clients', name));
    return records;
  }
}

/** Whether a `/config/users` key is a SCRAM credential (its mechanism's name) rather than a quota. */
function isScramKey(key: string): boolean {
  return key.startsWith('SCRAM-');
}

/** The entries of `configs` that are (`scram`) or are not SCRAM credentials. */
function withScramKeys(configs: Readonly<Record<string, string>>, scram: boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(configs).filter(([key]) => isScramKey(key) === scram));
}

/** The users that have SCRAM credentials, with them (a `<user>/clients/<id>` entity has none). */
function scramPart(users: ReadonlyMap<string, Record<string, string>>): ScramCredentialRecords {
  const records: ScramCredentialRecords = {};
  for (const [name, configs] of users) {
    const credentials = withScramKeys(configs, true);
    if (!name.includes('/') && Object.keys(credentials).length > 0) records[decodeURIComponent(name)] = credentials;
  }
  return records;
}

function sameEntries(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}
