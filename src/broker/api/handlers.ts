import { ApiKey } from '../../protocol/generated/apis.js';
import { alterClientQuotasHandler } from './alter-client-quotas.js';
import { alterConfigsHandler } from './alter-configs.js';
import { advertisedApiVersions, apiVersionsHandler } from './api-versions.js';
import type { BrokerContext } from './broker-context.js';
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
import { describeTopicPartitionsHandler } from './describe-topic-partitions.js';
import { fetchHandler } from './fetch.js';
import { findCoordinatorHandler } from './find-coordinator.js';
import type { HandlerTable } from './handler.js';
import { heartbeatHandler } from './heartbeat.js';
import { incrementalAlterConfigsHandler } from './incremental-alter-configs.js';
import { initProducerIdHandler } from './init-producer-id.js';
import { joinGroupHandler } from './join-group.js';
import { leaveGroupHandler } from './leave-group.js';
import { listGroupsHandler } from './list-groups.js';
import { listOffsetsHandler } from './list-offsets.js';
import { metadataHandler } from './metadata.js';
import { offsetCommitHandler } from './offset-commit.js';
import { offsetDeleteHandler } from './offset-delete.js';
import { offsetFetchHandler } from './offset-fetch.js';
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch.js';
import { produceHandler } from './produce.js';
import { syncGroupHandler } from './sync-group.js';

/** Every API the broker serves, one line each; ApiVersions advertises exactly these. */
export function brokerHandlers(broker: BrokerContext): HandlerTable {
  const table: HandlerTable = {
    [ApiKey.Produce]: produceHandler(broker),
    [ApiKey.Fetch]: fetchHandler(broker),
    [ApiKey.ListOffsets]: listOffsetsHandler(broker),
    [ApiKey.Metadata]: metadataHandler(broker),
    [ApiKey.CreateTopics]: createTopicsHandler(broker),
    [ApiKey.DeleteTopics]: deleteTopicsHandler(broker),
    [ApiKey.InitProducerId]: initProducerIdHandler(broker),
    [ApiKey.CreatePartitions]: createPartitionsHandler(broker),
    [ApiKey.DeleteRecords]: deleteRecordsHandler(broker),
    [ApiKey.OffsetForLeaderEpoch]: offsetForLeaderEpochHandler(broker),
    [ApiKey.DescribeConfigs]: describeConfigsHandler(broker),
    [ApiKey.AlterConfigs]: alterConfigsHandler(broker),
    [ApiKey.IncrementalAlterConfigs]: incrementalAlterConfigsHandler(broker),
    [ApiKey.DescribeLogDirs]: describeLogDirsHandler(broker),
    [ApiKey.DescribeCluster]: describeClusterHandler(broker),
    [ApiKey.DescribeClientQuotas]: describeClientQuotasHandler(broker),
    [ApiKey.AlterClientQuotas]: alterClientQuotasHandler(broker),
    [ApiKey.DescribeTopicPartitions]: describeTopicPartitionsHandler(broker),
    [ApiKey.FindCoordinator]: findCoordinatorHandler(broker.groupLog, (ctx) => ({
      nodeId: broker.brokerId,
      ...broker.advertisedEndpoint(ctx.connection.listenerName),
    })),
    [ApiKey.JoinGroup]: joinGroupHandler(broker.groupCoordinator),
    [ApiKey.SyncGroup]: syncGroupHandler(broker.groupCoordinator),
    [ApiKey.Heartbeat]: heartbeatHandler(broker.groupCoordinator),
    [ApiKey.LeaveGroup]: leaveGroupHandler(broker.groupCoordinator),
    [ApiKey.OffsetCommit]: offsetCommitHandler(broker.groupCoordinator),
    [ApiKey.OffsetFetch]: offsetFetchHandler(broker.groupCoordinator),
    [ApiKey.ListGroups]: listGroupsHandler(broker.groupCoordinator),
    [ApiKey.DescribeGroups]: describeGroupsHandler(broker.groupCoordinator),
    [ApiKey.DeleteGroups]: deleteGroupsHandler(broker.groupCoordinator),
    [ApiKey.OffsetDelete]: offsetDeleteHandler(broker.groupCoordinator),
  };
  table[ApiKey.ApiVersions] = apiVersionsHandler(() =>
    advertisedApiVersions(table, broker.config().values['unstable.api.versions.enable']),
  );
  return table;
}
