import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../protocol/errors.js';
import type { ClassicGroup } from './classic-group.js';
import { CoordinatorUnavailableError } from './group-log.js';
import type { GroupStore } from './group-store.js';
import { sameProtocols, type GroupMember, type JoinResult, type MemberProtocol, type SyncResult } from './member.js';
import { isCompatible, selectProtocol } from './protocol-selection.js';
import type { Scheduler } from './scheduler.js';

/**
 * A member that joined but has no member id of its own yet cannot heartbeat; Kafka expires such
 * JoinGroups after 5 minutes so that retries of disconnected clients do not pile up.
 */
const NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000;

export interface MembershipConfig {
  /** group.initial.rebalance.delay.ms */
  initialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms */
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** group.max.size */
  maxGroupSize: number;
}

export interface JoinRequest {
  groupId: string;
  /** '' for a member joining for the first time. */
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
  /** JoinGroup v4+: a new dynamic member first gets MEMBER_ID_REQUIRED with its id (KIP-394). */
  requireKnownMemberId: boolean;
  /** JoinGroup v9+ (KIP-814). */
  supportsSkipAssignment: boolean;
}

export interface SyncRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** v5+; null when the client does not say. */
  protocolType: string | null;
  protocolName: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface MemberRef {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeavingMember {
  /** '' to leave by group.instance.id alone. */
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveResult {
  errorCode: number;
  members: (LeavingMember & { errorCode: number })[];
}

export function joinError(errorCode: number, memberId = ''): JoinResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leaderId: '',
    memberId,
    members: [],
    skipAssignment: false,
  };
}

export function syncError(errorCode: number): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}

/**
 * The classic rebalance protocol (Kafka's GroupCoordinator): JoinGroup collects the members of
 * the next generation, the leader's SyncGroup hands out its assignment, heartbeats keep members
 * alive. Assignor-agnostic: the coordinator only picks the protocol and relays opaque bytes.
 */
export class GroupMembership {
  constructor(
    private readonly store: GroupStore,
    private readonly scheduler: Scheduler,
    private readonly config: MembershipConfig,
  ) {}

