import { readPathWatch } from '../jute/records.js';
import { writeStat } from '../tree/stat.js';
import { Perms } from '../protocol/codes.js';
import type { BodyWriter, OpHandler, OpRequest } from './op-request.js';

/** getData (4). */
export const getData: OpHandler = (op, r) => {
  const { path, watch } = readPathWatch(r);
  op.attempt(() => dataOf(op, path, watch));
};

/** The node's data and Stat (with a data watch when asked); multiRead uses it too. */
export function dataOf(op: OpRequest, path: string, watch: boolean): BodyWriter {
  const node = op.readable(path, Perms.READ);
  if (watch) op.server.watches.add('data', path, op.conn);
  return (w) => {
    w.buffer(node.data);
    writeStat(w, node);
  };
}
