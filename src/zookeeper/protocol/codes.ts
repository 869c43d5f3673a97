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
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  UNKNOWNSESSION: -12,
  NEWCONFIGNOQUORUM: -13,
  RECONFIGINPROGRESS: -14,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  SESSIONMOVED: -118,
  NOTREADONLY: -119,
  EPHEMERALONLOCALSESSION: -120,
  NOWATCHER: -121,
  REQUESTTIMEOUT: -122,
  RECONFIGDISABLED: -123,
  SESSIONCLOSEDREQUIRESASLAUTH: -124,
  QUOTAEXCEEDED: -125,
  THROTTLEDOP: -127,
} as const;
export type ErrCode = (typeof Err)[keyof typeof Err];
export type ErrName = keyof typeof Err;

const ERR_NAMES = new Map<number, ErrName>(Object.entries(Err).map(([name, code]) => [code, name as ErrName]));

/** KeeperException.getCodeMessage: the words Java clients (and so Kafka's logs) use for each code. */
const ERR_MESSAGES: Partial<Record<ErrName, string>> = {
  OK: 'ok',
  SYSTEMERROR: 'SystemError',
  RUNTIMEINCONSISTENCY: 'RuntimeInconsistency',
  DATAINCONSISTENCY: 'DataInconsistency',
  CONNECTIONLOSS: 'ConnectionLoss',
  MARSHALLINGERROR: 'MarshallingError',
  NEWCONFIGNOQUORUM: 'NewConfigNoQuorum',
  RECONFIGINPROGRESS: 'ReconfigInProgress',
  UNIMPLEMENTED: 'Unimplemented',
  OPERATIONTIMEOUT: 'OperationTimeout',
  BADARGUMENTS: 'BadArguments',
  APIERROR: 'APIError',
  NONODE: 'NoNode',
  NOAUTH: 'NoAuth',
  BADVERSION: 'BadVersion',
  NOCHILDRENFOREPHEMERALS: 'NoChildrenForEphemerals',
  NODEEXISTS: 'NodeExists',
  INVALIDACL: 'InvalidACL',
  AUTHFAILED: 'AuthFailed',
  NOTEMPTY: 'Directory not empty',
  SESSIONEXPIRED: 'Session expired',
  INVALIDCALLBACK: 'Invalid callback',
  SESSIONMOVED: 'Session moved',
  NOTREADONLY: 'Not a read-only call',
  EPHEMERALONLOCALSESSION: 'Ephemeral node on local session',
  NOWATCHER: 'No such watcher',
  RECONFIGDISABLED: 'Reconfig is disabled',
  SESSIONCLOSEDREQUIRESASLAUTH: 'Session closed because client failed to authenticate',
  QUOTAEXCEEDED: 'Quota has exceeded',
  THROTTLEDOP: 'Op throttled due to high load',
};

/** The code's name (`NONODE`), or `UNKNOWN(<code>)` for a code this table does not know. */
export function errName(code: number): string {
  return ERR_NAMES.get(code) ?? `UNKNOWN(${code})`;
}

/**
 * A request that fails with a ZooKeeper error code. The server throws it to answer with `code`
 * (the connection stays open); the client rejects with it, naming the path as KeeperException does:
 * `KeeperErrorCode = NoNode for /brokers/ids/1`, plus `detail` where the code alone does not say why.
 */
export class KeeperError extends Error {
  readonly codeName: string;

  constructor(
    readonly code: number,
    readonly path?: string,
    detail?: string,
  ) {
    const name = ERR_NAMES.get(code);
    const words = (name && ERR_MESSAGES[name]) ?? `Unknown error ${code}`;
    super(`KeeperErrorCode = ${words}${path === undefined ? '' : ` for ${path}`}${detail ? ` (${detail})` : ''}`);
    this.name = 'KeeperError';
    this.codeName = errName(code);
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
export const Xid = { notification: -1, ping: -2, auth: -4, setWatches: -8 } as const;

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
