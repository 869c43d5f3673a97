import type { GroupMember, MemberProtocol } from './member.js';

/** Protocol names every member supports; an empty group accepts anything. */
export function commonProtocols(members: Iterable<GroupMember>): Set<string> | undefined {
  let common: Set<string> | undefined;
  for (const m of members) {
    const names = new Set(m.protocols.map((p) => p.name));
    common = common ? new Set([...common].filter((n) => names.has(n))) : names;
  }
  return common;
}

/** Whether a joining member can share the group's protocol type and at least one protocol. */
export function isCompatible(
  groupProtocolType: string | null,
  members: Iterable<GroupMember>,
  protocolType: string,
  protocols: readonly MemberProtocol[],
): boolean {
  if (protocols.length === 0 || protocolType === '') return false;
  const common = commonProtocols(members);
  if (common === undefined) return true;
  return groupProtocolType === protocolType && protocols.some((p) => common.has(p.name));
}

/**
 * Kafka's GroupMetadata.selectProtocol: among the protocols all members support, each member
 * votes for the first of its own (in preference order) and the most votes win; ties go to the
 * candidate that comes first in the group's candidate order.
 */
export function selectProtocol(members: readonly GroupMember[]): string {
  const common = commonProtocols(members);
  if (!common || common.size === 0) throw new Error('no protocol is supported by every member');
  const votes = new Map<string, number>();
  for (const m of members) {
    const choice = m.protocols.find((p) => common.has(p.name))!.name;
    votes.set(choice, (votes.get(choice) ?? 0) + 1);
  }
  let best = '';
  let bestVotes = -1;
  for (const [name, count] of votes) {
    if (count > bestVotes) {
      best = name;
      bestVotes = count;
    }
  }
  return best;
}
