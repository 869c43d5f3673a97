import { type AclOperation, CLUSTER_NAME, type ResourceType } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import { LocalReassignments } from '../admin/local-reassignments.js';
import { alterClientQuotasCodec } from '../../protocol/generated/apis/alter-client-quotas.js';
import { createAclsCodec } from '../../protocol/generated/apis/create-acls.js';
import { deleteAclsCodec } from '../../protocol/generated/apis/delete-acls.js';
import { describeAclsCodec } from '../../protocol/generated/apis/describe-acls.js';
import { alterConfigsCodec } from '../../protocol/generated/apis/alter-configs.js';
import { addOffsetsToTxnCodec } from '../../protocol/generated/apis/add-offsets-to-txn.js';
import { addPartitionsToTxnCodec } from '../../protocol/generated/apis/add-partitions-to-txn.js';
import { alterUserScramCredentialsCodec } from '../../protocol/generated/apis/alter-user-scram-credentials.js';
import { alterReplicaLogDirsCodec } from '../../protocol/generated/apis/alter-replica-log-dirs.js';
import { apiVersionsCodec } from '../../protocol/generated/apis/api-versions.js';
import { createPartitionsCodec } from '../../protocol/generated/apis/create-partitions.js';
import { createTopicsCodec } from '../../protocol/generated/apis/create-topics.js';
import { deleteGroupsCodec } from '../../protocol/generated/apis/delete-groups.js';
import { deleteRecordsCodec } from '../../protocol/generated/apis/delete-records.js';
import { deleteTopicsCodec } from '../../protocol/generated/apis/delete-topics.js';
import { describeClientQuotasCodec } from '../../protocol/generated/apis/describe-client-quotas.js';
import { describeClusterCodec } from '../../protocol/generated/apis/describe-cluster.js';
import { describeConfigsCodec } from '../../protocol/generated/apis/describe-configs.js';
import { describeGroupsCodec } from '../../protocol/generated/apis/describe-groups.js';
import { describeLogDirsCodec } from '../../protocol/generated/apis/describe-log-dirs.js';
import { describeProducersCodec } from '../../protocol/generated/apis/describe-producers.js';
import { describeTransactionsCodec } from '../../protocol/generated/apis/describe-transactions.js';
import { endTxnCodec } from '../../protocol/generated/apis/end-txn.js';
import { describeTopicPartitionsCodec } from '../../protocol/generated/apis/describe-topic-partitions.js';
import {
  defaultDescribeUserScramCredentialsResponse,
  describeUserScramCredentialsCodec,
} from '../../protocol/generated/apis/describe-user-scram-credentials.js';
import { fetchCodec } from '../../protocol/generated/apis/fetch.js';
import { findCoordinatorCodec } from '../../protocol/generated/apis/find-coordinator.js';
import { defaultHeartbeatResponse, heartbeatCodec } from '../../protocol/generated/apis/heartbeat.js';
import { incrementalAlterConfigsCodec } from '../../protocol/generated/apis/incremental-alter-configs.js';
import { initProducerIdCodec } from '../../protocol/generated/apis/init-producer-id.js';
import { defaultJoinGroupResponse, joinGroupCodec } from '../../protocol/generated/apis/join-group.js';
import { defaultLeaveGroupResponse, leaveGroupCodec } from '../../protocol/generated/apis/leave-group.js';
import { listGroupsCodec } from '../../protocol/generated/apis/list-groups.js';
import { listOffsetsCodec } from '../../protocol/generated/apis/list-offsets.js';
import { listTransactionsCodec } from '../../protocol/generated/apis/list-transactions.js';
import { metadataCodec } from '../../protocol/generated/apis/metadata.js';
import { offsetCommitCodec } from '../../protocol/generated/apis/offset-commit.js';
import { offsetDeleteCodec } from '../../protocol/generated/apis/offset-delete.js';
import { offsetFetchCodec } from '../../protocol/generated/apis/offset-fetch.js';
import { offsetForLeaderEpochCodec } from '../../protocol/generated/apis/offset-for-leader-epoch.js';
import { produceCodec } from '../../protocol/generated/apis/produce.js';
import { txnOffsetCommitCodec } from '../../protocol/generated/apis/txn-offset-commit.js';
import { writeTxnMarkersCodec } from '../../protocol/generated/apis/write-txn-markers.js';
import { OFFSETS_TOPIC } from '../group/offsets-topic-log.js';
import { TRANSACTION_STATE_TOPIC } from '../transaction/transaction-log.js';
import { addOffsetsToTxnHandler } from './add-offsets-to-txn.js';
import { addPartitionsToTxnHandler } from './add-partitions-to-txn.js';
import { saslAuthenticateCodec } from '../../protocol/generated/apis/sasl-authenticate.js';
import { saslHandshakeCodec } from '../../protocol/generated/apis/sasl-handshake.js';
import { defaultSyncGroupResponse, syncGroupCodec } from '../../protocol/generated/apis/sync-group.js';
import { createAclsHandler, deleteAclsHandler, describeAclsHandler } from './acls.js';
import { alterClientQuotasHandler } from './alter-client-quotas.js';
import { alterConfigsHandler } from './alter-configs.js';
import { alterUserScramCredentialsHandler } from './alter-user-scram-credentials.js';
import { alterReplicaLogDirsHandler } from './alter-replica-log-dirs.js';
import { advertisedApiVersions, apiVersionsHandler } from './api-versions.js';
import type { BrokerContext } from './broker-context.js';
import { type ClusterApis, clusterHandlers, reassignmentHandlers } from './cluster-handlers.js';
import { createPartitionsHandler } from './create-partitions.js';
import { createTopicsHandler } from './create-topics.js';
import { deleteGroupsHandler } from './delete-groups.js';
import { deleteRecordsHandler } from './delete-records.js';
import { deleteTopicsHandler } from './delete-topics.js';
import { describeClientQuotasHandler } from './describe-client-quotas.js';
import { describeClusterHandler } from './describe-cluster.js';
import { describeConfigsHandler } from './describe-configs.js';
import { describeGroupsHandler } from './describe-groups.js';
import { describeLogDirsHandler } from './describe-log-dirs.js';
import { describeProducersHandler } from './describe-producers.js';
import { describeTransactionsHandler } from './describe-transactions.js';
import { endTxnHandler } from './end-txn.js';
import { describeTopicPartitionsHandler } from './describe-topic-partitions.js';
import { describeUserScramCredentialsHandler } from './describe-user-scram-credentials.js';
import { fetchHandler } from './fetch.js';
import { findCoordinatorHandler } from './find-coordinator.js';
import { authorized, type HandlerTable } from './handler.js';
import { heartbeatHandler } from './heartbeat.js';
import { incrementalAlterConfigsHandler } from './incremental-alter-configs.js';
import { initProducerIdHandler } from './init-producer-id.js';
import { joinGroupHandler } from './join-group.js';
import { leaveGroupHandler } from './leave-group.js';
import { listGroupsHandler } from './list-groups.js';
import { listOffsetsHandler } from './list-offsets.js';
import { listTransactionsHandler } from './list-transactions.js';
import { metadataHandler } from './metadata.js';
import { offsetCommitHandler } from './offset-commit.js';
import { offsetDeleteHandler } from './offset-delete.js';
import { offsetFetchHandler } from './offset-fetch.js';
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch.js';
import { produceHandler } from './produce.js';
import { saslAuthenticateHandler } from './sasl-authenticate.js';
import { saslHandshakeHandler } from './sasl-handshake.js';
import { syncGroupHandler } from './sync-group.js';
import { txnOffsetCommitHandler } from './txn-offset-commit.js';
import { writeTxnMarkersHandler } from './write-txn-markers.js';

