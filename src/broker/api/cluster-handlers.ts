import { CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { ApiMessages } from '../../protocol/generated/apis.js';
import { alterPartitionCodec, defaultAlterPartitionResponse } from '../../protocol/generated/apis/alter-partition.js';
import { controlledShutdownCodec, defaultControlledShutdownResponse } from '../../protocol/generated/apis/controlled-shutdown.js';
import { defaultLeaderAndIsrResponse, leaderAndIsrCodec } from '../../protocol/generated/apis/leader-and-isr.js';
import { defaultStopReplicaResponse, stopReplicaCodec } from '../../protocol/generated/apis/stop-replica.js';
import { defaultUpdateMetadataResponse, updateMetadataCodec } from '../../protocol/generated/apis/update-metadata.js';
import type { Controller } from '../controller/controller.js';
import type { ControlledReplicas } from '../replication/controlled-replicas.js';
import { alterPartitionHandler } from './alter-partition.js';
import { controlledShutdownHandler } from './controlled-shutdown.js';
import { authorized, type Handler, type HandlerTable } from './handler.js';
import { leaderAndIsrHandler } from './leader-and-isr.js';
import { stopReplicaHandler } from './stop-replica.js';
import { updateMetadataHandler } from './update-metadata.js';

/** What a cluster member serves beyond a single broker's APIs. */
export interface ClusterApis {
  controller: Controller;
  replicas: ControlledReplicas;
}

/**
 * The inter-broker APIs of a ZooKeeper-mode cluster member: the controller's (AlterPartition,
 * ControlledShutdown) and the ones the controller sends every broker (LeaderAndIsr, UpdateMetadata,
 * StopReplica), at the versions Kafka 3.9 serves.
 */
export function clusterHandlers({ controller, replicas }: ClusterApis): HandlerTable {
  return {
    ...controllerHandlers(controller),
    [ApiKey.LeaderAndIsr]: {
      minVersion: 0,
      maxVersion: 7,
      codec: leaderAndIsrCodec,
      handle: clusterAction(leaderAndIsrHandler(replicas), defaultLeaderAndIsrResponse),
    },
    [ApiKey.UpdateMetadata]: {
      minVersion: 0,
      maxVersion: 8,
      codec: updateMetadataCodec,
      handle: clusterAction(updateMetadataHandler(replicas), defaultUpdateMetadataResponse),
    },
    [ApiKey.StopReplica]: {
      minVersion: 0,
      maxVersion: 4,
      codec: stopReplicaCodec,
      handle: clusterAction(stopReplicaHandler(replicas), defaultStopReplicaResponse),
    },
  };
}

/**
 * Inter-broker requests need CLUSTER_ACTION on the cluster (the brokers' principal, usually a
 * super user); anyone else gets CLUSTER_AUTHORIZATION_FAILED and nothing happens.
 */
function clusterAction<K extends ApiKey>(handle: Handler<K>, empty: () => ApiMessages[K]['response']): Handler<K> {
  return authorized<K>(
    () => ['CLUSTER_ACTION', 'CLUSTER', CLUSTER_NAME],
    () => ({ ...empty(), errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED }),
    handle,
  );
}

/** The controller's APIs, which every broker of a ZooKeeper-mode cluster serves (not being the controller, with an error). */
export function controllerHandlers(controller: Controller): HandlerTable {
  return {
    [ApiKey.AlterPartition]: {
      minVersion: 0,
      maxVersion: 3,
      codec: alterPartitionCodec,
      handle: clusterAction(alterPartitionHandler(controller), defaultAlterPartitionResponse),
    },
    [ApiKey.ControlledShutdown]: {
      minVersion: 0,
      maxVersion: 3,
      codec: controlledShutdownCodec,
      handle: clusterAction(controlledShutdownHandler(controller), defaultControlledShutdownResponse),
    },
  };
}
