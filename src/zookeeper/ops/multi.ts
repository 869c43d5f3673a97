import type { JuteReader } from '../jute/reader.js';
import { readCreateRequest, readPathVersion, readSetDataRequest, writeMultiHeader } from '../jute/records.js';
import { writeStat } from '../tree/stat.js';
import { Err, KeeperError, OpCode } from '../protocol/codes.js';
import { CONTAINER_OWNER, ttlOf } from '../tree/znode.js';
import { Prep } from '../txn/prep.js';
import type { TxnBody } from '../txn/txn.js';
import { createAnswer } from './create.js';
import { readOps } from './multi-header.js';
import type { BodyWriter, OpHandler } from './op-request.js';

/** A write op of a multi, decoded: how to prep it and what to answer when it succeeded. */
interface MultiOp {
  type: number;
  prep: (p: Prep) => TxnBody;
}

function readMultiOp(r: JuteReader, type: number): MultiOp {
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
}

/** multi (14): all ops or none, one zxid; on failure every entry is an error result. */
export const multi: OpHandler = (op, r) => {
  const { server } = op;
  const ops = readOps(r, (type) => readMultiOp(r, type));
  const prep = new Prep(op.tree, op.who);
  const bodies: TxnBody[] = [];
  let failure: { index: number; code: number } | undefined;
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
    server.commit({ type: 'error', err: code });
    return op.reply(Err.OK, (w) => {
      ops.forEach((_, i) => {
        writeMultiHeader(w, OpCode.error, false, -1);
        w.int32(i < index ? Err.OK : i === index ? code : Err.RUNTIMEINCONSISTENCY);
      });
      writeMultiHeader(w, -1, true, -1);
    });
  }
  const results: { type: number; body: BodyWriter }[] = [];
  let i = 0;
  server.commit({ type: 'multi', ops: bodies }, (body) => {
    let type = ops[i++]!.type;
    const node = 'path' in body ? op.tree.get(body.path) : undefined;
    const snapshot = node && { ...node, children: new Set(node.children) };
    if (body.type === 'create') {
      // As Apache's: the create mode, not the opcode, decides; only containers and TTL nodes come with a Stat.
      type = body.ephemeralOwner === CONTAINER_OWNER || ttlOf(body.ephemeralOwner) !== undefined ? OpCode.create2 : OpCode.create;
      results.push({ type, body: createAnswer(type, body, snapshot!) });
    } else if (body.type === 'setData') results.push({ type, body: (w) => writeStat(w, snapshot!) });
    else results.push({ type, body: undefined });
  });
  op.reply(Err.OK, (w) => {
    for (const result of results) {
      writeMultiHeader(w, result.type, false, 0);
      result.body?.(w);
    }
    writeMultiHeader(w, -1, true, -1);
  });
};
