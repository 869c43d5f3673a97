/**
 * Kafka's ZooKeeper layout (Kafka's ZkData): every path a ZooKeeper-mode cluster uses and the JSON
 * each znode holds, written as Kafka writes it (numbers where Kafka writes numbers, strings where
 * it writes strings) and read by key, as Kafka's Jackson reader does, so kts and Kafka brokers can
 * read each other's znodes.
 */

/** Thrown for a znode whose content is not what Kafka writes there. */
export class ZkDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZkDataError';
  }
}

// ---- Paths ----------------------------------------------------------------------------------

export const BROKER_IDS_PATH = '/brokers/ids';
export const BROKER_TOPICS_PATH = '/brokers/topics';
export const BROKER_SEQUENCE_ID_PATH = '/brokers/seqid';
export const CONTROLLER_PATH = '/controller';
export const CONTROLLER_EPOCH_PATH = '/controller_epoch';
export const CLUSTER_ID_PATH = '/cluster/id';
export const CONFIG_CHANGES_PATH = '/config/changes';
export const CONFIG_CHANGE_PREFIX = 'config_change_';
export const DELETE_TOPICS_PATH = '/admin/delete_topics';
export const REASSIGN_PARTITIONS_PATH = '/admin/reassign_partitions';
export const PREFERRED_REPLICA_ELECTION_PATH = '/admin/preferred_replica_election';
export const ISR_CHANGE_NOTIFICATION_PATH = '/isr_change_notification';
export const ISR_CHANGE_PREFIX = 'isr_change_';
export const LOG_DIR_EVENT_NOTIFICATION_PATH = '/log_dir_event_notification';
export const LOG_DIR_EVENT_PREFIX = 'log_dir_event_';
export const PRODUCER_ID_BLOCK_PATH = '/latest_producer_id_block';
export const FEATURE_PATH = '/feature';
export const CONSUMERS_PATH = '/consumers';
export const ACL_PATH = '/kafka-acl';
export const ACL_EXTENDED_PATH = '/kafka-acl-extended/prefixed';
export const ACL_CHANGES_PATH = '/kafka-acl-changes';
export const ACL_EXTENDED_CHANGES_PATH = '/kafka-acl-extended-changes';
export const ACL_CHANGE_PREFIX = 'acl_changes_';
export const DELEGATION_TOKENS_PATH = '/delegation_token/tokens';
export const DELEGATION_TOKEN_CHANGES_PATH = '/delegation_token/token_changes';

/** The entity types of `/config/<type>/<name>` in ZooKeeper mode (`client-metrics` is KRaft only). */
export const CONFIG_ENTITY_TYPES = ['topics', 'clients', 'users', 'brokers', 'ips'] as const;
export type ConfigEntityType = (typeof CONFIG_ENTITY_TYPES)[number];

/** Created at every broker start, empty, as Kafka's ZkData.PersistentZkPaths. */
export const PERSISTENT_PATHS: readonly string[] = [
  CONSUMERS_PATH,
  BROKER_IDS_PATH,
  BROKER_TOPICS_PATH,
  CONFIG_CHANGES_PATH,
  DELETE_TOPICS_PATH,
  BROKER_SEQUENCE_ID_PATH,
  ISR_CHANGE_NOTIFICATION_PATH,
  PRODUCER_ID_BLOCK_PATH,
  LOG_DIR_EVENT_NOTIFICATION_PATH,
  ...CONFIG_ENTITY_TYPES.map((type) => `/config/${type}`),
];