/** The group membership APIs need READ on the group. */
const readGroup = (request: { groupId: string }): [AclOperation, ResourceType, string] => ['READ', 'GROUP', request.groupId];
const GROUP_DENIED = { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };

/**
 * Every API the broker serves, one line each with the versions its handler answers; ApiVersions
 * advertises exactly these, within what the generated codecs cover. A cluster member also serves the controller's.
 */
export function brokerHandlers(broker: BrokerContext, cluster?: ClusterApis): HandlerTable {
  const table: HandlerTable = {
    // A single broker is its own controller for reassignments (replicas moved between its log dirs).
    ...(cluster ? clusterHandlers(cluster) : reassignmentHandlers(new LocalReassignments(broker.metadata, broker.brokerId))),
    [ApiKey.Produce]: { minVersion: 0, maxVersion: 11, codec: produceCodec, handle: produceHandler(broker) },
    [ApiKey.Fetch]: { minVersion: 0, maxVersion: 17, codec: fetchCodec, handle: fetchHandler(broker) },
    [ApiKey.ListOffsets]: { minVersion: 0, maxVersion: 9, codec: listOffsetsCodec, handle: listOffsetsHandler(broker) },
    [ApiKey.Metadata]: { minVersion: 0, maxVersion: 12, codec: metadataCodec, handle: metadataHandler(broker) },
    [ApiKey.CreateTopics]: { minVersion: 0, maxVersion: 7, codec: createTopicsCodec, handle: createTopicsHandler(broker) },
    [ApiKey.DeleteTopics]: { minVersion: 0, maxVersion: 6, codec: deleteTopicsCodec, handle: deleteTopicsHandler(broker) },
    [ApiKey.InitProducerId]: { minVersion: 0, maxVersion: 5, codec: initProducerIdCodec, handle: initProducerIdHandler(broker) },
    [ApiKey.CreatePartitions]: { minVersion: 0, maxVersion: 3, codec: createPartitionsCodec, handle: createPartitionsHandler(broker) },
    [ApiKey.DeleteRecords]: { minVersion: 0, maxVersion: 2, codec: deleteRecordsCodec, handle: deleteRecordsHandler(broker) },
    [ApiKey.OffsetForLeaderEpoch]: {
      minVersion: 0,
      maxVersion: 4,
      codec: offsetForLeaderEpochCodec,
      handle: offsetForLeaderEpochHandler(broker),
    },
    [ApiKey.DescribeConfigs]: { minVersion: 0, maxVersion: 4, codec: describeConfigsCodec, handle: describeConfigsHandler(broker) },
    [ApiKey.AlterConfigs]: { minVersion: 0, maxVersion: 2, codec: alterConfigsCodec, handle: alterConfigsHandler(broker) },
    [ApiKey.IncrementalAlterConfigs]: {
      minVersion: 0,
      maxVersion: 1,
      codec: incrementalAlterConfigsCodec,
      handle: incrementalAlterConfigsHandler(broker),
    },
    [ApiKey.DescribeLogDirs]: { minVersion: 0, maxVersion: 4, codec: describeLogDirsCodec, handle: describeLogDirsHandler(broker) },
    [ApiKey.AlterReplicaLogDirs]: {
      minVersion: 0,
      maxVersion: 2,
      codec: alterReplicaLogDirsCodec,
      handle: alterReplicaLogDirsHandler(broker),
    },
    [ApiKey.DescribeCluster]: { minVersion: 0, maxVersion: 1, codec: describeClusterCodec, handle: describeClusterHandler(broker) },
    [ApiKey.DescribeClientQuotas]: {
      minVersion: 0,
      maxVersion: 1,
      codec: describeClientQuotasCodec,
      handle: authorized(
        () => ['DESCRIBE_CONFIGS', 'CLUSTER', CLUSTER_NAME],
        () => ({ throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, entries: null }),
        describeClientQuotasHandler(broker),
      ),
    },
    [ApiKey.AlterClientQuotas]: {
      minVersion: 0,
      maxVersion: 1,
      codec: alterClientQuotasCodec,
      handle: authorized(
        () => ['ALTER_CONFIGS', 'CLUSTER', CLUSTER_NAME],
        (r) => ({
          throttleTimeMs: 0,
          entries: r.entries.map((e) => ({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, entity: e.entity })),
        }),
        alterClientQuotasHandler(broker),
      ),
    },
    [ApiKey.DescribeTopicPartitions]: {
      minVersion: 0,
      maxVersion: 0,
      codec: describeTopicPartitionsCodec,
      handle: describeTopicPartitionsHandler(broker),
    },
    [ApiKey.FindCoordinator]: {
      minVersion: 0,
      maxVersion: 5,
      codec: findCoordinatorCodec,
      handle: findCoordinatorHandler(
        {
          group: { log: broker.groupLog, topic: OFFSETS_TOPIC },
          transaction: { log: broker.transactionLog, topic: TRANSACTION_STATE_TOPIC },
        },
        broker.metadata,
      ),
    },
    [ApiKey.AddPartitionsToTxn]: {
      minVersion: 0,
      maxVersion: 5,
      codec: addPartitionsToTxnCodec,
      handle: addPartitionsToTxnHandler(broker),
    },
    [ApiKey.AddOffsetsToTxn]: { minVersion: 0, maxVersion: 4, codec: addOffsetsToTxnCodec, handle: addOffsetsToTxnHandler(broker) },
    [ApiKey.EndTxn]: { minVersion: 0, maxVersion: 4, codec: endTxnCodec, handle: endTxnHandler(broker) },
    [ApiKey.WriteTxnMarkers]: {
      minVersion: 0,
      maxVersion: 1,
      codec: writeTxnMarkersCodec,
      handle: writeTxnMarkersHandler(broker.txnMarkers),
    },
    [ApiKey.TxnOffsetCommit]: {
      minVersion: 0,
      maxVersion: 4,
      codec: txnOffsetCommitCodec,
      handle: txnOffsetCommitHandler(broker.groupCoordinator),
    },
    [ApiKey.DescribeTransactions]: {
      minVersion: 0,
      maxVersion: 0,
      codec: describeTransactionsCodec,
      handle: describeTransactionsHandler(broker.transactionCoordinator),
    },
    [ApiKey.ListTransactions]: {
      minVersion: 0,
      maxVersion: 1,
      codec: listTransactionsCodec,
      handle: listTransactionsHandler(broker.transactionCoordinator),
    },
    [ApiKey.DescribeProducers]: {
      minVersion: 0,
      maxVersion: 0,
      codec: describeProducersCodec,
      handle: describeProducersHandler(broker.replicaManager),
    },
    [ApiKey.JoinGroup]: {
      minVersion: 0,
      maxVersion: 9,
      codec: joinGroupCodec,
      handle: authorized(
        readGroup,
        (r) => ({ ...defaultJoinGroupResponse(), ...GROUP_DENIED, memberId: r.memberId }),
        joinGroupHandler(broker.groupCoordinator),
      ),
    },
    [ApiKey.SyncGroup]: {
      minVersion: 0,
      maxVersion: 5,
      codec: syncGroupCodec,
      handle: authorized(readGroup, () => ({ ...defaultSyncGroupResponse(), ...GROUP_DENIED }), syncGroupHandler(broker.groupCoordinator)),
    },
    [ApiKey.Heartbeat]: {
      minVersion: 0,
      maxVersion: 4,
      codec: heartbeatCodec,
      handle: authorized(readGroup, () => ({ ...defaultHeartbeatResponse(), ...GROUP_DENIED }), heartbeatHandler(broker.groupCoordinator)),
    },
    [ApiKey.LeaveGroup]: {
      minVersion: 0,
      maxVersion: 5,
      codec: leaveGroupCodec,
      handle: authorized(
        readGroup,
        () => ({ ...defaultLeaveGroupResponse(), ...GROUP_DENIED }),
        leaveGroupHandler(broker.groupCoordinator),
      ),
    },
    [ApiKey.OffsetCommit]: { minVersion: 0, maxVersion: 9, codec: offsetCommitCodec, handle: offsetCommitHandler(broker.groupCoordinator) },
    [ApiKey.OffsetFetch]: { minVersion: 0, maxVersion: 9, codec: offsetFetchCodec, handle: offsetFetchHandler(broker.groupCoordinator) },
    [ApiKey.ListGroups]: { minVersion: 0, maxVersion: 5, codec: listGroupsCodec, handle: listGroupsHandler(broker.groupCoordinator) },
    [ApiKey.DescribeGroups]: {
      minVersion: 0,
      maxVersion: 5,
      codec: describeGroupsCodec,
      handle: describeGroupsHandler(broker.groupCoordinator),
    },
    [ApiKey.DeleteGroups]: { minVersion: 0, maxVersion: 2, codec: deleteGroupsCodec, handle: deleteGroupsHandler(broker.groupCoordinator) },
    [ApiKey.DescribeAcls]: { minVersion: 0, maxVersion: 3, codec: describeAclsCodec, handle: describeAclsHandler(broker) },
    [ApiKey.CreateAcls]: { minVersion: 0, maxVersion: 3, codec: createAclsCodec, handle: createAclsHandler(broker) },
    [ApiKey.DeleteAcls]: { minVersion: 0, maxVersion: 3, codec: deleteAclsCodec, handle: deleteAclsHandler(broker) },
    [ApiKey.SaslHandshake]: { minVersion: 0, maxVersion: 1, codec: saslHandshakeCodec, handle: saslHandshakeHandler() },
    [ApiKey.SaslAuthenticate]: { minVersion: 0, maxVersion: 2, codec: saslAuthenticateCodec, handle: saslAuthenticateHandler() },
    [ApiKey.DescribeUserScramCredentials]: {
      minVersion: 0,
      maxVersion: 0,
      codec: describeUserScramCredentialsCodec,
      handle: authorized(
        () => ['DESCRIBE', 'CLUSTER', CLUSTER_NAME],
        () => ({ ...defaultDescribeUserScramCredentialsResponse(), errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null }),
        describeUserScramCredentialsHandler(broker),
      ),
    },
    [ApiKey.AlterUserScramCredentials]: {
      minVersion: 0,
      maxVersion: 0,
      codec: alterUserScramCredentialsCodec,
      handle: authorized(
        () => ['ALTER', 'CLUSTER', CLUSTER_NAME],
        (r) => ({
          throttleTimeMs: 0,
          results: [...new Set([...r.deletions, ...r.upsertions].map((a) => a.name))].map((user) => ({
            user,
            errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
            errorMessage: null,
          })),
        }),
        alterUserScramCredentialsHandler(broker),
      ),
    },
    [ApiKey.OffsetDelete]: { minVersion: 0, maxVersion: 0, codec: offsetDeleteCodec, handle: offsetDeleteHandler(broker.groupCoordinator) },
  };
  table[ApiKey.ApiVersions] = {
    minVersion: 0,
    maxVersion: 4,
    codec: apiVersionsCodec,
    handle: apiVersionsHandler(() => advertisedApiVersions(table, broker.config().values['unstable.api.versions.enable'])),
  };
  return table;
}
