// JoinGroup v0-9. v1: rebalance timeout (v0 uses the session timeout). v4: MEMBER_ID_REQUIRED
// for new members (KIP-394). v5: group.instance.id (KIP-345). v7: protocol type in the response.
// v8: reason (not used). v9: skipAssignment (KIP-814).
import type { ApiKey } from '../../protocol/generated/api-info.js';
import { defaultJoinGroupResponse, type JoinGroupRequest, type JoinGroupResponse } from '../../protocol/generated/apis/join-group.js';
import type { GroupCoordinator } from '../group/group-coordinator.js';
import type { Handler, RequestContext } from './handler.js';

const NULLABLE_PROTOCOL_VERSION = 7;

export function joinGroupHandler(coordinator: GroupCoordinator): Handler<typeof ApiKey.JoinGroup> {
  return (request, ctx) => {
    const fail = (errorCode: number) => ({ ...defaultJoinGroupResponse(), errorCode, memberId: request.memberId });
    return coordinator.coordinate([request.groupId], () => join(coordinator, request, ctx), fail);
  };
}

async function join(coordinator: GroupCoordinator, request: JoinGroupRequest, ctx: RequestContext): Promise<JoinGroupResponse> {
  const v = ctx.apiVersion;
  const result = await coordinator.membership.join({
    groupId: request.groupId,
    memberId: request.memberId,
    groupInstanceId: request.groupInstanceId,
    clientId: ctx.header.clientId ?? '',
    clientHost: clientHost(ctx.connection.remoteAddress),
    sessionTimeoutMs: request.sessionTimeoutMs,
    rebalanceTimeoutMs: v >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
    protocolType: request.protocolType,
    protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
    requireKnownMemberId: v >= 4,
    supportsSkipAssignment: v >= 9,
  });
  return {
    ...defaultJoinGroupResponse(),
    errorCode: result.errorCode,
    generationId: result.generationId,
    protocolType: result.protocolType,
    protocolName: v >= NULLABLE_PROTOCOL_VERSION ? result.protocolName : (result.protocolName ?? ''),
    leader: result.leaderId,
    skipAssignment: result.skipAssignment,
    memberId: result.memberId,
    members: result.members,
  };
}

/** Kafka reports a member's host as Java's InetAddress.toString(): "/" and the address, no port. */
function clientHost(remoteAddress: string): string {
  const colon = remoteAddress.lastIndexOf(':');
  return `/${colon > 0 ? remoteAddress.slice(0, colon) : remoteAddress}`;
}
