import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { Controller } from '../controller/controller.js';
import type { Handler } from './handler.js';

/**
 * ControlledShutdown v0-3: a broker about to stop asks the controller to move its leaderships
 * away; the answer lists the partitions it still leads. A broker that is not the active
 * controller answers STALE_CONTROLLER_EPOCH (Kafka's ControllerMovedException), so the stopping
 * broker finds the controller again.
 */
export function controlledShutdownHandler(controller: Controller): Handler<typeof ApiKey.ControlledShutdown> {
  return async (request) => {
    if (!controller.isActive) return { errorCode: ErrorCode.STALE_CONTROLLER_EPOCH, remainingPartitions: [] };
    const result = await controller.controlledShutdown(request.brokerId, request.brokerEpoch);
    return {
      errorCode: result.errorCode,
      remainingPartitions: result.remainingPartitions.map((tp) => ({ topicName: tp.topic, partitionIndex: tp.partition })),
    };
  };
}
