// LeaveGroup v0-5. v0-2: one member id, one error. v3: a batch of members, by member id or
// group.instance.id (KIP-345). v5: a reason per member (not used).
import { ErrorCode } from '../../protocol/errors.js';
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultLeaveGroupResponse, type LeaveGroupRequest, type LeaveGroupResponse } from '../../protocol/generated/apis/leave-group.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler } from './handler.js';

const BATCH_VERSION = 3;

export function leaveGroupHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.LeaveGroup> {
  return (request, ctx) =>
    coordinator.coordinate(
      [request.groupId],
      () => leave(coordinator, request, ctx.apiVersion),
      (errorCode) => ({
        ...defaultLeaveGroupResponse(),
        errorCode,
      }),
    );
}

function leave(coordinator: GroupCoordinator, request: LeaveGroupRequest, version: number): LeaveGroupResponse {
  const batched = version >= BATCH_VERSION;
  const leaving = batched ? request.members : [{ memberId: request.memberId, groupInstanceId: null }];
  const result = coordinator.membership.leave(request.groupId, leaving);
  if (batched) {
    return {
      ...defaultLeaveGroupResponse(),
      errorCode: result.errorCode,
      members: result.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: m.errorCode })),
    };
  }
  const memberError = result.members[0]?.errorCode ?? ErrorCode.NONE;
  return { ...defaultLeaveGroupResponse(), errorCode: result.errorCode !== ErrorCode.NONE ? result.errorCode : memberError };
}
