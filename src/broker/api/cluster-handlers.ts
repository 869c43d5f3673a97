import { ApiKey } from '../../protocol/generated/api-info.js';
import { alterPartitionCodec } from '../../protocol/generated/apis/alter-partition.js';
import { alterPartitionReassignmentsCodec } from '../../protocol/generated/apis/alter-partition-reassignments.js';
import { controlledShutdownCodec } from '../../protocol/generated/apis/controlled-shutdown.js';
import { electLeadersCodec } from '../../protocol/generated/apis/elect-leaders.js';
import { leaderAndIsrCodec } from '../../protocol/generated/apis/leader-and-isr.js';
import { listPartitionReassignmentsCodec } from '../../protocol/generated/apis/list-partition-reassignments.js';
import { stopReplicaCodec } from '../../protocol/generated/apis/stop-replica.js';
import { updateMetadataCodec } from '../../protocol/generated/apis/update-metadata.js';
import type { Controller } from '../controller/controller.js';
import type { ControlledReplicas } from '../replication/controlled-replicas.js';
import { alterPartitionHandler } from './alter-partition.js';
import { controlledShutdownHandler } from './controlled-shutdown.js';
import type { HandlerTable } from './handler.js';
import { leaderAndIsrHandler } from './leader-and-isr.js';
import { alterPartitionReassignmentsHandler, electLeadersHandler, listPartitionReassignmentsHandler } from './partition-reassignments.js';
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
    [ApiKey.LeaderAndIsr]: { minVersion: 0, maxVersion: 7, codec: leaderAndIsrCodec, handle: leaderAndIsrHandler(replicas) },
    [ApiKey.UpdateMetadata]: { minVersion: 0, maxVersion: 8, codec: updateMetadataCodec, handle: updateMetadataHandler(replicas) },
    [ApiKey.StopReplica]: { minVersion: 0, maxVersion: 4, codec: stopReplicaCodec, handle: stopReplicaHandler(replicas) },
  };
}

/**
 * The controller's APIs, which every broker of a ZooKeeper-mode cluster serves (not being the
 * controller, with an error): AlterPartition, ControlledShutdown, and the admin APIs that move
 * replicas and leaders (AlterPartitionReassignments, ListPartitionReassignments, ElectLeaders).
 */
export function controllerHandlers(controller: Controller): HandlerTable {
  return {
    [ApiKey.AlterPartition]: { minVersion: 0, maxVersion: 3, codec: alterPartitionCodec, handle: alterPartitionHandler(controller) },
    [ApiKey.ControlledShutdown]: {
      minVersion: 0,
      maxVersion: 3,
      codec: controlledShutdownCodec,
      handle: controlledShutdownHandler(controller),
    },
    [ApiKey.AlterPartitionReassignments]: {
      minVersion: 0,
      maxVersion: 0,
      codec: alterPartitionReassignmentsCodec,
      handle: alterPartitionReassignmentsHandler(controller),
    },
    [ApiKey.ListPartitionReassignments]: {
      minVersion: 0,
      maxVersion: 0,
      codec: listPartitionReassignmentsCodec,
      handle: listPartitionReassignmentsHandler(controller),
    },
    [ApiKey.ElectLeaders]: { minVersion: 0, maxVersion: 2, codec: electLeadersCodec, handle: electLeadersHandler(controller) },
  };
}
