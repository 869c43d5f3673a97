import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultUpdateMetadataResponse } from '../../protocol/generated/apis/update-metadata.js';
import type { ControlledReplicas } from '../replication/controlled-replicas.js';
import type { Handler } from './handler.js';

/**
 * UpdateMetadata v0-8 (controller → every broker): the live brokers and partition states this
 * broker answers Metadata with. Refused, and not applied, when it is not from the current controller.
 */
export function updateMetadataHandler(replicas: ControlledReplicas): Handler<typeof ApiKey.UpdateMetadata> {
  return async (request, ctx) => {
    const outcome = await replicas.updateMetadata(request, ctx.apiVersion);
    return { ...defaultUpdateMetadataResponse(), errorCode: ErrorCode[outcome.error] };
  };
}
