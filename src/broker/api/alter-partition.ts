import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import type { Controller } from '../controller/controller.js';
import type { Handler } from './handler.js';

/**
 * AlterPartition v0-3: a partition leader's ISR change, for the controller to check and write
 * (Kafka's KafkaController.alterPartitions). A broker that is not the active controller answers
 * NOT_CONTROLLER, so the leader looks for the controller again.
 */
export function alterPartitionHandler(controller: Controller): Handler<typeof ApiKey.AlterPartition> {
  return (request, ctx) => {
    if (!controller.isActive) return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, topics: [] };
    return controller.alterPartition(request, ctx.apiVersion);
  };
}
