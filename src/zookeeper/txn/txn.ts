import type { Acl } from '../protocol/acl.js';

/**
 * A state change, decided by prep (which checks every precondition) and applied by the data tree.
 * Applying is deterministic, so replaying the logged txns rebuilds the same tree.
 */
export type TxnBody =
  | { type: 'create'; path: string; data: Buffer; acl: readonly Acl[]; ephemeralOwner: bigint; parentCVersion: number }
  | { type: 'delete'; path: string }
  | { type: 'setData'; path: string; data: Buffer; version: number }
  | { type: 'setACL'; path: string; acl: readonly Acl[]; version: number }
  | { type: 'check'; path: string }
  | { type: 'createSession'; sessionId: bigint; timeout: number; passwd: Buffer }
  | { type: 'closeSession'; sessionId: bigint }
  /** A write that failed still takes a zxid, as in ZooKeeper (clients see it in reply headers). */
  | { type: 'error'; err: number }
  | { type: 'multi'; ops: TxnBody[] };

export interface Txn {
  zxid: number;
  /** Milliseconds since the epoch; becomes ctime/mtime. */
  time: number;
  body: TxnBody;
}
