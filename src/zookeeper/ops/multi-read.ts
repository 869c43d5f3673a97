import { readPathWatch, writeMultiHeader } from '../jute/records.js';
import { Err, KeeperError, OpCode } from '../protocol/codes.js';
import { childrenOf } from './get-children.js';
import { dataOf } from './get-data.js';
import { readOps } from './multi-header.js';
import type { OpHandler } from './op-request.js';

/** multiRead (22): getChildren/getData ops, each with its own result or error. */
export const multiRead: OpHandler = (op, r) => {
  const ops = readOps(r, (type) => {
    if (type !== OpCode.getChildren && type !== OpCode.getData) throw new Error(`op ${type} is not allowed in a multiRead`);
    return { type, ...readPathWatch(r) };
  });
  const results = ops.map((o) => {
    try {
      const body = o.type === OpCode.getData ? dataOf(op, o.path, o.watch) : childrenOf(op, o.path, o.watch, false);
      return { type: o.type, err: Err.OK as number, body };
    } catch (err) {
      if (!(err instanceof KeeperError)) throw err;
      return { type: OpCode.error as number, err: err.code as number, body: undefined };
    }
  });
  op.reply(Err.OK, (w) => {
    for (const res of results) {
      writeMultiHeader(w, res.type, false, res.err);
      if (res.type === OpCode.error) w.int32(res.err);
      else res.body?.(w);
    }
    writeMultiHeader(w, -1, true, -1);
  });
};
