// ListGroups v0-5. v4: states filter (case-insensitive). v5: types filter; every group is "classic".
import { CLUSTER_NAME } from '../../protocol/acl.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultListGroupsResponse } from '../../protocol/generated/apis/list-groups.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

export function listGroupsHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.ListGroups> {
  // DESCRIBE on the cluster lists every group; else only those the principal may DESCRIBE.
  return (request, ctx) => {
    const all = ctx.authorize('DESCRIBE', 'CLUSTER', CLUSTER_NAME);
    const groups = coordinator.admin.list(request.statesFilter, request.typesFilter);
    return { ...defaultListGroupsResponse(), groups: all ? groups : groups.filter((g) => ctx.authorize('DESCRIBE', 'GROUP', g.groupId)) };
  };
}