export const brokerIdPath = (id: number): string => `${BROKER_IDS_PATH}/${id}`;
export const topicPath = (topic: string): string => `${BROKER_TOPICS_PATH}/${topic}`;
export const topicPartitionsPath = (topic: string): string => `${topicPath(topic)}/partitions`;
export const topicPartitionPath = (topic: string, partition: number): string => `${topicPartitionsPath(topic)}/${partition}`;
export const partitionStatePath = (topic: string, partition: number): string => `${topicPartitionPath(topic, partition)}/state`;
export const deleteTopicPath = (topic: string): string => `${DELETE_TOPICS_PATH}/${topic}`;
export const configEntityTypePath = (type: ConfigEntityType): string => `/config/${type}`;
/** `name` is already sanitized; a nested entity (`alice/clients/app1`) under `users` is a path of its own. */
export const configEntityPath = (type: ConfigEntityType, name: string): string => `${configEntityTypePath(type)}/${name}`;
export const aclPath = (resourceType: string, name: string): string => `${ACL_PATH}/${resourceType}/${name}`;
export const extendedAclPath = (resourceType: string, name: string): string => `${ACL_EXTENDED_PATH}/${resourceType}/${name}`;

/**
 * The default entity's name under `/config/<type>/` (Kafka's ZooKeeperInternals.DEFAULT_STRING).
 * Broker configs use it for the cluster-wide default, quotas for the default user or client id.
 */
export const DEFAULT_ENTITY = '<default>';

// ---- JSON reading -----------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function parseObject(bytes: Buffer | null, what: string): JsonObject {
  if (bytes === null || bytes.length === 0) throw new ZkDataError(`${what}: the znode is empty`);
  let value: Json;
  try {
    value = JSON.parse(bytes.toString('utf8')) as Json;
  } catch {
    throw new ZkDataError(`${what}: not JSON: ${bytes.toString('utf8').slice(0, 200)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ZkDataError(`${what}: expected a JSON object, got ${bytes.toString('utf8').slice(0, 200)}`);
  }
  return value;
}

/** Typed field access that names the field and znode kind in its error. */
class Fields {
  constructor(
    private readonly value: JsonObject,
    private readonly what: string,
  ) {}

  has(key: string): boolean {
    return Object.hasOwn(this.value, key) && this.value[key] !== null;
  }

  int(key: string): number {
    const value = this.value[key];
    if (typeof value !== 'number' || !Number.isInteger(value)) throw this.#bad(key, 'an integer');
    return value;
  }

  /** A number Kafka writes as a string (timestamps, producer ids); plain numbers are accepted too. */
  longText(key: string): bigint {
    const value = this.value[key];
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
    if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
    throw this.#bad(key, 'a decimal number');
  }

  string(key: string): string {
    const value = this.value[key];
    if (typeof value !== 'string') throw this.#bad(key, 'a string');
    return value;
  }

  ints(key: string): number[] {
    const value = this.value[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v))) {
      throw this.#bad(key, 'an array of integers');
    }
    return value as number[];
  }

  strings(key: string): string[] {
    const value = this.value[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw this.#bad(key, 'an array of strings');
    return value as string[];
  }

  object(key: string): Fields {
    const value = this.value[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.#bad(key, 'an object');
    return new Fields(value, `${this.what}.${key}`);
  }

  objects(key: string): Fields[] {
    const value = this.value[key];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) {
      throw this.#bad(key, 'an array of objects');
    }
    return (value as JsonObject[]).map((v, i) => new Fields(v, `${this.what}.${key}[${i}]`));
  }

  keys(): string[] {
    return Object.keys(this.value);
  }

  #bad(key: string, expected: string): ZkDataError {
    return new ZkDataError(`${this.what}: "${key}" should be ${expected}, got ${JSON.stringify(this.value[key]) ?? 'nothing'}`);
  }
}

const fields = (bytes: Buffer | null, what: string) => new Fields(parseObject(bytes, what), what);
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

// ---- /brokers/ids/<id> ------------------------------------------------------------------------

/** One advertised listener of a registered broker. */
export interface BrokerEndpoint {
  readonly listenerName: string;
  readonly securityProtocol: string;
  readonly host: string;
  readonly port: number;
}

/** A broker's registration (Kafka's BrokerInfo / Broker), without the epoch, which is the znode's czxid. */
export interface BrokerRegistration {
  readonly id: number;
  readonly endpoints: readonly BrokerEndpoint[];
  readonly rack: string | null;
  /** JMX port; -1 as kts has none. */
  readonly jmxPort: number;
  /** Supported feature ranges (`{}` for a ZooKeeper-mode broker, as Kafka 3.9 registers). */
  readonly features: Readonly<Record<string, { min_version: number; max_version: number }>>;
  /** When it was written, ms since the epoch (kept as text, as Kafka does). */
  readonly timestamp: string;
}

/** Kafka's broker JSON version 5 (IBP >= 2.7-IV0): endpoints, listener map, rack, features. */
export function encodeBrokerRegistration(broker: BrokerRegistration): Buffer {
  // The legacy host/port pair is the first PLAINTEXT endpoint, else null/-1 (older clients only speak PLAINTEXT).
  const plaintext = broker.endpoints.find((e) => e.securityProtocol === 'PLAINTEXT');
  return json({
    version: 5,
    host: plaintext?.host ?? null,
    port: plaintext?.port ?? -1,
    jmx_port: broker.jmxPort,
    timestamp: broker.timestamp,
    endpoints: broker.endpoints.map((e) => `${e.listenerName}://${formatHost(e.host)}:${e.port}`),
    listener_security_protocol_map: Object.fromEntries(broker.endpoints.map((e) => [e.listenerName, e.securityProtocol])),
    ...(broker.rack !== null ? { rack: broker.rack } : {}),
    features: broker.features,
  });
}

