// ListGroups v0-5. v4: states filter (case-insensitive). v5: types filter; every group is "classic".
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultListGroupsResponse } from '../../protocol/generated/apis/list-groups.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

export function listGroupsHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.ListGroups> {
  return (request) => ({ ...defaultListGroupsResponse(), groups: coordinator.admin.list(request.statesFilter, request.typesFilter) });
}
