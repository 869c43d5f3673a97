import { decodeConsumerProtocolSubscription } from '../../protocol/generated/data/consumer-protocol-subscription.js';
import { ProtocolError } from '../../protocol/primitives/protocol-error.js';
import { Reader } from '../../protocol/primitives/reader.js';
import { GroupOffsets } from './group-offsets.js';
import { canTransition, type GroupState } from './group-state.js';
import { memberMetadataFor, type GroupMember, type JoinResultMember } from './member.js';
import type { Cancel } from './scheduler.js';

const CONSUMER_PROTOCOL_TYPE = 'consumer';
const MAX_SUBSCRIPTION_VERSION = 3;

/** One classic-protocol group (Kafka's GroupMetadata): membership, generation and offsets. */
export class ClassicGroup {
  state: GroupState = 'Empty';
  stateTimestamp: number;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  /** Members told MEMBER_ID_REQUIRED (KIP-394) who have not joined with their id yet, with their expiry. */
  readonly pendingMembers = new Map<string, Cancel>();
  /** group.instance.id to member id, of static members (KIP-345). */
  readonly staticMembers = new Map<string, string>();
  /** Members of the new generation that have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  readonly offsets = new GroupOffsets();
  /** A member joined during the initial rebalance delay, which therefore extends once more. */
  newMemberAdded = false;
  /** The join phase is in group.initial.rebalance.delay.ms: it ends on its timer, not when all have joined. */
  inInitialDelay = false;
  cancelJoinTimer?: Cancel;
  cancelSyncTimer?: Cancel;

  constructor(
    readonly groupId: string,
    now: number,
  ) {
    this.stateTimestamp = now;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  transitionTo(state: GroupState, now: number): void {
    if (!canTransition(this.state, state)) {
      throw new Error(`group ${this.groupId} cannot go from ${this.state} to ${state}`);
    }
    this.state = state;
    this.stateTimestamp = now;
  }

  add(member: GroupMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    this.leaderId ??= member.memberId;
  }

  remove(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId);
    if (!member) return undefined;
    member.cancelHeartbeatExpiry?.();
    this.members.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
      this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
    return member;
  }

  /** A static member's new member id takes over its old one (KIP-345 replacement). */
  replaceStaticMember(member: GroupMember, newMemberId: string): void {
    const oldMemberId = member.memberId;
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    this.staticMembers.set(member.groupInstanceId!, newMemberId);
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
  }

  /** The instance id is known and bound to another member id. */
  isStaticMemberFenced(memberId: string, groupInstanceId: string | null): boolean {
    if (groupInstanceId === null) return false;
    const existing = this.staticMembers.get(groupInstanceId);
    return existing !== undefined && existing !== memberId;
  }

  get allMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.awaitingJoin) return false;
    return this.pendingMembers.size === 0;
  }

  /** The join phase waits at most the longest rebalance timeout of the members. */
  get rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  get size(): number {
    return this.members.size + this.pendingMembers.size;
  }

  /** The members as the leader's JoinGroup response lists them, with the selected protocol's metadata. */
  currentMemberMetadata(): JoinResultMember[] {
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: memberMetadataFor(m, this.protocolName),
    }));
  }

  /**
   * Topics the members of a consumer group subscribe to, from their subscriptions; undefined when
   * unknown (not the consumer protocol, no protocol chosen yet, or unreadable metadata).
   */
  subscribedTopics(): Set<string> | undefined {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE || this.protocolName === null) return undefined;
    const topics = new Set<string>();
    for (const m of this.members.values()) {
      const metadata = memberMetadataFor(m, this.protocolName);
      try {
        const r = new Reader(metadata);
        const version = Math.min(r.int16(), MAX_SUBSCRIPTION_VERSION);
        if (version < 0) return undefined;
        for (const t of decodeConsumerProtocolSubscription(r, version).topics) topics.add(t);
      } catch (err) {
        if (err instanceof ProtocolError) return undefined;
        throw err;
      }
    }
    return topics;
  }
}
