import type { Cancel } from './scheduler.js';

export interface MemberProtocol {
  name: string;
  metadata: Buffer;
}

/** What a JoinGroup answers; errors carry generation -1 and no members. */
export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string;
  memberId: string;
  members: JoinResultMember[];
  /** The static leader rejoined a stable group: it must not compute a new assignment (KIP-814). */
  skipAssignment: boolean;
}

export interface JoinResultMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface SyncResult {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

/** One member of a classic group (Kafka's MemberMetadata). */
export interface GroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
  assignment: Buffer;
  /** The member's pending JoinGroup, answered when the rebalance's join phase completes. */
  awaitingJoin?: (result: JoinResult) => void;
  /** The member's pending SyncGroup, answered when the leader's assignment arrives. */
  awaitingSync?: (result: SyncResult) => void;
  /** Joined during the current rebalance: expires on the new-member timeout, not the session. */
  isNew: boolean;
  /** Whether the member's JoinGroup of a later version understands skipAssignment. */
  supportsSkipAssignment: boolean;
  cancelHeartbeatExpiry?: Cancel;
}

export function memberMetadataFor(member: GroupMember, protocolName: string | null): Buffer {
  return member.protocols.find((p) => p.name === protocolName)?.metadata ?? Buffer.alloc(0);
}

/** Same protocols, in the same order, with byte-identical metadata: no rebalance needed. */
export function sameProtocols(a: readonly MemberProtocol[], b: readonly MemberProtocol[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata));
}
