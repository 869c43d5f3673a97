// OffsetFetch v0-9. v2: all topics when topics is null, and a top-level error. v5: leader epoch.
// v7: require_stable (no transactional offsets exist, so nothing is ever unstable). v8: several
// groups in one request. v9: KIP-848 member id/epoch, which classic groups do not check.
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultOffsetFetchResponse } from '../../protocol/generated/apis/offset-fetch.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

const MULTI_GROUP_VERSION = 8;

export function offsetFetchHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.OffsetFetch> {
  return (request, ctx) => {
    if (ctx.apiVersion >= MULTI_GROUP_VERSION) {
      const groups = request.groups.map((g) => ({ groupId: g.groupId, ...coordinator.offsets.fetch(g.groupId, g.topics) }));
      return { ...defaultOffsetFetchResponse(), groups };
    }
    return { ...defaultOffsetFetchResponse(), ...coordinator.offsets.fetch(request.groupId, request.topics) };
  };
}