  async join(req: JoinRequest): Promise<JoinResult> {
    if (req.groupId === '') return joinError(ErrorCode.INVALID_GROUP_ID, req.memberId);
    if (req.sessionTimeoutMs < this.config.minSessionTimeoutMs || req.sessionTimeoutMs > this.config.maxSessionTimeoutMs) {
      return joinError(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId);
    }
    try {
      await this.store.log.ensureExists();
    } catch (err) {
      if (err instanceof CoordinatorUnavailableError) return joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, req.memberId);
      throw err;
    }
    const existing = this.store.get(req.groupId);
    if (!existing) {
      if (req.memberId !== '') return joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
      if (!isCompatible(null, [], req.protocolType, req.protocols)) return joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    const group = existing ?? this.store.getOrCreate(req.groupId, this.scheduler.now());
    if (group.is('Dead')) return joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, req.memberId);
    if (!isCompatible(group.protocolType, group.members.values(), req.protocolType, req.protocols)) {
      return joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId);
    }
    const known = group.members.has(req.memberId) || group.pendingMembers.has(req.memberId);
    const rejoiningStatic = req.groupInstanceId !== null && group.staticMembers.has(req.groupInstanceId);
    if (!known && !rejoiningStatic && group.size >= this.config.maxGroupSize) {
      return joinError(ErrorCode.GROUP_MAX_SIZE_REACHED, req.memberId);
    }
    return req.memberId === '' ? this.#newMemberJoin(group, req) : this.#currentMemberJoin(group, req);
  }

  sync(req: SyncRequest): Promise<SyncResult> | SyncResult {
    const group = this.store.get(req.groupId);
    if (req.groupId === '') return syncError(ErrorCode.INVALID_GROUP_ID);
    if (!group) return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
    if (group.is('Dead')) return syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const invalid = validateMember(group, req.memberId, req.groupInstanceId);
    if (invalid !== ErrorCode.NONE) return syncError(invalid);
    if (req.generationId !== group.generationId) return syncError(ErrorCode.ILLEGAL_GENERATION);
    if (
      (req.protocolType !== null && req.protocolType !== group.protocolType) ||
      (req.protocolName !== null && req.protocolName !== group.protocolName)
    ) {
      return syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }
    const member = group.members.get(req.memberId)!;
    switch (group.state) {
      case 'PreparingRebalance':
        return syncError(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Stable':
        group.pendingSyncMembers.delete(member.memberId);
        this.#scheduleHeartbeatExpiry(group, member);
        return {
          errorCode: ErrorCode.NONE,
          protocolType: group.protocolType,
          protocolName: group.protocolName,
          assignment: member.assignment,
        };
      case 'CompletingRebalance':
        return new Promise((resolve) => {
          group.pendingSyncMembers.delete(member.memberId);
          member.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
          member.awaitingSync = resolve;
          this.#scheduleHeartbeatExpiry(group, member);
          if (member.memberId === group.leaderId) this.#applyLeaderAssignment(group, req.assignments);
        });
      default:
        return syncError(ErrorCode.UNKNOWN_MEMBER_ID);
    }
  }

  heartbeat(req: MemberRef): number {
    if (req.groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.store.get(req.groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const invalid = validateMember(group, req.memberId, req.groupInstanceId);
    if (invalid !== ErrorCode.NONE) return invalid;
    if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.#scheduleHeartbeatExpiry(group, group.members.get(req.memberId)!);
    return group.is('PreparingRebalance') ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(groupId: string, leaving: readonly LeavingMember[]): LeaveResult {
    const all = (errorCode: number): LeaveResult['members'] => leaving.map((m) => ({ ...m, errorCode }));
    if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    const group = this.store.get(groupId);
    if (!group) return { errorCode: ErrorCode.NONE, members: all(ErrorCode.UNKNOWN_MEMBER_ID) };
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    return { errorCode: ErrorCode.NONE, members: leaving.map((m) => ({ ...m, errorCode: this.#leaveOne(group, m) })) };
  }

  /** A commit from a current member counts as a heartbeat. */
  touch(group: ClassicGroup, member: GroupMember): void {
    this.#scheduleHeartbeatExpiry(group, member);
  }

  /** Starts session timers for the members of a group rebuilt from the log. */
  resumeLoaded(group: ClassicGroup): void {
    for (const member of group.members.values()) this.#scheduleHeartbeatExpiry(group, member);
  }

  /** Stops a group's timers and answers its waiting requests (the coordinator is shutting down). */
  unload(group: ClassicGroup): void {
    group.cancelJoinTimer?.();
    group.cancelSyncTimer?.();
    for (const cancel of group.pendingMembers.values()) cancel();
    for (const member of group.members.values()) {
      member.cancelHeartbeatExpiry?.();
      answerJoin(member, joinError(ErrorCode.NOT_COORDINATOR, member.memberId));
      answerSync(member, syncError(ErrorCode.NOT_COORDINATOR));
    }
  }

  #newMemberJoin(group: ClassicGroup, req: JoinRequest): Promise<JoinResult> | JoinResult {
    const newMemberId = `${req.groupInstanceId ?? req.clientId}-${randomUUID()}`;
    if (req.groupInstanceId !== null) {
      const oldMemberId = group.staticMembers.get(req.groupInstanceId);
      if (oldMemberId !== undefined) return this.#replaceStaticMember(group, group.members.get(oldMemberId)!, newMemberId, req);
    } else if (req.requireKnownMemberId) {
      group.pendingMembers.set(
        newMemberId,
        this.scheduler.schedule(req.sessionTimeoutMs, () => this.#expirePendingMember(group, newMemberId)),
      );
      return joinError(ErrorCode.MEMBER_ID_REQUIRED, newMemberId);
    }
    return this.#addMemberAndRebalance(group, newMemberId, req);
  }

  #currentMemberJoin(group: ClassicGroup, req: JoinRequest): Promise<JoinResult> | JoinResult {
    const pending = group.pendingMembers.get(req.memberId);
    if (pending) {
      pending();
      group.pendingMembers.delete(req.memberId);
      return this.#addMemberAndRebalance(group, req.memberId, req);
    }
    const invalid = validateMember(group, req.memberId, req.groupInstanceId);
    if (invalid !== ErrorCode.NONE) return joinError(invalid, req.memberId);
    const member = group.members.get(req.memberId)!;
    const unchanged = sameProtocols(member.protocols, req.protocols);
    switch (group.state) {
      case 'CompletingRebalance':
        if (unchanged) return this.#currentGeneration(group, member, member.memberId === group.leaderId);
        return this.#updateMemberAndRebalance(group, member, req);
      case 'Stable':
        if (unchanged && member.memberId !== group.leaderId) return this.#currentGeneration(group, member, false);
        return this.#updateMemberAndRebalance(group, member, req);
      case 'PreparingRebalance':
        return this.#updateMemberAndRebalance(group, member, req);
      default:
        return joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId);
    }
  }

  /** The join answer of the generation in progress, for a member that rejoins without changes. */
  #currentGeneration(group: ClassicGroup, member: GroupMember, withMembers: boolean): JoinResult {
    this.#scheduleHeartbeatExpiry(group, member);
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leaderId: group.leaderId ?? '',
      memberId: member.memberId,
      members: withMembers ? group.currentMemberMetadata() : [],
      skipAssignment: false,
    };
  }

  #addMemberAndRebalance(group: ClassicGroup, memberId: string, req: JoinRequest): Promise<JoinResult> {
    return new Promise((resolve) => {
      const member: GroupMember = {
        memberId,
        groupInstanceId: req.groupInstanceId,
        clientId: req.clientId,
        clientHost: req.clientHost,
        sessionTimeoutMs: req.sessionTimeoutMs,
        rebalanceTimeoutMs: req.rebalanceTimeoutMs,
        protocolType: req.protocolType,
        protocols: req.protocols,
        assignment: Buffer.alloc(0),
        awaitingJoin: resolve,
        isNew: true,
        supportsSkipAssignment: req.supportsSkipAssignment,
      };
      if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
      group.add(member);
      this.#scheduleHeartbeatExpiry(group, member);
      this.#rebalanceOrCheckJoin(group);
    });
  }

  #updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, req: JoinRequest): Promise<JoinResult> {
    return new Promise((resolve) => {
      answerJoin(member, joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
      updateMember(member, req);
      member.awaitingJoin = resolve;
      this.#scheduleHeartbeatExpiry(group, member);
      this.#rebalanceOrCheckJoin(group);
    });
  }

  /**
   * A static member rejoining with a new member id fences the old one (KIP-345). In a Stable group
   * whose protocol would not change it takes over the old member's assignment without a rebalance.
   */
  #replaceStaticMember(group: ClassicGroup, member: GroupMember, newMemberId: string, req: JoinRequest): Promise<JoinResult> | JoinResult {
    const oldMemberId = member.memberId;
    const wasLeader = group.leaderId === oldMemberId;
    answerJoin(member, joinError(ErrorCode.FENCED_INSTANCE_ID, oldMemberId));
    answerSync(member, syncError(ErrorCode.FENCED_INSTANCE_ID));
    const previous = { ...member };
    group.replaceStaticMember(member, newMemberId);
    updateMember(member, req);
    this.#scheduleHeartbeatExpiry(group, member);

    if (group.is('Stable') && selectProtocol([...group.members.values()]) === group.protocolName) {
      try {
        this.store.storeGroup(group, this.scheduler.now());
      } catch (err) {
        if (!(err instanceof CoordinatorUnavailableError)) throw err;
        group.replaceStaticMember(member, oldMemberId);
        Object.assign(member, previous);
        return joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, newMemberId);
      }
      // A leader whose client predates skipAssignment is told the old leader id, so it does not
      // compute an assignment that a Stable group would never hand out.
      const skip = wasLeader && req.supportsSkipAssignment;
      return {
        errorCode: ErrorCode.NONE,
        generationId: group.generationId,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        leaderId: wasLeader && !skip ? oldMemberId : (group.leaderId ?? ''),
        memberId: newMemberId,
        members: skip ? group.currentMemberMetadata() : [],
        skipAssignment: skip,
      };
    }
    return new Promise((resolve) => {
      member.awaitingJoin = resolve;
      this.#rebalanceOrCheckJoin(group);
    });
  }

  #leaveOne(group: ClassicGroup, leaving: LeavingMember): number {
    const pending = group.pendingMembers.get(leaving.memberId);
    if (pending) {
      pending();
      group.pendingMembers.delete(leaving.memberId);
      this.#checkJoinComplete(group);
      return ErrorCode.NONE;
    }
    let memberId = leaving.memberId;
    if (leaving.groupInstanceId !== null) {
      const staticMemberId = group.staticMembers.get(leaving.groupInstanceId);
      if (staticMemberId === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (memberId !== '' && memberId !== staticMemberId) return ErrorCode.FENCED_INSTANCE_ID;
      memberId = staticMemberId;
    }
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.#removeMemberAndUpdateGroup(group, member);
    return ErrorCode.NONE;
  }

  #removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember): void {
    group.remove(member.memberId);
    answerJoin(member, joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    answerSync(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.is('Stable') || group.is('CompletingRebalance')) this.#prepareRebalance(group);
    else this.#checkJoinComplete(group);
  }

  #rebalanceOrCheckJoin(group: ClassicGroup): void {
    if (group.is('PreparingRebalance')) this.#checkJoinComplete(group);
    else this.#prepareRebalance(group);
  }

  #prepareRebalance(group: ClassicGroup): void {
    if (group.is('CompletingRebalance')) {
      for (const m of group.members.values()) {
        m.assignment = Buffer.alloc(0);
        answerSync(m, syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      }
    }
    group.cancelSyncTimer?.();
    group.pendingSyncMembers.clear();
    group.cancelJoinTimer?.();
    const initial = group.is('Empty');
    group.transitionTo('PreparingRebalance', this.scheduler.now());
    if (initial) {
      // New groups wait for more members before the first generation (group.initial.rebalance.delay.ms).
      const delay = this.config.initialRebalanceDelayMs;
      group.newMemberAdded = false;
      this.#initialDelay(group, delay, Math.max(group.rebalanceTimeoutMs - delay, 0));
    } else {
      group.cancelJoinTimer = this.scheduler.schedule(group.rebalanceTimeoutMs, () => this.#completeJoin(group));
      this.#checkJoinComplete(group);
    }
  }

  #initialDelay(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    group.inInitialDelay = true;
    group.cancelJoinTimer = this.scheduler.schedule(delayMs, () => {
      if (group.newMemberAdded && remainingMs > 0) {
        group.newMemberAdded = false;
        const next = Math.min(this.config.initialRebalanceDelayMs, remainingMs);
        this.#initialDelay(group, next, Math.max(remainingMs - next, 0));
      } else {
        this.#completeJoin(group);
      }
    });
  }

  #checkJoinComplete(group: ClassicGroup): void {
    if (group.is('PreparingRebalance') && !group.inInitialDelay && group.allMembersJoined) this.#completeJoin(group);
  }

  /** The join phase ends: members that did not rejoin are dropped and the next generation begins. */
  #completeJoin(group: ClassicGroup): void {
    group.cancelJoinTimer?.();
    group.cancelJoinTimer = undefined;
    group.inInitialDelay = false;
    if (!group.is('PreparingRebalance')) return;
    for (const member of [...group.members.values()]) {
      if (!member.awaitingJoin) group.remove(member.memberId);
    }
    const now = this.scheduler.now();
    group.generationId++;
    if (group.members.size === 0) {
      group.protocolName = null;
      group.leaderId = null;
      group.transitionTo('Empty', now);
      this.#storeQuietly(group);
      return;
    }
    group.protocolName = selectProtocol([...group.members.values()]);
    if (!group.leaderId || !group.members.has(group.leaderId)) group.leaderId = group.members.keys().next().value!;
    group.transitionTo('CompletingRebalance', now);
    this.#awaitSyncs(group);
    const allMembers = group.currentMemberMetadata();
    for (const member of group.members.values()) {
      const isLeader = member.memberId === group.leaderId;
      answerJoin(member, {
        errorCode: ErrorCode.NONE,
        generationId: group.generationId,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        leaderId: group.leaderId,
        memberId: member.memberId,
        members: isLeader ? allMembers : [],
        skipAssignment: false,
      });
      member.isNew = false;
      this.#scheduleHeartbeatExpiry(group, member);
    }
  }

  /** Members that do not send SyncGroup within the rebalance timeout are removed (KAFKA-13185). */
  #awaitSyncs(group: ClassicGroup): void {
    for (const id of group.members.keys()) group.pendingSyncMembers.add(id);
    const generation = group.generationId;
    group.cancelSyncTimer = this.scheduler.schedule(group.rebalanceTimeoutMs, () => {
      group.cancelSyncTimer = undefined;
      if (group.generationId !== generation || !(group.is('CompletingRebalance') || group.is('Stable'))) return;
      if (group.pendingSyncMembers.size === 0) return;
      for (const id of [...group.pendingSyncMembers]) {
        const member = group.members.get(id);
        if (member) {
          group.remove(id);
          answerSync(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
        }
      }
      this.#prepareRebalance(group);
    });
  }

  #applyLeaderAssignment(group: ClassicGroup, assignments: SyncRequest['assignments']): void {
    const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    for (const m of group.members.values()) m.assignment = byMember.get(m.memberId) ?? Buffer.alloc(0);
    try {
      this.store.storeGroup(group, this.scheduler.now());
    } catch (err) {
      if (!(err instanceof CoordinatorUnavailableError)) throw err;
      for (const m of group.members.values()) {
        m.assignment = Buffer.alloc(0);
        answerSync(m, syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
      }
      this.#prepareRebalance(group);
      return;
    }
    group.transitionTo('Stable', this.scheduler.now());
    for (const m of group.members.values()) {
      answerSync(m, {
        errorCode: ErrorCode.NONE,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        assignment: m.assignment,
      });
    }
  }

  #scheduleHeartbeatExpiry(group: ClassicGroup, member: GroupMember): void {
    member.cancelHeartbeatExpiry?.();
    const timeout = member.isNew ? NEW_MEMBER_JOIN_TIMEOUT_MS : member.sessionTimeoutMs;
    member.cancelHeartbeatExpiry = this.scheduler.schedule(timeout, () => {
      member.cancelHeartbeatExpiry = undefined;
      if (group.members.get(member.memberId) !== member) return;
      // A member waiting in a rebalance cannot heartbeat: the rebalance and sync timeouts bound it instead.
      if (!member.isNew && (member.awaitingJoin || member.awaitingSync)) this.#scheduleHeartbeatExpiry(group, member);
      else this.#removeMemberAndUpdateGroup(group, member);
    });
  }

  #expirePendingMember(group: ClassicGroup, memberId: string): void {
    if (group.pendingMembers.delete(memberId)) this.#checkJoinComplete(group);
  }

  /** Persisting an emptied group can fail without harming anyone: the log keeps the previous state. */
  #storeQuietly(group: ClassicGroup): void {
    try {
      this.store.storeGroup(group, this.scheduler.now());
    } catch (err) {
      if (!(err instanceof CoordinatorUnavailableError)) throw err;
    }
  }
}

/** FENCED_INSTANCE_ID for a static member id that was replaced, UNKNOWN_MEMBER_ID for a stranger. */
export function validateMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number {
  if (group.isStaticMemberFenced(memberId, groupInstanceId)) return ErrorCode.FENCED_INSTANCE_ID;
  if (!group.members.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
  return ErrorCode.NONE;
}

function updateMember(member: GroupMember, req: JoinRequest): void {
  member.protocols = req.protocols;
  member.sessionTimeoutMs = req.sessionTimeoutMs;
  member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
  member.clientId = req.clientId;
  member.clientHost = req.clientHost;
  member.supportsSkipAssignment = req.supportsSkipAssignment;
}

function answerJoin(member: GroupMember, result: JoinResult): void {
  const answer = member.awaitingJoin;
  member.awaitingJoin = undefined;
  answer?.(result);
}

function answerSync(member: GroupMember, result: SyncResult): void {
  const answer = member.awaitingSync;
  member.awaitingSync = undefined;
  answer?.(result);
}