/** A registered broker and its epoch: the czxid of its `/brokers/ids/<id>` znode, new with every registration. */
export interface RegisteredBroker {
  readonly registration: BrokerRegistration;
  readonly epoch: bigint;
}

/** Reads broker JSON versions 1-5, as Kafka's BrokerIdZNode.decode. */
export function decodeBrokerRegistration(id: number, bytes: Buffer | null): BrokerRegistration {
  const f = fields(bytes, `broker ${id} registration`);
  const version = f.int('version');
  let endpoints: BrokerEndpoint[];
  if (version < 1) throw new ZkDataError(`broker ${id} registration: unsupported version ${version}`);
  if (version === 1) {
    endpoints = [{ listenerName: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: f.string('host'), port: f.int('port') }];
  } else {
    const protocols = f.has('listener_security_protocol_map') ? f.object('listener_security_protocol_map') : null;
    endpoints = f.strings('endpoints').map((text) => parseEndpoint(text, protocols, id));
  }
  const features: Record<string, { min_version: number; max_version: number }> = {};
  if (f.has('features')) {
    const all = f.object('features');
    for (const name of all.keys()) {
      const range = all.object(name);
      features[name] = { min_version: range.int('min_version'), max_version: range.int('max_version') };
    }
  }
  return {
    id,
    endpoints,
    rack: f.has('rack') ? f.string('rack') : null,
    jmxPort: f.has('jmx_port') ? f.int('jmx_port') : -1,
    features,
    timestamp: f.has('timestamp') ? String(f.longText('timestamp')) : '0',
  };
}

// Kafka's EndPoint.createEndPoint: NAME://host:port with an optional bracketed IPv6 host.
const ENDPOINT_TEXT = /^(.+):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?\d+)$/;

