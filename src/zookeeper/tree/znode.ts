import type { Acl } from '../protocol/acl.js';

/** A node of the data tree: its data, ACL and the persisted part of its Stat. */
export interface Znode {
  data: Buffer;
  acl: readonly Acl[];
  czxid: number;
  mzxid: number;
  ctime: number;
  mtime: number;
  version: number;
  /** Children ever created (the sequential counter); clients see `2 * cversion - numChildren`. */
  cversion: number;
  aversion: number;
  /** Owning session of an ephemeral; CONTAINER_OWNER or a TTL marker for those kinds; 0n otherwise. */
  ephemeralOwner: bigint;
  pzxid: number;
  children: Set<string>;
}

/** `ephemeralOwner` of container nodes (0x8000000000000000 as a Java long). */
export const CONTAINER_OWNER = -0x8000000000000000n;
const TTL_MARKER = -0x100000000000000n; // high byte 0xFF
const TTL_MASK = 0xffffffffffn;
/** EphemeralType.MAX_TTL: the TTL must fit the 40 bits below the marker byte. */
export const MAX_TTL = Number(TTL_MASK);

export function ttlOwner(ttlMs: number): bigint {
  return TTL_MARKER | BigInt(ttlMs);
}

/** The TTL of a TTL node, or undefined for every other kind. */
export function ttlOf(owner: bigint): number | undefined {
  return owner < 0n && owner !== CONTAINER_OWNER && (owner & TTL_MARKER) === TTL_MARKER ? Number(owner & TTL_MASK) : undefined;
}

/** A real session owns the node (not a container or TTL marker). */
export function isEphemeral(owner: bigint): boolean {
  return owner > 0n;
}
