import { type AclOperation, CLUSTER_NAME } from '../../protocol/acl.js';
import { ErrorCode } from '../../protocol/errors.js';
import { ApiKey } from '../../protocol/generated/api-info.js';
import type { ApiMessages } from '../../protocol/generated/apis.js';
import { alterPartitionCodec, defaultAlterPartitionResponse } from '../../protocol/generated/apis/alter-partition.js';
import { alterPartitionReassignmentsCodec } from '../../protocol/generated/apis/alter-partition-reassignments.js';
import { controlledShutdownCodec, defaultControlledShutdownResponse } from '../../protocol/generated/apis/controlled-shutdown.js';
import { electLeadersCodec } from '../../protocol/generated/apis/elect-leaders.js';
import { defaultLeaderAndIsrResponse, leaderAndIsrCodec } from '../../protocol/generated/apis/leader-and-isr.js';
import { listPartitionReassignmentsCodec } from '../../protocol/generated/apis/list-partition-reassignments.js';
import { defaultStopReplicaResponse, stopReplicaCodec } from '../../protocol/generated/apis/stop-replica.js';
import { defaultUpdateMetadataResponse, updateMetadataCodec } from '../../protocol/generated/apis/update-metadata.js';
import type { Controller } from '../controller/controller.js';
import type { ControlledReplicas } from '../replication/controlled-replicas.js';
import { alterPartitionHandler } from './alter-partition.js';
import { controlledShutdownHandler } from './controlled-shutdown.js';
import { authorized, type Handler, type HandlerTable } from './handler.js';
import { leaderAndIsrHandler } from './leader-and-isr.js';
import {
  alterPartitionReassignmentsDenied,
  alterPartitionReassignmentsHandler,
  electLeadersDenied,
  electLeadersHandler,
  listPartitionReassignmentsDenied,
  listPartitionReassignmentsHandler,
} from './partition-reassignments.js';
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
 * A request that needs `operation` on the cluster; refused, it is answered by `denied` and the
 * handler never runs (Kafka's authorizeClusterOperation, checked before anything else).
 */
function onCluster<K extends ApiKey>(
  operation: AclOperation,
  handle: Handler<K>,
  denied: (request: ApiMessages[K]['request']) => ApiMessages[K]['response'],
): Handler<K> {
  return authorized<K>(() => [operation, 'CLUSTER', CLUSTER_NAME], denied, handle);
}

/**
 * Inter-broker requests need CLUSTER_ACTION on the cluster (the brokers' principal, usually a
 * super user); anyone else gets CLUSTER_AUTHORIZATION_FAILED and nothing happens.
 */
function clusterAction<K extends ApiKey>(handle: Handler<K>, empty: () => ApiMessages[K]['response']): Handler<K> {
  return onCluster<K>('CLUSTER_ACTION', handle, () => ({ ...empty(), errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED }));
}

/**
 * The controller's APIs, which every broker of a ZooKeeper-mode cluster serves (not being the
 * controller, with an error): AlterPartition and ControlledShutdown from brokers (CLUSTER_ACTION),
 * and the admin APIs that move replicas and leaders, with Kafka's permissions on the cluster:
 * AlterPartitionReassignments ALTER, ListPartitionReassignments DESCRIBE, ElectLeaders ALTER.
 */
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
    ...reassignmentHandlers(controller),
    [ApiKey.ElectLeaders]: {
      minVersion: 0,
      maxVersion: 2,
      codec: electLeadersCodec,
      handle: onCluster('ALTER', electLeadersHandler(controller), electLeadersDenied),
    },
  };
}

/**
 * AlterPartitionReassignments (ALTER on the cluster) and ListPartitionReassignments (DESCRIBE), by a
 * cluster's controller or a single broker's own (LocalReassignments).
 */
export function reassignmentHandlers(
  controller: Pick<Controller, 'alterPartitionReassignments' | 'listPartitionReassignments'>,
): HandlerTable {
  return {
    [ApiKey.AlterPartitionReassignments]: {
      minVersion: 0,
      maxVersion: 0,
      codec: alterPartitionReassignmentsCodec,
      handle: onCluster('ALTER', alterPartitionReassignmentsHandler(controller), alterPartitionReassignmentsDenied),
    },
    [ApiKey.ListPartitionReassignments]: {
      minVersion: 0,
      maxVersion: 0,
      codec: listPartitionReassignmentsCodec,
      handle: onCluster('DESCRIBE', listPartitionReassignmentsHandler(controller), listPartitionReassignmentsDenied),
    },
  };
}