function parseEndpoint(text: string, protocols: Fields | null, id: number): BrokerEndpoint {
  const match = ENDPOINT_TEXT.exec(text);
  if (!match) throw new ZkDataError(`broker ${id} registration: cannot parse endpoint ${JSON.stringify(text)}`);
  const listenerName = match[1]!;
  // Without the map (versions < 4) the listener name is the security protocol's name.
  const securityProtocol = protocols?.has(listenerName) ? protocols.string(listenerName) : listenerName;
  return { listenerName, securityProtocol, host: match[2]!, port: Number(match[3]) };
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

// ---- /brokers/topics/<t> ----------------------------------------------------------------------

/** A partition's replicas, and those being added or removed by a reassignment. */
export interface ReplicaAssignment {
  readonly replicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}

/** A topic's znode: its id (if it has one) and every partition's assignment, by partition number. */
export interface TopicAssignment {
  readonly topicId: string | null;
  readonly partitions: ReadonlyMap<number, ReplicaAssignment>;
}

export function replicaAssignment(replicas: readonly number[]): ReplicaAssignment {
  return { replicas, addingReplicas: [], removingReplicas: [] };
}

/** Version 3, as Kafka 3.x writes it; `topic_id` only when the topic has one. */
export function encodeTopicAssignment(assignment: TopicAssignment): Buffer {
  const sorted = [...assignment.partitions].sort(([a], [b]) => a - b);
  const byPartition = (pick: (a: ReplicaAssignment) => readonly number[], skipEmpty: boolean) =>
    Object.fromEntries(sorted.filter(([, a]) => !skipEmpty || pick(a).length > 0).map(([p, a]) => [String(p), pick(a)]));
  return json({
    version: 3,
    partitions: byPartition((a) => a.replicas, false),
    adding_replicas: byPartition((a) => a.addingReplicas, true),
    removing_replicas: byPartition((a) => a.removingReplicas, true),
    ...(assignment.topicId !== null ? { topic_id: assignment.topicId } : {}),
  });
}

export function decodeTopicAssignment(topic: string, bytes: Buffer | null): TopicAssignment {
  const f = fields(bytes, `topic ${topic} assignment`);
  const partitions = new Map<number, ReplicaAssignment>();
  const optional = (key: string) => (f.has(key) ? f.object(key) : null);
  const adding = optional('adding_replicas');
  const removing = optional('removing_replicas');
  const all = optional('partitions');
  for (const key of all?.keys() ?? []) {
    const partition = Number(key);
    if (!Number.isInteger(partition) || partition < 0) throw new ZkDataError(`topic ${topic} assignment: bad partition ${key}`);
    partitions.set(partition, {
      replicas: all!.ints(key),
      addingReplicas: adding?.has(key) ? adding.ints(key) : [],
      removingReplicas: removing?.has(key) ? removing.ints(key) : [],
    });
  }
  return { topicId: f.has('topic_id') ? f.string('topic_id') : null, partitions };
}

// ---- /brokers/topics/<t>/partitions/<p>/state ---------------------------------------------------

/** Kafka's LeaderRecoveryState: RECOVERING after an unclean election until the leader's first ISR change. */
export const LeaderRecoveryState = { RECOVERED: 0, RECOVERING: 1 } as const;
export type LeaderRecoveryStateValue = (typeof LeaderRecoveryState)[keyof typeof LeaderRecoveryState];

/** Kafka's LeaderAndIsr; `partitionEpoch` is the state znode's version. */
export interface LeaderAndIsr {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  readonly leaderRecoveryState: LeaderRecoveryStateValue;
  readonly partitionEpoch: number;
}

/** Kafka's LeaderIsrAndControllerEpoch: a state znode's content with the controller epoch that wrote it. */
export interface PartitionLeadership {
  readonly leaderAndIsr: LeaderAndIsr;
  readonly controllerEpoch: number;
}

export const NO_LEADER = -1;
/** Leader and leader epoch UpdateMetadata carries for a partition of a topic being deleted. */
export const LEADER_DURING_DELETE = -2;
export const EPOCH_DURING_DELETE = -2;

export function encodePartitionState(state: PartitionLeadership): Buffer {
  const { leaderAndIsr } = state;
  return json({
    controller_epoch: state.controllerEpoch,
    leader: leaderAndIsr.leader,
    version: 1,
    leader_epoch: leaderAndIsr.leaderEpoch,
    isr: leaderAndIsr.isr,
    // Written only while RECOVERING, so brokers older than IBP 3.2 read the znode unchanged otherwise.
    ...(leaderAndIsr.leaderRecoveryState !== LeaderRecoveryState.RECOVERED
      ? { leader_recovery_state: leaderAndIsr.leaderRecoveryState }
      : {}),
  });
}

/** `version` is the znode's stat version: the partition epoch. */
export function decodePartitionState(bytes: Buffer | null, version: number, what = 'partition state'): PartitionLeadership {
  const f = fields(bytes, what);
  const recovery = f.has('leader_recovery_state') ? f.int('leader_recovery_state') : LeaderRecoveryState.RECOVERED;
  if (recovery !== LeaderRecoveryState.RECOVERED && recovery !== LeaderRecoveryState.RECOVERING) {
    throw new ZkDataError(`${what}: unknown leader_recovery_state ${recovery}`);
  }
  return {
    leaderAndIsr: {
      leader: f.int('leader'),
      leaderEpoch: f.int('leader_epoch'),
      isr: f.ints('isr'),
      leaderRecoveryState: recovery,
      partitionEpoch: version,
    },
    controllerEpoch: f.int('controller_epoch'),
  };
}

// ---- /controller, /controller_epoch -------------------------------------------------------------

export function encodeController(brokerId: number, timestampMs: number): Buffer {
  return json({ version: 2, brokerid: brokerId, timestamp: String(timestampMs), kraftControllerEpoch: -1 });
}

/** The controller's broker id. */
export function decodeController(bytes: Buffer | null): number {
  return fields(bytes, 'controller').int('brokerid');
}

/** Plain decimal text, not JSON. */
export function encodeControllerEpoch(epoch: number): Buffer {
  return Buffer.from(String(epoch));
}

export function decodeControllerEpoch(bytes: Buffer | null): number {
  const text = bytes?.toString('utf8') ?? '';
  if (!/^\d+$/.test(text)) throw new ZkDataError(`controller epoch: not a number: ${JSON.stringify(text.slice(0, 50))}`);
  return Number(text);
}

// ---- /cluster/id ------------------------------------------------------------------------------

export function encodeClusterId(id: string): Buffer {
  return json({ version: '1', id });
}

export function decodeClusterId(bytes: Buffer | null): string {
  return fields(bytes, 'cluster id').string('id');
}

// ---- /config/<type>/<name>, /config/changes ---------------------------------------------------

export function encodeEntityConfig(configs: Readonly<Record<string, string>>): Buffer {
  return json({ version: 1, config: configs });
}

/** An entity's overrides; a missing or empty `config` is none. Values are text, as Kafka's Properties. */
export function decodeEntityConfig(bytes: Buffer | null, what = 'entity config'): Record<string, string> {
  if (bytes === null || bytes.length === 0) return {};
  const f = fields(bytes, what);
  if (!f.has('config')) return {};
  const config = f.object('config');
  return Object.fromEntries(config.keys().map((key) => [key, config.string(key)]));
}

/** Version 2: the sanitized entity path, e.g. `topics/my-topic` or `users/alice/clients/app1`. */
export function encodeConfigChangeNotification(entityPath: string): Buffer {
  return json({ version: 2, entity_path: entityPath });
}

/** The changed entity's path; the legacy version 1 (`entity_type` + `entity_name`) is read too. */
export function decodeConfigChangeNotification(bytes: Buffer | null): string {
  const f = fields(bytes, 'config change notification');
  const version = f.int('version');
  if (version === 1) return `${f.string('entity_type')}/${f.string('entity_name')}`;
  if (version === 2) return f.string('entity_path');
  throw new ZkDataError(`config change notification: unsupported version ${version}`);
}

// ---- /latest_producer_id_block ------------------------------------------------------------------

/** A block of producer ids reserved by one broker: `[start, end]`, both inclusive. */
export interface ProducerIdBlock {
  readonly brokerId: number;
  readonly start: bigint;
  readonly end: bigint;
}

export function encodeProducerIdBlock(block: ProducerIdBlock): Buffer {
  return json({ version: 1, broker: block.brokerId, block_start: String(block.start), block_end: String(block.end) });
}

export function decodeProducerIdBlock(bytes: Buffer | null): ProducerIdBlock {
  const f = fields(bytes, 'producer id block');
  return { brokerId: f.int('broker'), start: f.longText('block_start'), end: f.longText('block_end') };
}

// ---- /feature ---------------------------------------------------------------------------------

export const FeatureStatus = { DISABLED: 0, ENABLED: 1 } as const;

/** Finalized features, by name, at their max version level. */
export interface FeatureZNode {
  readonly status: (typeof FeatureStatus)[keyof typeof FeatureStatus];
  readonly features: Readonly<Record<string, number>>;
}

/** Version 2 (IBP >= 3.3-IV0): `max_version_level` only. */
export function encodeFeatures(node: FeatureZNode): Buffer {
  const features = Object.fromEntries(Object.entries(node.features).map(([name, level]) => [name, { max_version_level: level }]));
  return json({ features, version: 2, status: node.status });
}

export function decodeFeatures(bytes: Buffer | null): FeatureZNode {
  const f = fields(bytes, 'feature znode');
  const status = f.int('status');
  if (status !== FeatureStatus.DISABLED && status !== FeatureStatus.ENABLED) {
    throw new ZkDataError(`feature znode: unknown status ${status}`);
  }
  const all = f.object('features');
  return { status, features: Object.fromEntries(all.keys().map((name) => [name, all.object(name).int('max_version_level')])) };
}

// ---- Controller notifications and legacy admin znodes -------------------------------------------

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

const partitionList = (f: Fields): TopicPartitionRef[] =>
  f.objects('partitions').map((p) => ({ topic: p.string('topic'), partition: p.int('partition') }));

/** `/isr_change_notification/isr_change_<seq>`, written by leaders of IBP < 2.7-IV2. */
export function encodeIsrChangeNotification(partitions: readonly TopicPartitionRef[]): Buffer {
  return json({ version: 1, partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition })) });
}

