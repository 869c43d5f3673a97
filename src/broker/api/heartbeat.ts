// Heartbeat v0-4. v3: group.instance.id.
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultHeartbeatResponse } from '../../protocol/generated/apis/heartbeat.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

export function heartbeatHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.Heartbeat> {
  return (request) =>
    coordinator.coordinate(
      [request.groupId],
      () => ({ ...defaultHeartbeatResponse(), errorCode: coordinator.membership.heartbeat(request) }),
      (errorCode) => ({ ...defaultHeartbeatResponse(), errorCode }),
    );
}
