// OffsetDelete v0 (KIP-496): offsets of topics the group is not subscribed to.
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultOffsetDeleteResponse } from '../../protocol/generated/apis/offset-delete.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import { mapPartitions } from '../group/group-offsets-service.js';
import type { Handler } from './handler.js';

/**
 * As Kafka's handleOffsetDeleteRequest: DELETE on the group, else GROUP_AUTHORIZATION_FAILED for
 * the request; then READ on each topic, a topic without it answered TOPIC_AUTHORIZATION_FAILED
 * for each of its partitions (listed first) and left alone, the others' offsets deleted. An
 * error of the whole group (not found, not empty, ...) is the answer on its own.
 */
export function offsetDeleteHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.OffsetDelete> {
  return (request, ctx) => {
    if (!ctx.authorize('DELETE', 'GROUP', request.groupId)) {
      return { ...defaultOffsetDeleteResponse(), errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED };
    }
    const readable = request.topics.filter((t) => ctx.authorize('READ', 'TOPIC', t.name));
    const refused = mapPartitions(
      request.topics.filter((t) => !readable.includes(t)),
      () => ErrorCode.TOPIC_AUTHORIZATION_FAILED,
    );
    return coordinator.coordinate(
      [request.groupId],
      () => {
        const result = coordinator.offsets.deleteOffsets(request.groupId, readable);
        const topics = result.errorCode === ErrorCode.NONE ? [...refused, ...result.topics] : result.topics;
        return { ...defaultOffsetDeleteResponse(), ...result, topics };
      },
      (errorCode) => ({ ...defaultOffsetDeleteResponse(), errorCode }),
    );
  };
}