export function decodeIsrChangeNotification(bytes: Buffer | null): TopicPartitionRef[] {
  return partitionList(fields(bytes, 'ISR change notification'));
}

/** `/log_dir_event_notification/log_dir_event_<seq>`: event 1 = a log dir failed. */
export function encodeLogDirEvent(brokerId: number): Buffer {
  return json({ version: 1, broker: brokerId, event: 1 });
}

export function decodeLogDirEvent(bytes: Buffer | null): number {
  return fields(bytes, 'log dir event').int('broker');
}

/** `/admin/reassign_partitions` (the legacy tool's target replicas). */
export function encodeReassignment(partitions: readonly (TopicPartitionRef & { replicas: readonly number[] })[]): Buffer {
  return json({ version: 1, partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.replicas })) });
}

export function decodeReassignment(bytes: Buffer | null): (TopicPartitionRef & { replicas: number[] })[] {
  return fields(bytes, 'partition reassignment')
    .objects('partitions')
    .map((p) => ({ topic: p.string('topic'), partition: p.int('partition'), replicas: p.ints('replicas') }));
}

/** `/admin/preferred_replica_election` (the legacy tool's partitions). */
export function encodePreferredReplicaElection(partitions: readonly TopicPartitionRef[]): Buffer {
  return json({ version: 1, partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition })) });
}

