// OffsetDelete v0 (KIP-496): offsets of topics the group is not subscribed to.
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultOffsetDeleteResponse } from '../../protocol/generated/apis/offset-delete.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

export function offsetDeleteHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.OffsetDelete> {
  // DELETE on the group (READ on the topics too, in Kafka: not checked here yet).
  return (request, ctx) =>
    !ctx.authorize('DELETE', 'GROUP', request.groupId)
      ? { ...defaultOffsetDeleteResponse(), errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }
      : coordinator.coordinate(
          [request.groupId],
          () => ({ ...defaultOffsetDeleteResponse(), ...coordinator.offsets.deleteOffsets(request.groupId, request.topics) }),
          (errorCode) => ({ ...defaultOffsetDeleteResponse(), errorCode }),
        );
}
