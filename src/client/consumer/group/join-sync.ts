import { ErrorCode } from '../../../protocol/errors.js';
import { ApiKey } from '../../../protocol/generated/api-info.js';
import type { JoinGroupResponseMember } from '../../../protocol/generated/apis/join-group.js';
import { ConsumerError } from '../consumer-errors.js';
import { CONSUMER_PROTOCOL_TYPE } from './consumer-protocol.js';
import type { CoordinatorLink } from './coordinator-link.js';
import { GroupError } from './group-errors.js';

/** JoinGroup v5 is the first with group.instance.id (KIP-345). */
const FIRST_STATIC_MEMBER_VERSION = 5;
/** Java's JOIN_GROUP_TIMEOUT_LAPSE: a JoinGroup may take the rebalance timeout, and then some. */
const JOIN_TIMEOUT_LAPSE_MS = 5_000;

/** Who this member is in its group; the member id and generation change as it joins. */
export interface MemberIdentity {
  readonly groupId: string;
  readonly groupInstanceId: string | null;
  memberId: string;
  /** -1 outside a generation. */
  generationId: number;
}

export interface JoinParams {
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  requestTimeoutMs: number;
  /** The assignment strategies with this member's subscription, preferred first. */
  protocols: ReadonlyArray<{ name: string; metadata: Buffer }>;
  reason: string;
}

export interface JoinedGeneration {
  generationId: number;
  protocolName: string;
  leaderId: string;
  /** The members and their subscriptions: for the leader, which computes the assignment. */
  members: JoinGroupResponseMember[];
  /** A static leader rejoining a stable group: it must not assign anew (KIP-814). */
  skipAssignment: boolean;
}

/**
 * JoinGroup until the member is in a generation. MEMBER_ID_REQUIRED (KIP-394) is answered by
 * joining again with the id the coordinator handed out; `member.memberId` follows. Other errors
 * throw GroupErrors.
 */
export async function joinGroup(link: CoordinatorLink, member: MemberIdentity, params: JoinParams): Promise<JoinedGeneration> {
  const minVersion = member.groupInstanceId === null ? 0 : FIRST_STATIC_MEMBER_VERSION;
  const timeoutMs = Math.max(params.requestTimeoutMs, params.rebalanceTimeoutMs + JOIN_TIMEOUT_LAPSE_MS);
  for (;;) {
    const { response } = await link.request(
      ApiKey.JoinGroup,
      (version) => ({
        groupId: member.groupId,
        sessionTimeoutMs: params.sessionTimeoutMs,
        rebalanceTimeoutMs: params.rebalanceTimeoutMs,
        memberId: member.memberId,
        groupInstanceId: version >= FIRST_STATIC_MEMBER_VERSION ? member.groupInstanceId : null,
        protocolType: CONSUMER_PROTOCOL_TYPE,
        protocols: params.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
        reason: params.reason,
      }),
      { minVersion, timeoutMs },
    );
    if (response.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
      member.memberId = response.memberId;
      continue;
    }
    if (response.errorCode !== ErrorCode.NONE) throw new GroupError(response.errorCode, member.groupId, 'JoinGroup');
    if ((response.protocolType !== null && response.protocolType !== CONSUMER_PROTOCOL_TYPE) || response.protocolName === null) {
      throw new GroupError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, member.groupId, 'JoinGroup');
    }
    if (!params.protocols.some((p) => p.name === response.protocolName)) {
      throw new ConsumerError(
        `the group coordinator chose assignment strategy '${response.protocolName}', which this member did not offer`,
      );
    }
    member.memberId = response.memberId;
    member.generationId = response.generationId;
    return {
      generationId: response.generationId,
      protocolName: response.protocolName,
      leaderId: response.leader,
      members: response.members,
      skipAssignment: response.skipAssignment,
    };
  }
}

/** SyncGroup: the leader hands out `assignments` (member id → ConsumerProtocolAssignment); every member gets its own. */
export async function syncGroup(
  link: CoordinatorLink,
  member: MemberIdentity,
  protocolName: string,
  assignments: ReadonlyMap<string, Buffer>,
): Promise<Buffer> {
  const { response } = await link.request(ApiKey.SyncGroup, (version) => ({
    groupId: member.groupId,
    generationId: member.generationId,
    memberId: member.memberId,
    groupInstanceId: version >= 3 ? member.groupInstanceId : null,
    protocolType: CONSUMER_PROTOCOL_TYPE,
    protocolName,
    assignments: [...assignments].map(([memberId, assignment]) => ({ memberId, assignment })),
  }));
  if (response.errorCode !== ErrorCode.NONE) throw new GroupError(response.errorCode, member.groupId, 'SyncGroup');
  return response.assignment;
}
