import type { ClientQuotaAdmin } from '../admin/client-quota-admin.js';
import type { ConfigAdmin } from '../admin/config-admin.js';
import type { TopicAdmin } from '../admin/topic-admin.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { InternalTopicLog } from '../coordinator/internal-topic-log.js';
import type { ReplicationQuotas } from '../replication/replication-quota.js';
import type { ProducerIdManager } from '../coordinator/producer-id-manager.js';
import type { FetchPurgatory } from '../fetch/fetch-purgatory.js';
import type { FetchSessionCache } from '../fetch/fetch-session.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { GroupLog } from '../group/group-log.js';
import type { LogManager } from '../log/log-manager.js';
import type { MetadataCache } from '../metadata/metadata-cache.js';
import type { ReplicaManager } from '../partition/replica-manager.js';
import type { ProducePipeline } from '../produce/produce-pipeline.js';
import type { ProducePurgatory } from '../replication/delayed-produce.js';
import type { TransactionCoordinator } from '../transaction/transaction-coordinator.js';
import type { TxnMarkerWriter } from '../transaction/txn-marker-writer.js';
import type { TxnVerifier } from '../transaction/txn-verifier.js';
import type { AclAdmin } from '../security/acl-admin.js';
import type { ScramCredentialAdmin } from '../security/scram-credential-admin.js';

/** What request handlers see of the broker. */
export interface BrokerContext {
  readonly brokerId: number;
  readonly clusterId: string;
  /** Read on every request: dynamic configs may have changed it. */
  config(): BrokerConfig;
  readonly metadata: MetadataCache;
  readonly topicAdmin: TopicAdmin;
  readonly configAdmin: ConfigAdmin;
  /** User and client-id quotas (DescribeClientQuotas, AlterClientQuotas). */
  readonly clientQuotas: ClientQuotaAdmin;
  /** SCRAM users (AlterUserScramCredentials, DescribeUserScramCredentials), and what SCRAM logins are checked against. */
  readonly scramCredentials: ScramCredentialAdmin;
  /** ACLs and the authorizer; undefined without `authorizer.class.name` (ACL requests get SECURITY_DISABLED). */
  readonly acls: AclAdmin | undefined;
  /** The log dirs and the logs in them (DescribeLogDirs). */
  readonly logManager: LogManager;
  readonly replicaManager: ReplicaManager;
  /** Clients' Produce requests: records checked in slices, appends in arrival order. */
  readonly producePipeline: ProducePipeline;
  readonly fetchSessions: FetchSessionCache;
  readonly fetchPurgatory: FetchPurgatory;
  /** Reassignment throttles (`*.replication.throttled.rate`), shared by the leader's reads and the followers' fetches. */
  readonly replicationQuotas: ReplicationQuotas;
  /** acks=-1 produces waiting for the ISR. */
  readonly producePurgatory: ProducePurgatory;
  readonly producerIds: ProducerIdManager;
  readonly groupCoordinator: GroupCoordinator;
  /** `__consumer_offsets`, created by FindCoordinator on first use. */
  readonly groupLog: GroupLog;
  readonly transactionCoordinator: TransactionCoordinator;
  /** `__transaction_state`, created by FindCoordinator on first use. */
  readonly transactionLog: InternalTopicLog;
  /** Appends WriteTxnMarkers' markers to the partitions led here. */
  readonly txnMarkers: TxnMarkerWriter;
  /** KIP-890: asks a producer's coordinator before its first transactional batch on a partition. */
  readonly txnVerifier: TxnVerifier;
}
