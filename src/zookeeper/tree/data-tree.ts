import { EventType, type EventTypeCode } from '../protocol/codes.js';
import type { Txn, TxnBody } from '../txn/txn.js';
import { OPEN_ACL, type Acl } from '../protocol/acl.js';
import { childPath, nameOf, parentOf } from './path.js';
import { CONTAINER_OWNER, isEphemeral, ttlOf, type Znode } from './znode.js';

/** A change clients may be watching for. */
export interface TreeEvent {
  type: EventTypeCode;
  path: string;
}

/** What the data tree persists about a session: enough to re-attach it after a restart. */
export interface SessionRecord {
  timeout: number;
  passwd: Buffer;
}

/** ZooKeeper's own subtree, present in every tree (clients such as zkCli list it). */
const SYSTEM_PATHS = ['/zookeeper', '/zookeeper/quota', '/zookeeper/config'];

/**
 * The znode tree and the session table, changed only by `apply(txn)`. Lookups are by full path;
 * each node keeps its child names so listing is cheap.
 */
export class DataTree {
  readonly nodes = new Map<string, Znode>();
  readonly sessions = new Map<bigint, SessionRecord>();
  /** Session id to the paths of its ephemeral nodes. */
  readonly ephemerals = new Map<bigint, Set<string>>();
  /** Paths of container and TTL nodes, for the reaper. */
  readonly reapable = new Set<string>();
  lastZxid = 0;

  constructor() {
    this.nodes.set('/', emptyNode(OPEN_ACL));
    for (const path of SYSTEM_PATHS) this.insert(path, emptyNode(OPEN_ACL));
  }

  get(path: string): Znode | undefined {
    return this.nodes.get(path);
  }

  /** Puts `node` at `path` under an existing parent, with no stat bookkeeping (loading, set-up). */
  insert(path: string, node: Znode): void {
    this.nodes.set(path, node);
    if (path !== '/') this.nodes.get(parentOf(path))?.children.add(nameOf(path));
    this.track(path, node.ephemeralOwner);
  }

  /** Applies `txn`; `visit` sees each op of a multi right after it is applied. */
  apply(txn: Txn, visit?: (op: TxnBody) => void): TreeEvent[] {
    const events: TreeEvent[] = [];
    this.applyBody(txn, txn.body, events, visit);
    if (txn.zxid > this.lastZxid) this.lastZxid = txn.zxid;
    return events;
  }

  /** Number of nodes below `path` (not counting it). */
  descendantCount(path: string): number {
    const node = this.nodes.get(path);
    if (!node) return 0;
    let count = 0;
    for (const name of node.children) count += 1 + this.descendantCount(childPath(path, name));
    return count;
  }

  private applyBody(txn: Txn, body: TxnBody, events: TreeEvent[], visit?: (op: TxnBody) => void): void {
    if (body.type === 'multi') {
      for (const op of body.ops) this.applyBody(txn, op, events, visit);
      return;
    }
    this.applyOp(txn, body, events);
    visit?.(body);
  }

  private applyOp(txn: Txn, body: TxnBody, events: TreeEvent[]): void {
    switch (body.type) {
      case 'create':
        return this.create(txn, body.path, body.data, body.acl, body.ephemeralOwner, body.parentCVersion, events);
      case 'delete':
        return this.delete(txn.zxid, body.path, events);
      case 'setData': {
        const node = this.nodes.get(body.path);
        if (!node) return;
        node.data = body.data;
        node.version = body.version;
        node.mzxid = txn.zxid;
        node.mtime = txn.time;
        events.push({ type: EventType.NodeDataChanged, path: body.path });
        return;
      }
      case 'setACL': {
        const node = this.nodes.get(body.path);
        if (!node) return;
        node.acl = body.acl;
        node.aversion = body.version;
        return;
      }
      case 'createSession':
        this.sessions.set(body.sessionId, { timeout: body.timeout, passwd: body.passwd });
        return;
      case 'closeSession': {
        for (const path of this.ephemerals.get(body.sessionId) ?? []) this.delete(txn.zxid, path, events);
        this.ephemerals.delete(body.sessionId);
        this.sessions.delete(body.sessionId);
        return;
      }
      case 'multi':
      case 'check':
      case 'error':
        return;
    }
  }

  private create(
    txn: Txn,
    path: string,
    data: Buffer,
    acl: readonly Acl[],
    ephemeralOwner: bigint,
    parentCVersion: number,
    events: TreeEvent[],
  ): void {
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath);
    if (!parent || this.nodes.has(path)) return;
    const node: Znode = {
      data,
      acl,
      czxid: txn.zxid,
      mzxid: txn.zxid,
      ctime: txn.time,
      mtime: txn.time,
      version: 0,
      cversion: 0,
      aversion: 0,
      ephemeralOwner,
      pzxid: txn.zxid,
      children: new Set(),
    };
    this.insert(path, node);
    parent.cversion = parentCVersion;
    parent.pzxid = txn.zxid;
    events.push({ type: EventType.NodeCreated, path }, { type: EventType.NodeChildrenChanged, path: parentPath });
  }

  private delete(zxid: number, path: string, events: TreeEvent[]): void {
    const node = this.nodes.get(path);
    if (!node || path === '/') return;
    const parentPath = parentOf(path);
    const parent = this.nodes.get(parentPath)!;
    this.nodes.delete(path);
    parent.children.delete(nameOf(path));
    if (zxid > parent.pzxid) parent.pzxid = zxid;
    if (isEphemeral(node.ephemeralOwner)) this.ephemerals.get(node.ephemeralOwner)?.delete(path);
    this.reapable.delete(path);
    events.push({ type: EventType.NodeDeleted, path }, { type: EventType.NodeChildrenChanged, path: parentPath });
  }

  private track(path: string, owner: bigint): void {
    if (isEphemeral(owner)) {
      let paths = this.ephemerals.get(owner);
      if (!paths) this.ephemerals.set(owner, (paths = new Set()));
      paths.add(path);
    } else if (owner === CONTAINER_OWNER || ttlOf(owner) !== undefined) {
      this.reapable.add(path);
    }
  }
}

function emptyNode(acl: readonly Acl[]): Znode {
  return {
    data: Buffer.alloc(0),
    acl,
    czxid: 0,
    mzxid: 0,
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: 0n,
    pzxid: 0,
    children: new Set(),
  };
}
