import type { JuteReader } from './jute/reader.js';
import {
  readAuthPacket,
  readCreateRequest,
  readPathVersion,
  readPathWatch,
  readSetAclRequest,
  readSetDataRequest,
  readSetWatches,
  writeAcl,
  writeStat,
  type SetWatches,
} from './jute/records.js';
import type { JuteWriter } from './jute/writer.js';
import type { Connection } from './network/connection.js';
import type { Database } from './persistence/database.js';
import { AddWatchMode, Err, KeeperError, OpCode, Perms, Xid, EventType, type ErrCode } from './protocol/codes.js';
import { allowed, digestId, redactDigests } from './tree/acl.js';
import type { TreeEvent } from './tree/data-tree.js';
import { isValidPath } from './tree/path.js';
import type { Znode } from './tree/znode.js';
import { Prep } from './txn/prep.js';
import type { TxnBody } from './txn/txn.js';
import type { WatchManager } from './watches/watch-manager.js';

/** The server as requests see it. */
export interface RequestContext {
  readonly db: Database;
  readonly watches: WatchManager;
  /** Logs and applies `body`, then fires the watches its changes trigger. */
  commit(body: TxnBody, visit?: (op: TxnBody) => void): void;
  /** Ends a session (closeSession txn: its ephemerals go). */
  closeSession(id: bigint): void;
}

type BodyWriter = ((w: JuteWriter) => void) | undefined;

/** A write op of a multi, decoded: how to prep it and what to answer when it succeeded. */
interface MultiOp {
  type: number;
  prep: (p: Prep) => TxnBody;
}

/** FinalRequestProcessor: answers one request of an established session. */
export function handleRequest(ctx: RequestContext, conn: Connection, xid: number, type: number, r: JuteReader): void {
  const tree = ctx.db.tree;
  const reply = (err: number, body?: BodyWriter): void => conn.reply(xid, ctx.db.lastZxid, err, body);
  const who = { sessionId: conn.sessionId!, ids: conn.ids };
  /** Runs `fn`; a KeeperError becomes the reply's error code. */
  const attempt = (fn: () => BodyWriter): void => {
    let body: BodyWriter;
    try {
      body = fn();
    } catch (err) {
      if (err instanceof KeeperError) return reply(err.code);
      throw err;
    }
    reply(Err.OK, body);
  };
  /** A write: prep, then commit (a failed prep still commits an error txn, taking a zxid). */
  const write = (prepare: (p: Prep) => TxnBody, answer: (body: TxnBody) => BodyWriter): void => {
    let body: TxnBody;
    try {
      body = prepare(new Prep(tree, who));
    } catch (err) {
      if (!(err instanceof KeeperError)) throw err;
      ctx.commit({ type: 'error', err: err.code });
      return reply(err.code);
    }
    ctx.commit(body);
    reply(Err.OK, answer(body));
  };
  const statOf = (path: string): BodyWriter => {
    const node = tree.get(path)!;
    return (w) => writeStat(w, node);
  };

  switch (type) {
    case OpCode.ping:
      return conn.reply(Xid.ping, ctx.db.lastZxid, Err.OK);
    case OpCode.closeSession:
      ctx.closeSession(conn.sessionId!);
      reply(Err.OK);
      return conn.closeAfterOutput();
    case OpCode.auth: {
      const auth = readAuthPacket(r);
      if (auth.scheme !== 'digest' || !auth.auth.includes(0x3a)) {
        conn.reply(Xid.auth, 0, Err.AUTHFAILED);
        return conn.closeAfterOutput();
      }
      const id = digestId(auth.auth.toString('utf8'));
      if (!conn.ids.some((i) => i.scheme === 'digest' && i.id === id)) conn.ids.push({ scheme: 'digest', id });
      return conn.reply(Xid.auth, 0, Err.OK);
    }
    case OpCode.create:
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL: {
      const req = readCreateRequest(r, type === OpCode.createTTL);
      return write(
        (p) => p.create(type, req),
        (body) => createAnswer(type, body, tree.get((body as { path: string }).path)!),
      );
    }
    case OpCode.delete: {
      const req = readPathVersion(r);
      return write(
        (p) => p.delete(req),
        () => undefined,
      );
    }
    case OpCode.setData: {
      const req = readSetDataRequest(r);
      return write(
        (p) => p.setData(req),
        () => statOf(req.path),
      );
    }
    case OpCode.setACL: {
      const req = readSetAclRequest(r);
      return write(
        (p) => p.setAcl(req),
        () => statOf(req.path),
      );
    }
    case OpCode.check: {
      // A standalone check answers like setData does in 3.8 (a SetDataResponse with the Stat).
      const req = readPathVersion(r);
      return write(
        (p) => p.check(req),
        () => statOf(req.path),
      );
    }
    case OpCode.multi:
      return multi(ctx, conn, xid, r, who);
    case OpCode.multiRead:
      return multiRead(ctx, conn, xid, r);
    case OpCode.sync: {
      const path = r.ustring();
      return attempt(() => {
        if (!isValidPath(path)) throw new KeeperError(Err.BADARGUMENTS);
        return (w) => w.ustring(path);
      });
    }
    case OpCode.exists: {
      const { path, watch } = readPathWatch(r);
      return attempt(() => {
        if (!isValidPath(path)) throw new KeeperError(Err.BADARGUMENTS);
        const node = tree.get(path);
        if (watch) ctx.watches.add('data', path, conn);
        if (!node) throw new KeeperError(Err.NONODE);
        return (w) => writeStat(w, node);
      });
    }
    case OpCode.getData: {
      const req = readPathWatch(r);
      return attempt(() => getData(ctx, conn, req.path, req.watch));
    }
    case OpCode.getChildren:
    case OpCode.getChildren2: {
      const req = readPathWatch(r);
      return attempt(() => getChildren(ctx, conn, req.path, req.watch, type === OpCode.getChildren2));
    }
    case OpCode.getACL: {
      const path = r.ustring();
      return attempt(() => {
        const node = readable(ctx, conn, path, Perms.READ | Perms.ADMIN);
        const acl = allowed(node.acl, conn.ids, Perms.ADMIN) ? node.acl : redactDigests(node.acl);
        return (w) => {
          w.vector(acl, writeAcl);
          writeStat(w, node);
        };
      });
    }
    case OpCode.getAllChildrenNumber: {
      const path = r.ustring();
      return attempt(() => {
        readable(ctx, conn, path, Perms.READ);
        const count = tree.descendantCount(path);
        return (w) => w.int32(count);
      });
    }
    case OpCode.getEphemerals: {
      const prefix = r.ustring();
      const mine = [...(tree.ephemerals.get(conn.sessionId!) ?? [])].filter((p) => p.startsWith(prefix)).sort();
      return reply(Err.OK, (w) => w.vector(mine, (x, p) => x.ustring(p)));
    }
    case OpCode.setWatches:
    case OpCode.setWatches2:
      setWatches(ctx, conn, readSetWatches(r, type === OpCode.setWatches2));
      return reply(Err.OK);
    case OpCode.addWatch: {
      const path = r.ustring();
      const mode = r.int32();
      return attempt(() => {
        if (!isValidPath(path) || (mode !== AddWatchMode.PERSISTENT && mode !== AddWatchMode.PERSISTENT_RECURSIVE)) {
          throw new KeeperError(Err.BADARGUMENTS);
        }
        ctx.watches.add(mode === AddWatchMode.PERSISTENT ? 'persistent' : 'recursive', path, conn);
        return (w) => w.int32(0);
      });
    }
    case OpCode.checkWatches:
    case OpCode.removeWatches: {
      const path = r.ustring();
      const watcherType = r.int32();
      return attempt(() => {
        if (!ctx.watches.remove(conn, path, watcherType, type === OpCode.checkWatches)) {
          throw new KeeperError(Err.NOWATCHER);
        }
        return undefined;
      });
    }
    case OpCode.whoAmI:
      return reply(Err.OK, (w) =>
        w.vector(conn.ids, (x, id) => {
          x.ustring(id.scheme);
          x.ustring(id.scheme === 'digest' ? id.id.replace(/:.*/s, '') : id.id);
        }),
      );
    default:
      // reconfig, sasl and anything newer: a standalone server does not implement them.
      return reply(Err.UNIMPLEMENTED);
  }
}

