import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LONG_MAX } from '../log/log-config.js';
import { boolean, double, int, list, long, password, short, string } from './config-def.js';

const INT_MAX = 0x7fffffff;
const COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'];
const TIMESTAMP_TYPES = ['CreateTime', 'LogAppendTime'];
/** Kafka's LegacyRecord.RECORD_OVERHEAD_V0: no smaller segment can hold a record. */
const MIN_SEGMENT_BYTES = 14;
const NO_EFFECT = 'Accepted for compatibility; no effect in the embedded broker';

/**
 * Every server.properties key the embedded broker honours, with Kafka 3.9's names, types, defaults
 * and ranges (departures say so in their doc). `dynamic` keys can be changed by AlterConfigs on a
 * broker resource, cluster-wide or per broker, as in Kafka; the rest are read-only.
 */
export const BROKER_CONFIG_DEFS = {
  // Server basics
  'broker.id': int({ default: 0, min: 0, doc: 'The id of this broker (Kafka generates one for -1; kts does not, so the default is 0)' }),
  'broker.rack': string({ default: null, doc: 'Rack of this broker, reported in Metadata' }),
  listeners: string({
    default: 'PLAINTEXT://localhost:9092',
    doc: 'Comma-separated NAME://host:port listeners; an empty host or 0.0.0.0 binds every interface, port 0 picks a free port (kts default: localhost only)',
  }),
  'advertised.listeners': string({
    default: null,
    doc: 'Listeners given to clients in Metadata, if different from listeners; a wildcard host advertises the machine name, port 0 the bound port',
  }),
  'listener.security.protocol.map': string({
    default: 'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL',
    doc: 'Security protocol of each listener name, NAME:PROTOCOL pairs',
  }),
  'inter.broker.listener.name': string({
    default: null,
    doc: 'Listener brokers and the controller reach each other on; unset: the listener named by security.inter.broker.protocol',
  }),
  'security.inter.broker.protocol': string({
    default: 'PLAINTEXT',
    oneOf: ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'],
    doc: 'Security protocol between brokers; exclusive with inter.broker.listener.name',
  }),
  'controller.socket.timeout.ms': int({ default: 30_000, doc: 'Timeout of the controller-to-broker connections and requests' }),
  'request.timeout.ms': int({
    default: 30_000,
    min: 0,
    doc: 'How long admin requests of a cluster member wait for the controller to act on them',
  }),
  'log.dir': string({ default: join(tmpdir(), 'kafka-logs'), doc: 'The directory of the log data, used when log.dirs is not set' }),
  'log.dirs': string({
    default: null,
    doc: 'Comma-separated directories of the log data; relative paths resolve against the working directory at start',
  }),
  'unstable.api.versions.enable': boolean({ default: false, doc: 'Advertise API versions that are still under development' }),

  // Network
  'socket.request.max.bytes': int({ default: 104_857_600, min: 1, doc: 'The largest request the broker accepts, in bytes' }),
  'socket.send.buffer.bytes': int({ default: 102_400, doc: `SO_SNDBUF of broker sockets. ${NO_EFFECT} (Node.js keeps the OS default)` }),
  'socket.receive.buffer.bytes': int({ default: 102_400, doc: `SO_RCVBUF of broker sockets. ${NO_EFFECT} (Node.js keeps the OS default)` }),
  'connections.max.idle.ms': long({ default: 600_000, doc: 'Close connections idle for longer than this' }),
  'num.network.threads': int({ default: 3, min: 1, dynamic: true, doc: `Network threads. ${NO_EFFECT} (one event loop)` }),
  'num.io.threads': int({ default: 8, min: 1, dynamic: true, doc: `Request handler threads. ${NO_EFFECT} (one event loop)` }),
  'num.recovery.threads.per.data.dir': int({ default: 1, min: 1, dynamic: true, doc: `Log recovery threads per directory. ${NO_EFFECT}` }),
  'fetch.max.bytes': int({ default: 57_671_680, min: 1024, doc: 'The most bytes a Fetch response carries' }),

  // Topics
  'num.partitions': int({ default: 1, min: 1, doc: 'Partitions of an auto-created topic, and of CreateTopics asking for the default' }),
  'default.replication.factor': int({
    default: 1,
    doc: 'Replication factor of an auto-created topic, and of CreateTopics asking for the default',
  }),
  'auto.create.topics.enable': boolean({ default: true, doc: 'Create a topic when Metadata asks for one that does not exist' }),
  'delete.topic.enable': boolean({ default: true, doc: 'Allow DeleteTopics' }),
  'min.insync.replicas': int({ default: 1, min: 1, dynamic: true, doc: 'In-sync replicas a produce with acks=all needs' }),
  'unclean.leader.election.enable': boolean({ default: false, dynamic: true, doc: 'Allow an out-of-sync replica to become leader' }),
  'message.max.bytes': int({ default: 1_048_588, min: 0, dynamic: true, doc: 'The largest record batch the broker accepts, in bytes' }),
  'compression.type': string({
    default: 'producer',
    oneOf: COMPRESSION_TYPES,
    dynamic: true,
    doc: 'Compression of stored batches; producer keeps what the producer sent',
  }),
  'compression.gzip.level': int({ default: -1, min: -1, max: 9, dynamic: true, doc: 'gzip level when compression.type is gzip' }),
  'compression.lz4.level': int({ default: 9, min: 1, max: 17, dynamic: true, doc: 'lz4 level when compression.type is lz4' }),
  'compression.zstd.level': int({ default: 3, min: -131_072, max: 22, dynamic: true, doc: 'zstd level when compression.type is zstd' }),

  // Log segments, retention and flushing
  'log.segment.bytes': int({ default: 1_073_741_824, min: MIN_SEGMENT_BYTES, dynamic: true, doc: 'Size at which a log segment is rolled' }),
  'log.roll.ms': long({ default: null, min: 1, dynamic: true, doc: 'Age at which a segment is rolled, in ms; unset: log.roll.hours' }),
  'log.roll.hours': int({ default: 168, min: 1, dynamic: true, doc: 'Age at which a segment is rolled, in hours' }),
  'log.roll.jitter.ms': long({
    default: null,
    min: 0,
    dynamic: true,
    doc: 'Most random jitter subtracted from the roll age, in ms; unset: log.roll.jitter.hours',
  }),
  'log.roll.jitter.hours': int({ default: 0, min: 0, dynamic: true, doc: 'Most random jitter subtracted from the roll age, in hours' }),
  'log.retention.ms': long({
    default: null,
    dynamic: true,
    doc: 'Age after which segments are deleted, in ms (-1: forever); unset: log.retention.minutes',
  }),
  'log.retention.minutes': int({
    default: null,
    dynamic: true,
    doc: 'Age after which segments are deleted, in minutes; unset: log.retention.hours',
  }),
  'log.retention.hours': int({ default: 168, dynamic: true, doc: 'Age after which segments are deleted, in hours' }),
  'log.retention.bytes': long({
    default: -1,
    dynamic: true,
    doc: 'Size a partition log may keep before old segments are deleted (-1: unlimited)',
  }),
  'log.retention.check.interval.ms': long({ default: 300_000, min: 1, doc: 'How often retention is enforced' }),
  'log.cleanup.policy': list({
    default: ['delete'],
    oneOf: ['compact', 'delete'],
    dynamic: true,
    doc: 'What to do with old segments: delete and/or compact',
  }),
  'log.cleaner.enable': boolean({ default: true, doc: 'Run the log cleaner, which compacts topics whose cleanup.policy has compact' }),
  'log.cleaner.threads': int({
    default: 1,
    min: 0,
    dynamic: true,
    doc: 'Log cleaner threads (kts: accepted; cleaning runs on the event loop, one log at a time)',
  }),
  'log.cleaner.backoff.ms': long({
    default: 15_000,
    min: 0,
    doc: 'How long the log cleaner waits when no log needs cleaning (kts: read at start-up)',
  }),
  'log.cleaner.dedupe.buffer.size': long({
    default: 134_217_728,
    doc: 'Memory for the key-to-offset map of one cleaning pass, 24 bytes per key as Kafka counts (kts: read at start-up)',
  }),
  'log.cleaner.delete.retention.ms': long({
    default: 86_400_000,
    min: 0,
    dynamic: true,
    doc: 'How long tombstones are kept in compacted topics',
  }),
  'log.cleaner.min.compaction.lag.ms': long({ default: 0, min: 0, dynamic: true, doc: 'Least age of a record before it can be compacted' }),
  'log.cleaner.max.compaction.lag.ms': long({
    default: LONG_MAX,
    min: 1,
    dynamic: true,
    doc: 'Most age of a record before it must be compacted',
  }),
  'log.cleaner.min.cleanable.ratio': double({
    default: 0.5,
    min: 0,
    max: 1,
    dynamic: true,
    doc: 'Dirty ratio at which a log is compacted',
  }),
  'log.segment.delete.delay.ms': long({
    default: 60_000,
    min: 0,
    dynamic: true,
    doc: 'Delay before a deleted segment is removed from disk',
  }),
  'log.index.size.max.bytes': int({ default: 10_485_760, min: 4, dynamic: true, doc: 'Largest offset index of a segment, in bytes' }),
  'log.index.interval.bytes': int({ default: 4096, min: 0, dynamic: true, doc: 'Bytes of log between offset index entries' }),
  'log.preallocate': boolean({ default: false, dynamic: true, doc: 'Preallocate segment files' }),
  'log.flush.interval.messages': long({ default: LONG_MAX, min: 1, dynamic: true, doc: 'Messages appended before the log is fsynced' }),
  'log.flush.interval.ms': long({
    default: null,
    dynamic: true,
    doc: 'Most time a message stays unflushed, in ms; unset: log.flush.scheduler.interval.ms',
  }),
  'log.flush.scheduler.interval.ms': long({ default: LONG_MAX, doc: 'How often logs are checked for a time-based flush' }),
  'log.flush.offset.checkpoint.interval.ms': int({
    default: 60_000,
    min: 0,
    doc: 'How often the recovery point of every log is written to recovery-point-offset-checkpoint',
  }),
  'log.flush.start.offset.checkpoint.interval.ms': int({
    default: 60_000,
    min: 0,
    doc: 'How often the log start offset of every log is written to log-start-offset-checkpoint',
  }),
  'log.message.timestamp.type': string({
    default: 'CreateTime',
    oneOf: TIMESTAMP_TYPES,
    dynamic: true,
    doc: 'Timestamp stored in records: CreateTime or LogAppendTime',
  }),
  'log.message.timestamp.difference.max.ms': long({
    default: LONG_MAX,
    min: 0,
    dynamic: true,
    doc: 'Deprecated: most distance of a CreateTime timestamp from the broker clock, used while the before/after limits are unset',
  }),
  'log.message.timestamp.before.max.ms': long({
    default: LONG_MAX,
    min: 0,
    dynamic: true,
    doc: 'Most a CreateTime timestamp may lie in the past',
  }),
  'log.message.timestamp.after.max.ms': long({
    default: LONG_MAX,
    min: 0,
    dynamic: true,
    doc: 'Most a CreateTime timestamp may lie in the future',
  }),
  'log.message.downconversion.enable': boolean({
    default: true,
    dynamic: true,
    doc: `Down-convert batches for old fetchers. ${NO_EFFECT}`,
  }),

  // Group coordinator and offsets
  'offsets.topic.num.partitions': int({ default: 50, min: 1, doc: 'Partitions of __consumer_offsets' }),
  'offsets.topic.replication.factor': short({
    default: 3,
    min: 1,
    doc: 'Replication factor of __consumer_offsets; creating it fails while fewer brokers are alive',
  }),
  'offsets.topic.segment.bytes': int({ default: 104_857_600, min: 1, doc: 'Segment size of __consumer_offsets' }),
  'offsets.retention.minutes': int({ default: 10_080, min: 1, doc: 'How long committed offsets of an empty group are kept' }),
  'offsets.retention.check.interval.ms': long({ default: 600_000, min: 1, doc: 'How often stale offsets are removed' }),
  'offsets.commit.timeout.ms': int({
    default: 5000,
    min: 1,
    doc: 'How long a coordinator write waits for the ISR of its __consumer_offsets partition',
  }),
  'offset.metadata.max.bytes': int({ default: 4096, doc: 'Largest metadata string of a committed offset' }),
  'group.initial.rebalance.delay.ms': int({ default: 3000, doc: 'How long the first rebalance of a new group waits for more members' }),
  'group.min.session.timeout.ms': int({ default: 6000, doc: 'Smallest session timeout a consumer may ask for' }),
  'group.max.session.timeout.ms': int({ default: 1_800_000, doc: 'Largest session timeout a consumer may ask for' }),
  'group.max.size': int({ default: INT_MAX, min: 1, doc: 'Most members in one group' }),

  // Transactions and idempotence
  'transaction.state.log.num.partitions': int({ default: 50, min: 1, doc: 'Partitions of __transaction_state' }),
  'transaction.state.log.replication.factor': short({ default: 3, min: 1, doc: 'Replication factor of __transaction_state' }),
  'transaction.state.log.min.isr': int({ default: 2, min: 1, doc: 'min.insync.replicas of __transaction_state' }),
  'transaction.state.log.segment.bytes': int({ default: 104_857_600, min: 1, doc: 'Segment size of __transaction_state' }),
  'transactional.id.expiration.ms': int({ default: 604_800_000, min: 1, doc: 'How long an idle transactional id is kept' }),
  'transaction.max.timeout.ms': int({ default: 900_000, min: 1, doc: 'Largest transaction timeout a producer may ask for' }),
  'producer.id.expiration.ms': int({
    default: 86_400_000,
    min: 1,
    dynamic: true,
    doc: 'How long the state of a producer without an open transaction is kept after its last write',
  }),
  'producer.id.expiration.check.interval.ms': int({
    default: 600_000,
    min: 1,
    doc: 'How often producer state idle longer than producer.id.expiration.ms is removed (an internal config in Kafka)',
  }),
  'transaction.partition.verification.enable': boolean({
    default: true,
    doc: "Partition leaders check with the producer's coordinator before its first transactional batch (KIP-890)",
  }),
  'transaction.abort.timed.out.transaction.cleanup.interval.ms': int({
    default: 10_000,
    min: 1,
    doc: 'How often transactions open longer than their timeout are aborted',
  }),
  'transaction.remove.expired.transaction.cleanup.interval.ms': int({
    default: 3_600_000,
    min: 1,
    doc: 'How often transactional ids idle longer than transactional.id.expiration.ms are removed',
  }),

  // ZooKeeper
  'zookeeper.connect': string({
    default: null,
    doc: 'host:port[,host:port][/chroot] of ZooKeeper; unset: the broker keeps its metadata itself',
  }),
  'zookeeper.connection.timeout.ms': int({
    default: null,
    doc: 'How long to wait for a ZooKeeper connection; unset: zookeeper.session.timeout.ms',
  }),
  'zookeeper.session.timeout.ms': int({ default: 18_000, doc: 'ZooKeeper session timeout' }),

  // Security: TLS (each also per listener as listener.name.<listener>.<key>)
  'ssl.keystore.type': string({
    default: 'JKS',
    doc: 'Format of ssl.keystore.location: PEM or PKCS12 (JKS files are refused with how to convert them; a PEM or PKCS12 file is recognised whatever the type says)',
  }),
  'ssl.keystore.location': string({ default: null, doc: 'The broker certificate and private key: a PEM or PKCS12 file' }),
  'ssl.keystore.password': password({ default: null, doc: 'Password of a PKCS12 keystore' }),
  'ssl.key.password': password({ default: null, doc: 'Password of an encrypted private key' }),
  'ssl.keystore.certificate.chain': password({
    default: null,
    doc: 'The certificate chain as PEM text (instead of ssl.keystore.location)',
  }),
  'ssl.keystore.key': password({ default: null, doc: 'The private key as PEM text, with ssl.keystore.certificate.chain' }),
  'ssl.truststore.type': string({
    default: 'JKS',
    doc: 'Format of ssl.truststore.location: PEM (JKS and PKCS12 truststores are refused with how to convert them)',
  }),
  'ssl.truststore.location': string({
    default: null,
    doc: "Certificates of the authorities trusted to sign client (and other brokers') certificates, PEM",
  }),
  'ssl.truststore.password': password({ default: null, doc: 'Password of the truststore (not needed for PEM)' }),
  'ssl.truststore.certificates': password({ default: null, doc: 'Trusted certificates as PEM text (instead of ssl.truststore.location)' }),
  'ssl.client.auth': string({
    default: 'none',
    oneOf: ['required', 'requested', 'none'],
    doc: 'Whether clients must (required) or may (requested) present a certificate trusted by the truststore',
  }),
  'ssl.enabled.protocols': list({
    default: ['TLSv1.2', 'TLSv1.3'],
    oneOf: ['TLSv1.2', 'TLSv1.3'],
    doc: 'TLS versions accepted on SSL and SASL_SSL listeners',
  }),
  'ssl.protocol': string({ default: 'TLSv1.3', doc: 'TLS protocol of the SSL context (the enabled protocols decide what is negotiated)' }),
  'ssl.principal.mapping.rules': string({
    default: 'DEFAULT',
    doc: 'RULE:pattern/replacement/[LU] rules, then DEFAULT, turning a client certificate distinguished name into a principal name',
  }),
  'ssl.endpoint.identification.algorithm': string({
    default: 'https',
    doc: "How a broker checks the host name of another broker's certificate: https, or empty to not check",
  }),

  // Security: SASL (also per listener; JAAS as listener.name.<listener>.<mechanism>.sasl.jaas.config)
  'sasl.enabled.mechanisms': list({
    default: ['GSSAPI'],
    doc: 'Mechanisms offered on SASL listeners: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (GSSAPI, the default, and OAUTHBEARER are not supported)',
  }),
  'sasl.mechanism.inter.broker.protocol': string({ default: 'GSSAPI', doc: 'Mechanism brokers authenticate to each other with' }),
  'sasl.jaas.config': password({
    default: null,
    doc: "JAAS login module of SASL listeners when no listener.name.<listener>.<mechanism>.sasl.jaas.config is set (kts: stands in for the JAAS file's KafkaServer section)",
  }),
  'sasl.server.max.receive.size': int({
    default: 524_288,
    doc: 'The largest request accepted before a client has authenticated, in bytes',
  }),
  'connection.failed.authentication.delay.ms': int({
    default: 100,
    min: 0,
    doc: "How long a failed authentication is held before it is answered and the connection closed; a client address's credential checks wait their turn behind its failed ones",
  }),
  'connections.max.reauth.ms': long({
    default: 0,
    doc: 'Positive: the SASL session lifetime told to clients, after which a connection that has not re-authenticated is closed on its next request; 0: sessions do not expire (also per listener and mechanism: listener.name.<listener>.<mechanism>.connections.max.reauth.ms)',
  }),

  // Security: authorization
  'authorizer.class.name': string({
    default: '',
    doc: 'kafka.security.authorizer.AclAuthorizer to enforce ACLs (with super.users and allow.everyone.if.no.acl.found); empty: no authorization',
  }),
  'super.users': string({
    default: '',
    doc: 'Principals allowed everything by the authorizer, semicolon-separated (User:admin;User:broker)',
  }),
  'allow.everyone.if.no.acl.found': boolean({
    default: false,
    doc: 'Whether the authorizer allows an operation on a resource no ACL names',
  }),

  // Replication
  'replica.lag.time.max.ms': long({ default: 30_000, doc: 'How long a follower may lag before it leaves the ISR' }),
  'replica.fetch.backoff.ms': int({ default: 1000, min: 0, doc: 'How long a follower waits after a failed fetch' }),
  'replica.fetch.response.max.bytes': int({ default: 10_485_760, min: 0, doc: 'Bytes a follower fetch asks for in all' }),
  'replica.high.watermark.checkpoint.interval.ms': long({
    default: 5000,
    min: 1,
    doc: 'How often high watermarks are written to replication-offset-checkpoint',
  }),
  'controlled.shutdown.enable': boolean({
    default: true,
    doc: 'Move leadership away (ControlledShutdown to the controller) before stopping',
  }),
  'controlled.shutdown.max.retries': int({ default: 3, doc: 'ControlledShutdown attempts before stopping anyway' }),
  'controlled.shutdown.retry.backoff.ms': long({ default: 5000, doc: 'Pause between ControlledShutdown attempts' }),
  'replica.fetch.max.bytes': int({ default: 1_048_576, min: 0, doc: 'Bytes a follower fetches per partition' }),
  'replica.fetch.min.bytes': int({ default: 1, doc: 'Least bytes a follower fetch waits for' }),
  'replica.fetch.wait.max.ms': int({ default: 500, doc: 'Most time a follower fetch waits' }),
  'replica.socket.timeout.ms': int({ default: 30_000, doc: 'Socket timeout of follower fetches' }),
  'num.replica.fetchers': int({ default: 1, dynamic: true, doc: `Follower fetcher threads. ${NO_EFFECT}` }),
  'auto.leader.rebalance.enable': boolean({
    default: true,
    doc: 'The controller moves leadership back to preferred replicas when a broker leads too few of its partitions',
  }),
  'leader.imbalance.check.interval.seconds': long({ default: 300, min: 1, doc: 'How often the controller checks the leader balance' }),
  'leader.imbalance.per.broker.percentage': int({
    default: 10,
    doc: "Share of a broker's preferred partitions led elsewhere above which their leadership moves back",
  }),

  // Replication quotas (reassignment throttles)
  'leader.replication.throttled.rate': long({
    default: LONG_MAX,
    min: 0,
    dynamic: true,
    doc: 'Bytes per second a leader sends to out-of-sync followers of the replicas a topic throttles (leader.replication.throttled.replicas)',
  }),
  'follower.replication.throttled.rate': long({
    default: LONG_MAX,
    min: 0,
    dynamic: true,
    doc: 'Bytes per second a follower fetches for its out-of-sync replicas a topic throttles (follower.replication.throttled.replicas)',
  }),
  'replica.alter.log.dirs.io.max.bytes.per.second': long({
    default: LONG_MAX,
    min: 0,
    dynamic: true,
    doc: 'Bytes per second copied when a replica moves to another log dir (AlterReplicaLogDirs)',
  }),
  'replication.quota.window.num': int({ default: 11, min: 1, doc: 'Samples the replication quotas keep' }),
  'replication.quota.window.size.seconds': int({ default: 1, min: 1, doc: 'Time span of each replication quota sample' }),
  'alter.log.dirs.replication.quota.window.num': int({ default: 11, min: 1, doc: 'Samples the log dir move quota keeps' }),
  'alter.log.dirs.replication.quota.window.size.seconds': int({ default: 1, min: 1, doc: 'Time span of each log dir move quota sample' }),
};

