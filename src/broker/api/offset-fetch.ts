// OffsetFetch v0-9. v2: all topics when topics is null, and a top-level error. v5: leader epoch.
// v7: require_stable (a partition with a transactional offset still pending is UNSTABLE_OFFSET_COMMIT). v8: several
// groups in one request. v9: KIP-848 member id/epoch, which classic groups do not check.
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultOffsetFetchResponse,
  defaultOffsetFetchResponsePartition,
  type OffsetFetchResponse,
} from '../../protocol/generated/apis/offset-fetch.js';
import { ErrorCode } from '../../protocol/errors.js';
import type { FetchResult } from '../group/group-offsets-service.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Authorize, Handler } from './handler.js';

const MULTI_GROUP_VERSION = 8;

/** Before v2 an error has no top-level field: each requested partition carries it. */
const TOP_LEVEL_ERROR_VERSION = 2;

/**
 * The offsets of the topics the principal may DESCRIBE: all topics leave the others out, named
 * ones are answered TOPIC_AUTHORIZATION_FAILED (Kafka's KafkaApis.handleOffsetFetchRequest).
 */
function describable(result: FetchResult, authorize: Authorize, named: boolean): FetchResult {
  const topics = result.topics.flatMap((t) => {
    if (authorize('DESCRIBE', 'TOPIC', t.name)) return [t];
    if (!named) return [];
    return [
      {
        name: t.name,
        partitions: t.partitions.map((p) => ({
          ...p,
          committedOffset: -1n,
          metadata: null,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
        })),
      },
    ];
  });
  return { ...result, topics };
}

/** DESCRIBE on the group, else GROUP_AUTHORIZATION_FAILED. */
export function offsetFetchHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.OffsetFetch> {
  return async (request, ctx) => {
    const mayDescribe = (groupId: string) => ctx.authorize('DESCRIBE', 'GROUP', groupId);
    if (ctx.apiVersion >= MULTI_GROUP_VERSION) {
      const groups = await Promise.all(
        request.groups.map((g) =>
          mayDescribe(g.groupId)
            ? coordinator.coordinate(
                [g.groupId],
                () => ({
                  groupId: g.groupId,
                  ...describable(coordinator.offsets.fetch(g.groupId, g.topics, request.requireStable), ctx.authorize, g.topics !== null),
                }),
                (errorCode) => ({ groupId: g.groupId, errorCode, topics: [] }),
              )
            : { groupId: g.groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, topics: [] },
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
    if (!mayDescribe(request.groupId)) return fail(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    return coordinator.coordinate(
      [request.groupId],
      () => ({
        ...defaultOffsetFetchResponse(),
        ...describable(
          coordinator.offsets.fetch(request.groupId, request.topics, request.requireStable),
          ctx.authorize,
          request.topics !== null,
        ),
      }),
      fail,
    );
  };
}