function createAnswer(type: number, body: TxnBody, node: Znode): BodyWriter {
  const path = (body as { path: string }).path;
  if (type === OpCode.create) return (w) => w.ustring(path);
  return (w) => {
    w.ustring(path);
    writeStat(w, node);
  };
}

function readable(ctx: RequestContext, conn: Connection, path: string, perm: number): Znode {
  if (!isValidPath(path)) throw new KeeperError(Err.BADARGUMENTS);
  const node = ctx.db.tree.get(path);
  if (!node) throw new KeeperError(Err.NONODE);
  if (!allowed(node.acl, conn.ids, perm)) throw new KeeperError(Err.NOAUTH);
  return node;
}

function getData(ctx: RequestContext, conn: Connection, path: string, watch: boolean): BodyWriter {
  const node = readable(ctx, conn, path, Perms.READ);
  if (watch) ctx.watches.add('data', path, conn);
  return (w) => {
    w.buffer(node.data);
    writeStat(w, node);
  };
}

function getChildren(ctx: RequestContext, conn: Connection, path: string, watch: boolean, withStat: boolean): BodyWriter {
  const node = readable(ctx, conn, path, Perms.READ);
  if (watch) ctx.watches.add('child', path, conn);
  const children = [...node.children];
  return (w) => {
    w.vector(children, (x, name) => x.ustring(name));
    if (withStat) writeStat(w, node);
  };
}

/** Reads the MultiHeader-framed op list up to the `done` header. */
function readOps<T>(r: JuteReader, decode: (type: number) => T): T[] {
  const ops: T[] = [];
  for (;;) {
    const type = r.int32();
    const done = r.bool();
    r.int32();
    if (done) return ops;
    ops.push(decode(type));
  }
}

function writeMultiHeader(w: JuteWriter, type: number, done: boolean, err: number): void {
  w.int32(type);
  w.bool(done);
  w.int32(err);
}

