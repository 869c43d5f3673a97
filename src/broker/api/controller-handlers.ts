import { ApiKey } from '../../protocol/generated/api-info.js';
import { alterPartitionCodec } from '../../protocol/generated/apis/alter-partition.js';
import { controlledShutdownCodec } from '../../protocol/generated/apis/controlled-shutdown.js';
import type { Controller } from '../controller/controller.js';
import { alterPartitionHandler } from './alter-partition.js';
import { controlledShutdownHandler } from './controlled-shutdown.js';
import type { HandlerTable } from './handler.js';

/** The controller's APIs, which every broker of a ZooKeeper-mode cluster serves (not being the controller, with an error). */
export function controllerHandlers(controller: Controller): HandlerTable {
  return {
    [ApiKey.AlterPartition]: { minVersion: 0, maxVersion: 3, codec: alterPartitionCodec, handle: alterPartitionHandler(controller) },
    [ApiKey.ControlledShutdown]: {
      minVersion: 0,
      maxVersion: 3,
      codec: controlledShutdownCodec,
      handle: controlledShutdownHandler(controller),
    },
  };
}