export function decodePreferredReplicaElection(bytes: Buffer | null): TopicPartitionRef[] {
  return partitionList(fields(bytes, 'preferred replica election'));
}

// ---- ACLs (the ZooKeeper authorizer's znodes) -------------------------------------------------------

/** One ACL entry as the ZooKeeper authorizer stores it (PascalCase operation and permission names). */
export interface AclEntry {
  readonly principal: string;
  readonly permissionType: string;
  readonly operation: string;
  readonly host: string;
}

export function encodeAcls(acls: readonly AclEntry[]): Buffer {
  return json({
    version: 1,
    acls: acls.map((a) => ({ principal: a.principal, permissionType: a.permissionType, operation: a.operation, host: a.host })),
  });
}

export function decodeAcls(bytes: Buffer | null): AclEntry[] {
  return fields(bytes, 'ACLs')
    .objects('acls')
    .map((a) => ({
      principal: a.string('principal'),
      permissionType: a.string('permissionType'),
      operation: a.string('operation'),
      host: a.string('host'),
    }));
}

/** `/kafka-acl-changes/acl_changes_<seq>`: plain text `TYPE:name`. */
export function encodeLiteralAclChange(resourceType: string, name: string): Buffer {
  return Buffer.from(`${resourceType}:${name}`);
}

/** `/kafka-acl-extended-changes/acl_changes_<seq>`. */
export function encodeExtendedAclChange(resourceType: string, name: string, patternType: string): Buffer {
  return json({ version: 1, resourceType, name, patternType });
}
