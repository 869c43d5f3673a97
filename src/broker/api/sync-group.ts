// SyncGroup v0-5. v3: group.instance.id. v5: protocol type and name, checked against the group's.
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultSyncGroupResponse } from '../../protocol/generated/apis/sync-group.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

export function syncGroupHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.SyncGroup> {
  return (request) =>
    coordinator.coordinate(
      [request.groupId],
      async () => {
        const result = await coordinator.membership.sync({
          groupId: request.groupId,
          generationId: request.generationId,
          memberId: request.memberId,
          groupInstanceId: request.groupInstanceId,
          protocolType: request.protocolType,
          protocolName: request.protocolName,
          assignments: request.assignments,
        });
        return { ...defaultSyncGroupResponse(), ...result };
      },
      (errorCode) => ({ ...defaultSyncGroupResponse(), errorCode }),
    );
}
