/** ZooDefs.OpCode: the `type` of a RequestHeader, MultiHeader and txn. */
export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;

/** KeeperException.Code: the `err` of a ReplyHeader. */
export const Err = {
  OK: 0,
  RUNTIMEINCONSISTENCY: -2,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  BADARGUMENTS: -8,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  NOWATCHER: -121,
} as const;
export type ErrCode = (typeof Err)[keyof typeof Err];

/** A request that fails with a ZooKeeper error code; the connection stays open. */
export class KeeperError extends Error {
  constructor(readonly code: ErrCode) {
    super(`ZooKeeper error ${code}`);
    this.name = 'KeeperError';
  }
}

export const EventType = {
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
} as const;
export type EventTypeCode = (typeof EventType)[keyof typeof EventType];

export const KeeperState = { SyncConnected: 3 } as const;

/** Special xids of ClientCnxn. */
export const Xid = { notification: -1, ping: -2, auth: -4 } as const;

/** ZooDefs.Perms bits. */
export const Perms = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

/** Flags of CreateRequest/CreateTTLRequest (CreateMode). */
export const CreateFlag = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;

/** WatcherType of checkWatches/removeWatches. */
export const WatcherType = { Children: 1, Data: 2, Any: 3, Persistent: 4, PersistentRecursive: 5 } as const;

/** AddWatchMode. */
export const AddWatchMode = { PERSISTENT: 0, PERSISTENT_RECURSIVE: 1 } as const;
