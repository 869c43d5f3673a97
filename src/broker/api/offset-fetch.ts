// OffsetFetch v0-9. v2: all topics when topics is null, and a top-level error. v5: leader epoch.
// v7: require_stable (a partition with a transactional offset still pending is UNSTABLE_OFFSET_COMMIT). v8: several
// groups in one request. v9: KIP-848 member id/epoch, which classic groups do not check.
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultOffsetFetchResponse,
  defaultOffsetFetchResponsePartition,
  type OffsetFetchResponse,
} from '../../protocol/generated/apis/offset-fetch.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

const MULTI_GROUP_VERSION = 8;

/** Before v2 an error has no top-level field: each requested partition carries it. */
const TOP_LEVEL_ERROR_VERSION = 2;

export function offsetFetchHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.OffsetFetch> {
  return async (request, ctx) => {
    if (ctx.apiVersion >= MULTI_GROUP_VERSION) {
      const groups = await Promise.all(
        request.groups.map((g) =>
          coordinator.coordinate(
            [g.groupId],
            () => ({ groupId: g.groupId, ...coordinator.offsets.fetch(g.groupId, g.topics, request.requireStable) }),
            (errorCode) => ({ groupId: g.groupId, errorCode, topics: [] }),
          ),
        ),
      );
      return { ...defaultOffsetFetchResponse(), groups };
    }
    const fail = (errorCode: number): OffsetFetchResponse => ({
      ...defaultOffsetFetchResponse(),
      ...(ctx.apiVersion >= TOP_LEVEL_ERROR_VERSION
        ? { errorCode }
        : {
            topics: (request.topics ?? []).map((t) => ({
              name: t.name,
              partitions: t.partitionIndexes.map((partitionIndex) => ({
                ...defaultOffsetFetchResponsePartition(),
                partitionIndex,
                errorCode,
              })),
            })),
          }),
    });
    return coordinator.coordinate(
      [request.groupId],
      () => ({ ...defaultOffsetFetchResponse(), ...coordinator.offsets.fetch(request.groupId, request.topics, request.requireStable) }),
      fail,
    );
  };
}
