import { writeStat } from '../tree/stat.js';
import type { JuteWriter } from '../jute/writer.js';
import type { Connection } from '../network/connection.js';
import type { Database } from '../persistence/database.js';
import { Err, KeeperError } from '../protocol/codes.js';
import { allowed } from '../tree/acl.js';
import type { DataTree } from '../tree/data-tree.js';
import { isValidPath } from '../protocol/path.js';
import type { Znode } from '../tree/znode.js';
import { Prep } from '../txn/prep.js';
import type { TxnBody } from '../txn/txn.js';
import type { WatchManager } from '../watches/watch-manager.js';
import type { JuteReader } from '../jute/reader.js';

/** The server as requests see it. */
export interface RequestContext {
  readonly db: Database;
  readonly watches: WatchManager;
  /** Logs and applies `body`, then fires the watches its changes trigger. */
  commit(body: TxnBody, visit?: (op: TxnBody) => void): void;
  /** Ends a session (closeSession txn: its ephemerals go). */
  closeSession(id: bigint): void;
}

/** Writes a reply's body after its header; undefined for a header-only reply. */
export type BodyWriter = ((w: JuteWriter) => void) | undefined;

/** Answers one op: reads its request from `r` and replies through `op`. */
export type OpHandler = (op: OpRequest, r: JuteReader) => void;

/** One request of an established session, as the op's handler sees it (FinalRequestProcessor's request). */
export class OpRequest {
  constructor(
    readonly server: RequestContext,
    readonly conn: Connection,
    readonly xid: number,
    readonly type: number,
  ) {}

  get tree(): DataTree {
    return this.server.db.tree;
  }

  /** Who asks: the session and its authenticated ids, for ACL checks and ephemeral owners. */
  get who(): { sessionId: bigint; ids: Connection['ids'] } {
    return { sessionId: this.conn.sessionId!, ids: this.conn.ids };
  }

  reply(err: number, body?: BodyWriter): void {
    this.conn.reply(this.xid, this.server.db.lastZxid, err, body);
  }

  /** Runs `fn`; a KeeperError becomes the reply's error code. */
  attempt(fn: () => BodyWriter): void {
    let body: BodyWriter;
    try {
      body = fn();
    } catch (err) {
      if (err instanceof KeeperError) return this.reply(err.code);
      throw err;
    }
    this.reply(Err.OK, body);
  }

  /** A write: prep, then commit (a failed prep still commits an error txn, taking a zxid). */
  write(prepare: (p: Prep) => TxnBody, answer: (body: TxnBody) => BodyWriter): void {
    let body: TxnBody;
    try {
      body = prepare(new Prep(this.tree, this.who));
    } catch (err) {
      if (!(err instanceof KeeperError)) throw err;
      this.server.commit({ type: 'error', err: err.code });
      return this.reply(err.code);
    }
    this.server.commit(body);
    this.reply(Err.OK, answer(body));
  }

  /** The Stat of the node at `path` as it is now. */
  statOf(path: string): BodyWriter {
    const node = this.tree.get(path)!;
    return (w) => writeStat(w, node);
  }

  /** The node at `path`, which this session may access with `perm`. */
  readable(path: string, perm: number): Znode {
    if (!isValidPath(path)) throw new KeeperError(Err.BADARGUMENTS);
    const node = this.tree.get(path);
    if (!node) throw new KeeperError(Err.NONODE);
    if (!allowed(node.acl, this.conn.ids, perm)) throw new KeeperError(Err.NOAUTH);
    return node;
  }
}