export type BrokerConfigDefs = typeof BROKER_CONFIG_DEFS;
export type BrokerConfigName = keyof BrokerConfigDefs;

/** The typed value of every key; `null` where the key has no default and is not set. */
export type BrokerConfigValues = { readonly [K in BrokerConfigName]: BrokerConfigDefs[K]['default'] };

export function isBrokerConfigName(name: string): name is BrokerConfigName {
  return Object.hasOwn(BROKER_CONFIG_DEFS, name);
}

/**
 * Keys that stand in for each other, most specific first, as Kafka's DynamicBrokerConfig lists
 * them: a unit variant (or a fallback key) is consulted only when the earlier ones are unset.
 */
export function brokerSynonyms(name: BrokerConfigName): readonly BrokerConfigName[] {
  return BROKER_SYNONYMS[name] ?? [name];
}

const BROKER_SYNONYMS: Partial<Record<BrokerConfigName, readonly BrokerConfigName[]>> = {
  'log.retention.ms': ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
  'log.retention.minutes': ['log.retention.minutes', 'log.retention.hours'],
  'log.roll.ms': ['log.roll.ms', 'log.roll.hours'],
  'log.roll.jitter.ms': ['log.roll.jitter.ms', 'log.roll.jitter.hours'],
  'log.flush.interval.ms': ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'],
  'log.dirs': ['log.dirs', 'log.dir'],
  'zookeeper.connection.timeout.ms': ['zookeeper.connection.timeout.ms', 'zookeeper.session.timeout.ms'],
};
