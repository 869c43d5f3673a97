import { ErrorCode } from '../../../protocol/errors.js';
import { ApiKey } from '../../../protocol/generated/api-info.js';
import type { CoordinatorLink } from './coordinator-link.js';
import { GroupError } from './group-errors.js';
import type { MemberIdentity } from './join-sync.js';

/** v3 names leaving members in a batch (KIP-345). */
const FIRST_BATCHED_VERSION = 3;

/** LeaveGroup: the coordinator rebalances the rest of the group at once instead of after session.timeout.ms. */
export async function leaveGroup(link: CoordinatorLink, member: MemberIdentity, reason: string): Promise<void> {
  const { version, response } = await link.request(ApiKey.LeaveGroup, (v) =>
    v >= FIRST_BATCHED_VERSION
      ? { groupId: member.groupId, memberId: '', members: [{ memberId: member.memberId, groupInstanceId: member.groupInstanceId, reason }] }
      : { groupId: member.groupId, memberId: member.memberId, members: [] },
  );
  const code =
    response.errorCode !== ErrorCode.NONE || version < FIRST_BATCHED_VERSION
      ? response.errorCode
      : (response.members[0]?.errorCode ?? ErrorCode.NONE);
  if (code !== ErrorCode.NONE) throw new GroupError(code, member.groupId, 'LeaveGroup');
}
