import type { JuteReader } from '../jute/reader.js';
import {
  readMultiHeader,
  readStat,
  writeCreateRequest,
  writePathVersion,
  writePathWatch,
  writeMultiHeader,
  writeSetDataRequest,
  type Stat,
} from '../jute/records.js';
import type { JuteWriter } from '../jute/writer.js';
import { OPEN_ACL, type Acl } from '../protocol/acl.js';
import { CreateFlag, Err, KeeperError, OpCode } from '../protocol/codes.js';
import { isValidPath } from '../protocol/path.js';
import { toClientPath, toServerPath } from './connect-string.js';
import type { WatchKind, Watcher } from './watches.js';

/** One request as the session sends it and decodes its reply. */
export interface Request<T> {
  opcode: number;
  /** The client's path, named by errors. */
  path: string | undefined;
  write(w: JuteWriter): void;
  read(r: JuteReader): T;
  /** What a NONODE answer resolves to instead of failing (exists → null). */
  noNode?: T;
  /** The watch to keep once the reply came back with `err`, if any (ZooKeeper's WatchRegistration). */
  watch?: { watcher: Watcher; kind(err: number): WatchKind | undefined };
}

export type CreateMode = 'persistent' | 'ephemeral' | 'persistent_sequential' | 'ephemeral_sequential' | 'container';

export interface CreateOptions {
  /** Default 'persistent'. */
  mode?: CreateMode;
  /** Default world:anyone with every permission (ZooDefs.Ids.OPEN_ACL_UNSAFE). */
  acl?: readonly Acl[];
}

const CREATE_FLAGS: Record<CreateMode, number> = {
  persistent: CreateFlag.PERSISTENT,
  ephemeral: CreateFlag.EPHEMERAL,
  persistent_sequential: CreateFlag.PERSISTENT_SEQUENTIAL,
  ephemeral_sequential: CreateFlag.EPHEMERAL_SEQUENTIAL,
  container: CreateFlag.CONTAINER,
};

export type MultiOp =
  | { op: 'create'; path: string; data?: Buffer | null; mode?: CreateMode; acl?: readonly Acl[] }
  | { op: 'delete'; path: string; version?: number }
  | { op: 'setData'; path: string; data: Buffer; version?: number }
  | { op: 'check'; path: string; version: number };

export type MultiResult = { op: 'create'; path: string } | { op: 'delete' } | { op: 'setData'; stat: Stat } | { op: 'check' };

/** A multi that applied nothing: `opIndex` is the op that failed, `code` why (the KeeperError of that op). */
export class MultiError extends KeeperError {
  constructor(
    code: number,
    readonly opIndex: number,
    readonly op: MultiOp,
    opCount: number,
  ) {
    super(code, op.path, `multi op ${opIndex + 1} of ${opCount}, ${op.op}; no op was applied`);
  }
}

export interface CreateResult {
  path: string;
  stat: Stat;
}

export interface DataResult {
  data: Buffer;
  stat: Stat;
}

export interface ChildrenResult {
  children: string[];
  stat: Stat;
}

/**
 * Builds the requests of the client API for one chroot: paths are checked as ZooKeeper's client
 * checks them (PathUtils.validatePath), prefixed with the chroot, and stripped of it in replies.
 */
export class RequestBuilder {
  constructor(private readonly chroot: string | undefined) {}

  create(path: string, data: Buffer | null, options: CreateOptions): Request<string>;
  create(path: string, data: Buffer | null, options: CreateOptions, withStat: true): Request<CreateResult>;
  create(path: string, data: Buffer | null, options: CreateOptions, withStat = false): Request<string | CreateResult> {
    const mode = options.mode ?? 'persistent';
    const flags = CREATE_FLAGS[mode] ?? invalid(path, `unknown create mode ${mode}`);
    const sequential = flags === CreateFlag.PERSISTENT_SEQUENTIAL || flags === CreateFlag.EPHEMERAL_SEQUENTIAL;
    this.check(path, sequential);
    // A container is always created with createContainer, which answers like create2.
    const opcode = flags === CreateFlag.CONTAINER ? OpCode.createContainer : withStat ? OpCode.create2 : OpCode.create;
    const req = { path: this.server(path), data, acl: options.acl ?? OPEN_ACL, flags };
    return {
      opcode,
      path,
      write: (w) => writeCreateRequest(w, req),
      read: (r) => {
        const created = this.client(r.ustring());
        if (opcode === OpCode.create) return created;
        const stat = readStat(r);
        return withStat ? { path: created, stat } : created;
      },
    };
  }

  delete(path: string, version: number): Request<void> {
    this.check(path);
    return this.pathVersion(OpCode.delete, path, version, () => undefined);
  }

  exists(path: string, watcher: Watcher | undefined): Request<Stat | null> {
    return {
      ...this.pathWatch(OpCode.exists, path, watcher, (err) => (err === Err.OK ? 'data' : err === Err.NONODE ? 'exist' : undefined)),
      read: readStat,
      noNode: null,
    };
  }

  getData(path: string, watcher: Watcher | undefined): Request<DataResult> {
    return {
      ...this.pathWatch(OpCode.getData, path, watcher, (err) => (err === Err.OK ? 'data' : undefined)),
      read: (r) => ({ data: r.buffer(), stat: readStat(r) }),
    };
  }

