import { ErrorCode } from '../../protocol/errors.js';
import { CoordinatorUnavailableError } from './group-log.js';
import { parseGroupState } from './group-state.js';
import type { GroupStore } from './group-store.js';
import { memberMetadataFor } from './member.js';
import type { Scheduler } from './scheduler.js';

/** Every group here speaks the classic protocol (KIP-848 consumer groups are not served). */
export const CLASSIC_GROUP_TYPE = 'classic';

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: string;
  groupType: string;
}

export interface DescribedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: DescribedMember[];
}

/** ListGroups, DescribeGroups and DeleteGroups. */
export class GroupAdmin {
  constructor(
    private readonly store: GroupStore,
    private readonly scheduler: Scheduler,
  ) {}

  /** Filters are case-insensitive; an unknown state name matches nothing. */
  list(statesFilter: readonly string[], typesFilter: readonly string[]): ListedGroup[] {
    const states = new Set(statesFilter.map((s) => parseGroupState(s) ?? s));
    if (typesFilter.length > 0 && !typesFilter.some((t) => t.toLowerCase() === CLASSIC_GROUP_TYPE)) return [];
    const listed: ListedGroup[] = [];
    for (const group of this.store.groups()) {
      if (group.is('Dead') || (states.size > 0 && !states.has(group.state))) continue;
      listed.push({
        groupId: group.groupId,
        protocolType: group.protocolType ?? '',
        groupState: group.state,
        groupType: CLASSIC_GROUP_TYPE,
      });
    }
    return listed;
  }

  /** Unknown groups are described as Dead without error, as Kafka does. */
  describe(groupId: string): DescribedGroup {
    const group = this.store.get(groupId);
    if (!group || group.is('Dead')) {
      return { errorCode: ErrorCode.NONE, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
    }
    // Metadata and assignments are only meaningful once the generation's assignment is in place.
    const stable = group.is('Stable');
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: stable ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? memberMetadataFor(m, group.protocolName) : Buffer.alloc(0),
        memberAssignment: stable ? m.assignment : Buffer.alloc(0),
      })),
    };
  }

  /** Deletes an Empty group with its offsets: tombstones for every key, then the group is Dead. */
  delete(groupId: string): number {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.store.get(groupId);
    if (!group || group.is('Dead')) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (!group.is('Empty')) return ErrorCode.NON_EMPTY_GROUP;
    try {
      this.store.deleteOffsets(group, [...group.offsets.entries()], true);
    } catch (err) {
      if (err instanceof CoordinatorUnavailableError) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
      throw err;
    }
    group.transitionTo('Dead', this.scheduler.now());
    this.store.evict(group);
    return ErrorCode.NONE;
  }
}