/** multi (14): all ops or none, one zxid; on failure every entry is an error result. */
function multi(
  ctx: RequestContext,
  conn: Connection,
  xid: number,
  r: JuteReader,
  who: { sessionId: bigint; ids: Connection['ids'] },
): void {
  const ops = readOps<MultiOp>(r, (type) => {
    switch (type) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer:
      case OpCode.createTTL: {
        const req = readCreateRequest(r, type === OpCode.createTTL);
        return { type, prep: (p) => p.create(type, req) };
      }
      case OpCode.delete: {
        const req = readPathVersion(r);
        return { type, prep: (p) => p.delete(req) };
      }
      case OpCode.setData: {
        const req = readSetDataRequest(r);
        return { type, prep: (p) => p.setData(req) };
      }
      case OpCode.check: {
        const req = readPathVersion(r);
        return { type, prep: (p) => p.check(req) };
      }
      default:
        throw new Error(`op ${type} is not allowed in a multi`);
    }
  });
  const prep = new Prep(ctx.db.tree, who);
  const bodies: TxnBody[] = [];
  let failure: { index: number; code: ErrCode } | undefined;
  for (let i = 0; i < ops.length && !failure; i++) {
    try {
      bodies.push(ops[i]!.prep(prep));
    } catch (err) {
      if (!(err instanceof KeeperError)) throw err;
      failure = { index: i, code: err.code };
    }
  }
  if (failure) {
    const { index, code } = failure;
    ctx.commit({ type: 'error', err: code });
    return conn.reply(xid, ctx.db.lastZxid, Err.OK, (w) => {
      ops.forEach((_, i) => {
        writeMultiHeader(w, OpCode.error, false, -1);
        w.int32(i < index ? Err.OK : i === index ? code : Err.RUNTIMEINCONSISTENCY);
      });
      writeMultiHeader(w, -1, true, -1);
    });
  }
  const results: BodyWriter[] = [];
  let i = 0;
  ctx.commit({ type: 'multi', ops: bodies }, (body) => {
    const type = ops[i++]!.type;
    const node = 'path' in body ? ctx.db.tree.get(body.path) : undefined;
    const snapshot = node && { ...node, children: new Set(node.children) };
    if (body.type === 'create') results.push(createAnswer(type, body, snapshot!));
    else if (body.type === 'setData') results.push((w) => writeStat(w, snapshot!));
    else results.push(undefined);
  });
  conn.reply(xid, ctx.db.lastZxid, Err.OK, (w) => {
    ops.forEach((op, k) => {
      writeMultiHeader(w, op.type, false, 0);
      results[k]?.(w);
    });
    writeMultiHeader(w, -1, true, -1);
  });
}

/** multiRead (22): getChildren/getData ops, each with its own result or error. */
function multiRead(ctx: RequestContext, conn: Connection, xid: number, r: JuteReader): void {
  const ops = readOps(r, (type) => {
    if (type !== OpCode.getChildren && type !== OpCode.getData) throw new Error(`op ${type} is not allowed in a multiRead`);
    return { type, ...readPathWatch(r) };
  });
  const results = ops.map((op) => {
    try {
      const body = op.type === OpCode.getData ? getData(ctx, conn, op.path, op.watch) : getChildren(ctx, conn, op.path, op.watch, false);
      return { type: op.type, err: Err.OK as number, body };
    } catch (err) {
      if (!(err instanceof KeeperError)) throw err;
      return { type: OpCode.error as number, err: err.code as number, body: undefined };
    }
  });
  conn.reply(xid, ctx.db.lastZxid, Err.OK, (w) => {
    for (const res of results) {
      writeMultiHeader(w, res.type, false, res.err);
      if (res.type === OpCode.error) w.int32(res.err);
      else res.body?.(w);
    }
    writeMultiHeader(w, -1, true, -1);
  });
}

/**
 * setWatches after a reconnect: a watch whose condition already changed past the client's last
 * zxid fires at once; the others are registered.
 */
function setWatches(ctx: RequestContext, conn: Connection, sw: SetWatches): void {
  const tree = ctx.db.tree;
  const fire = (event: TreeEvent): void => conn.notify(event);
  for (const path of sw.data) {
    const node = tree.get(path);
    if (!node) fire({ type: EventType.NodeDeleted, path });
    else if (node.mzxid > sw.relativeZxid) fire({ type: EventType.NodeDataChanged, path });
    else ctx.watches.add('data', path, conn);
  }
  for (const path of sw.exist) {
    if (tree.get(path)) fire({ type: EventType.NodeCreated, path });
    else ctx.watches.add('data', path, conn);
  }
  for (const path of sw.child) {
    const node = tree.get(path);
    if (!node) fire({ type: EventType.NodeDeleted, path });
    else if (node.pzxid > sw.relativeZxid) fire({ type: EventType.NodeChildrenChanged, path });
    else ctx.watches.add('child', path, conn);
  }
  for (const path of sw.persistent) ctx.watches.add('persistent', path, conn);
  for (const path of sw.persistentRecursive) ctx.watches.add('recursive', path, conn);
}