  setData(path: string, data: Buffer, version: number): Request<Stat> {
    this.check(path);
    const req = { path: this.server(path), data, version };
    return { opcode: OpCode.setData, path, write: (w) => writeSetDataRequest(w, req), read: readStat };
  }

  getChildren(path: string, watcher: Watcher | undefined): Request<string[]> {
    return { ...this.pathWatch(OpCode.getChildren, path, watcher, childWatch), read: readNames };
  }

  getChildrenWithStat(path: string, watcher: Watcher | undefined): Request<ChildrenResult> {
    return {
      ...this.pathWatch(OpCode.getChildren2, path, watcher, childWatch),
      read: (r) => ({ children: readNames(r), stat: readStat(r) }),
    };
  }

  sync(path: string): Request<void> {
    this.check(path);
    const server = this.server(path);
    return { opcode: OpCode.sync, path, write: (w) => w.ustring(server), read: () => undefined };
  }

  /** multi (14): every op or none; the results in op order, or a MultiError naming the op that failed. */
  multi(ops: readonly MultiOp[]): Request<MultiResult[]> {
    const writes = ops.map((op) => this.multiOp(op));
    return {
      opcode: OpCode.multi,
      path: undefined,
      write: (w) => {
        for (const { opcode, write } of writes) {
          writeMultiHeader(w, opcode, false, -1);
          write(w);
        }
        writeMultiHeader(w, -1, true, -1);
      },
      read: (r) => {
        const results: MultiResult[] = [];
        let failure: MultiError | undefined;
        for (let i = 0; ; i++) {
          const { type, done } = readMultiHeader(r);
          if (done) break;
          const op = ops[i] ?? badReply(`multi reply has more results than the ${ops.length} ops sent`);
          if (type === OpCode.error) {
            const err = r.int32();
            if (err !== Err.OK && !failure) failure = new MultiError(err, i, op, ops.length);
            continue;
          }
          results.push(this.multiResult(type, r));
        }
        if (failure) throw failure;
        if (results.length !== ops.length) badReply(`multi reply has ${results.length} results for ${ops.length} ops`);
        return results;
      },
    };
  }

  closeSession(): Request<void> {
    return { opcode: OpCode.closeSession, path: undefined, write: () => undefined, read: () => undefined };
  }

  private multiOp(op: MultiOp): { opcode: number; write: (w: JuteWriter) => void } {
    switch (op.op) {
      case 'create': {
        const { opcode, write } = this.create(op.path, op.data ?? null, op);
        return { opcode, write };
      }
      case 'delete':
        return { opcode: OpCode.delete, write: this.delete(op.path, op.version ?? -1).write };
      case 'setData':
        return { opcode: OpCode.setData, write: this.setData(op.path, op.data, op.version ?? -1).write };
      case 'check':
        this.check(op.path);
        return { opcode: OpCode.check, write: this.pathVersion(OpCode.check, op.path, op.version, () => undefined).write };
      default:
        return invalid(undefined, `unknown multi op ${(op as { op: unknown }).op}`);
    }
  }

  private multiResult(type: number, r: JuteReader): MultiResult {
    switch (type) {
      case OpCode.create:
        return { op: 'create', path: this.client(r.ustring()) };
      case OpCode.create2: {
        // A container's result carries its Stat (Apache's servers send one for containers only).
        const path = this.client(r.ustring());
        readStat(r);
        return { op: 'create', path };
      }
      case OpCode.delete:
        return { op: 'delete' };
      case OpCode.setData:
        return { op: 'setData', stat: readStat(r) };
      case OpCode.check:
        return { op: 'check' };
      default:
        return badReply(`multi result of unknown type ${type}`);
    }
  }

  private pathVersion(opcode: number, path: string, version: number, read: () => void): Request<void> {
    const req = { path: this.server(path), version };
    return { opcode, path, write: (w) => writePathVersion(w, req), read };
  }

  private pathWatch(
    opcode: number,
    path: string,
    watcher: Watcher | undefined,
    kind: (err: number) => WatchKind | undefined,
  ): Omit<Request<never>, 'read'> {
    this.check(path);
    const req = { path: this.server(path), watch: watcher !== undefined };
    return { opcode, path, write: (w) => writePathWatch(w, req), watch: watcher && { watcher, kind } };
  }

  private check(path: string, sequential = false): void {
    if (typeof path !== 'string' || !isValidPath(sequential ? `${path}1` : path)) invalid(path, 'invalid path');
  }

  private server(path: string): string {
    return toServerPath(this.chroot, path);
  }

  private client(path: string): string {
    return toClientPath(this.chroot, path);
  }
}

function childWatch(err: number): WatchKind | undefined {
  return err === Err.OK ? 'child' : undefined;
}

function readNames(r: JuteReader): string[] {
  return r.vector((x) => x.ustring());
}

function invalid(path: string | undefined, why: string): never {
  throw new KeeperError(Err.BADARGUMENTS, path, why);
}

/** A reply that does not match what was asked: the session drops the connection. */
export class BadReplyError extends Error {}

function badReply(why: string): never {
  throw new BadReplyError(why);
}
