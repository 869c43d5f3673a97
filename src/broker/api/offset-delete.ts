// OffsetDelete v0 (KIP-496): offsets of topics the group is not subscribed to.
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultOffsetDeleteResponse } from '../../protocol/generated/apis/offset-delete.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

export function offsetDeleteHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.OffsetDelete> {
  return (request) =>
    coordinator.coordinate(
      [request.groupId],
      () => ({ ...defaultOffsetDeleteResponse(), ...coordinator.offsets.deleteOffsets(request.groupId, request.topics) }),
      (errorCode) => ({ ...defaultOffsetDeleteResponse(), errorCode }),
    );
}
