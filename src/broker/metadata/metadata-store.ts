import type { AccessControlEntry, ResourcePattern } from '../../protocol/acl.js';
import type { TopicRecord } from './topic-record.js';

/**
 * Dynamic broker configs by entity, as Kafka keeps them under `/config/brokers/<entity>`: a broker
 * id, or `''` for the cluster default.
 */
export type BrokerConfigRecords = Record<string, Record<string, string>>;

/**
 * Client quotas by entity path, as Kafka keeps them under `/config/users/<user>`,
 * `/config/clients/<client-id>` and `/config/users/<user>/clients/<client-id>` (`<default>` for
 * the default entity): key → value as text.
 */
export type ClientQuotaRecords = Record<string, Record<string, string>>;

/**
 * SCRAM credentials by user, as Kafka keeps them beside the user's quotas in `/config/users/<user>`:
 * mechanism (`SCRAM-SHA-256`) → `salt=...,stored_key=...,server_key=...,iterations=...`.
 */
export type ScramCredentialRecords = Record<string, Record<string, string>>;

/** One resource pattern's ACLs, as the authorizer stores them (a znode under `/kafka-acl` in ZooKeeper). */
export interface StoredAcls {
  readonly pattern: ResourcePattern;
  readonly entries: readonly AccessControlEntry[];
}

/** What a broker reads from its metadata store at start-up. */
export interface StoredMetadata {
  topics: TopicRecord[];
  brokerConfigs: BrokerConfigRecords;
  clientQuotas: ClientQuotaRecords;
  scramCredentials: ScramCredentialRecords;
  acls: StoredAcls[];
}

/**
 * Where cluster metadata persists: topics with their partitions and config overrides, dynamic
 * broker configs, client quotas, and the producer-id counter. Asynchronous because the ZooKeeper-backed store talks to a server; the
 * broker keeps its own in-memory view (MetadataCache) and writes through this.
 */
export interface MetadataStore {
  load(): Promise<StoredMetadata>;
  /** Creates the topic or replaces what is stored under its name. */
  putTopic(topic: TopicRecord): Promise<void>;
  deleteTopic(name: string): Promise<void>;
  /** Replaces the dynamic configs of a broker entity (an id, or `''`); empty removes the entity. */
  putBrokerConfigs(entity: string, configs: Readonly<Record<string, string>>): Promise<void>;
  /** Replaces the quotas of a client quota entity path; empty removes the entity. */
  putClientQuotas(entity: string, quotas: Readonly<Record<string, string>>): Promise<void>;
  /** Replaces a user's SCRAM credentials (mechanism → credential text); empty removes them. */
  putScramCredentials(user: string, credentials: Readonly<Record<string, string>>): Promise<void>;
  /** Replaces a resource pattern's ACLs; none removes the pattern. */
  putAcls(pattern: ResourcePattern, entries: readonly AccessControlEntry[]): Promise<void>;
  /** Every ACL, as stored now (another broker may have changed them). */
  loadAcls(): Promise<StoredAcls[]>;
  /** Reserves `count` consecutive producer ids never handed out before; resolves to the first. */
  allocateProducerIds(count: number): Promise<bigint>;
  close(): Promise<void>;
}
