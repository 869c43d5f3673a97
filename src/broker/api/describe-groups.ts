// DescribeGroups v0-5. v3: the principal's authorized operations on each group described. v4:
// group.instance.id of members. Unknown groups are described as Dead without an error, as Kafka does.
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import {
  defaultDescribeGroupsResponse,
  defaultDescribeGroupsResponseDescribedGroup,
} from '../../protocol/generated/apis/describe-groups.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

/** Kafka's "not requested" value of authorized_operations. */
const OPERATIONS_NOT_REQUESTED = -2147483648;

export function describeGroupsHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.DescribeGroups> {
  return async (request, ctx) => ({
    ...defaultDescribeGroupsResponse(),
    groups: await Promise.all(
      request.groups.map((groupId) =>
        // DESCRIBE on each group.
        !ctx.authorize('DESCRIBE', 'GROUP', groupId)
          ? { ...defaultDescribeGroupsResponseDescribedGroup(), groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }
          : coordinator.coordinate(
              [groupId],
              () => {
                const described = { ...defaultDescribeGroupsResponseDescribedGroup(), ...coordinator.admin.describe(groupId) };
                const answered = request.includeAuthorizedOperations && described.errorCode === ErrorCode.NONE;
                return {
                  ...described,
                  authorizedOperations: answered ? ctx.authorizedOperations('GROUP', groupId) : OPERATIONS_NOT_REQUESTED,
                };
              },
              (errorCode) => ({ ...defaultDescribeGroupsResponseDescribedGroup(), groupId, errorCode }),
            ),
      ),
    ),
  });
}
