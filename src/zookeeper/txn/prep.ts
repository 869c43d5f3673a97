import { allowed, fixupAcl, type AuthId } from '../tree/acl.js';
import type { DataTree } from '../tree/data-tree.js';
import { parentOf, sequenceSuffix } from '../tree/path.js';
import { CONTAINER_OWNER, isEphemeral, MAX_TTL, ttlOwner } from '../tree/znode.js';
import type { Acl } from '../protocol/acl.js';
import { isValidPath } from '../protocol/path.js';
import type { CreateRequest, PathVersion, SetAclRequest, SetDataRequest } from '../jute/records.js';
import { CreateFlag, Err, KeeperError, OpCode, Perms, type ErrCode } from '../protocol/codes.js';
import type { TxnBody } from './txn.js';

/** Who is asking: the session (owner of ephemerals) and the ids it has authenticated as. */
export interface Requester {
  sessionId: bigint;
  ids: readonly AuthId[];
}

/** What prep needs to know about a node, as it will be once earlier ops of the same multi apply. */
interface NodeView {
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  numChildren: number;
  acl: readonly Acl[];
}

/** Paths clients may never delete (ZKDatabase.isSpecialPath). */
const SPECIAL_PATHS = new Set(['/', '/zookeeper', '/zookeeper/quota', '/zookeeper/config']);

/**
 * PrepRequestProcessor: checks a write against the tree (plus the earlier ops of its multi) and
 * turns it into the txn to log and apply. Throws KeeperError with ZooKeeper's code and order of checks.
 */
export class Prep {
  /** Changes made by the ops prepared so far; null = deleted. */
  private readonly pending = new Map<string, NodeView | null>();

  constructor(
    private readonly tree: DataTree,
    private readonly who: Requester,
  ) {}

  create(op: number, req: CreateRequest): TxnBody {
    const flags = req.flags;
    if (flags < CreateFlag.PERSISTENT || flags > CreateFlag.PERSISTENT_SEQUENTIAL_WITH_TTL) fail(Err.BADARGUMENTS);
    const sequential = flags === 2 || flags === 3 || flags === 6;
    const isTtl = flags === 5 || flags === 6;
    if (isTtl ? op !== OpCode.createTTL || req.ttl <= 0 || req.ttl > MAX_TTL : req.ttl >= 0) fail(Err.BADARGUMENTS);
    if (!isValidPath(sequential ? `${req.path}1` : req.path)) fail(Err.BADARGUMENTS);
    const acl = fixupAcl(req.acl, this.who.ids) ?? fail(Err.INVALIDACL);
    const parentPath = parentOf(req.path);
    const parent = this.view(parentPath) ?? fail(Err.NONODE);
    this.require(parent, Perms.CREATE);
    const path = sequential ? req.path + sequenceSuffix(parent.cversion) : req.path;
    if (!isValidPath(path)) fail(Err.BADARGUMENTS);
    if (this.view(path)) fail(Err.NODEEXISTS);
    if (isEphemeral(parent.ephemeralOwner)) fail(Err.NOCHILDRENFOREPHEMERALS);
    const ephemeralOwner =
      flags === CreateFlag.EPHEMERAL || flags === CreateFlag.EPHEMERAL_SEQUENTIAL
        ? this.who.sessionId
        : flags === CreateFlag.CONTAINER
          ? CONTAINER_OWNER
          : isTtl
            ? ttlOwner(req.ttl)
            : 0n;
    const parentCVersion = parent.cversion + 1;
    this.pending.set(parentPath, { ...parent, cversion: parentCVersion, numChildren: parent.numChildren + 1 });
    this.pending.set(path, { version: 0, cversion: 0, aversion: 0, ephemeralOwner, numChildren: 0, acl });
    return { type: 'create', path, data: req.data, acl, ephemeralOwner, parentCVersion };
  }

  delete(req: PathVersion): TxnBody {
    if (!isValidPath(req.path) || SPECIAL_PATHS.has(req.path)) fail(Err.BADARGUMENTS);
    const parentPath = parentOf(req.path);
    const parent = this.view(parentPath) ?? fail(Err.NONODE);
    this.require(parent, Perms.DELETE);
    const node = this.view(req.path) ?? fail(Err.NONODE);
    checkVersion(req.version, node.version);
    if (node.numChildren > 0) fail(Err.NOTEMPTY);
    this.pending.set(req.path, null);
    this.pending.set(parentPath, { ...parent, numChildren: parent.numChildren - 1 });
    return { type: 'delete', path: req.path };
  }

  setData(req: SetDataRequest): TxnBody {
    const node = this.existing(req.path);
    this.require(node, Perms.WRITE);
    const version = checkVersion(req.version, node.version);
    this.pending.set(req.path, { ...node, version });
    return { type: 'setData', path: req.path, data: req.data, version };
  }

  setAcl(req: SetAclRequest): TxnBody {
    if (!isValidPath(req.path)) fail(Err.BADARGUMENTS);
    const acl = fixupAcl(req.acl, this.who.ids) ?? fail(Err.INVALIDACL);
    const node = this.existing(req.path);
    this.require(node, Perms.ADMIN);
    const version = checkVersion(req.version, node.aversion);
    this.pending.set(req.path, { ...node, acl, aversion: version });
    return { type: 'setACL', path: req.path, acl, version };
  }

  check(req: PathVersion): TxnBody {
    const node = this.existing(req.path);
    this.require(node, Perms.READ);
    checkVersion(req.version, node.version);
    return { type: 'check', path: req.path };
  }

  private existing(path: string): NodeView {
    if (!isValidPath(path)) fail(Err.BADARGUMENTS);
    return this.view(path) ?? fail(Err.NONODE);
  }

  private require(node: NodeView, perm: number): void {
    if (!allowed(node.acl, this.who.ids, perm)) fail(Err.NOAUTH);
  }

  private view(path: string): NodeView | undefined {
    const pending = this.pending.get(path);
    if (pending !== undefined) return pending ?? undefined;
    const node = this.tree.get(path);
    if (!node) return undefined;
    return {
      version: node.version,
      cversion: node.cversion,
      aversion: node.aversion,
      ephemeralOwner: node.ephemeralOwner,
      numChildren: node.children.size,
      acl: node.acl,
    };
  }
}

function checkVersion(expected: number, current: number): number {
  if (expected !== -1 && expected !== current) fail(Err.BADVERSION);
  return current + 1;
}

function fail(code: ErrCode): never {
  throw new KeeperError(code);
}
