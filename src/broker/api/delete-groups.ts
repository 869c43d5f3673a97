// DeleteGroups v0-2: only Empty groups (NON_EMPTY_GROUP otherwise); their offsets go with them.
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultDeleteGroupsResponse } from '../../protocol/generated/apis/delete-groups.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

export function deleteGroupsHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.DeleteGroups> {
  return async (request, ctx) => ({
    ...defaultDeleteGroupsResponse(),
    results: await Promise.all(
      request.groupsNames.map((groupId) =>
        // DELETE on each group.
        !ctx.authorize('DELETE', 'GROUP', groupId)
          ? { groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }
          : coordinator.coordinate(
              [groupId],
              () => ({ groupId, errorCode: coordinator.admin.delete(groupId) }),
              (errorCode) => ({ groupId, errorCode }),
            ),
      ),
    ),
  });
}
