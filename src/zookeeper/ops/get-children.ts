import { readPathWatch } from '../jute/records.js';
import { writeStat } from '../tree/stat.js';
import { OpCode, Perms } from '../protocol/codes.js';
import type { BodyWriter, OpHandler, OpRequest } from './op-request.js';

/** getChildren (8), getChildren2 (12, with the parent's Stat). */
export const getChildren: OpHandler = (op, r) => {
  const { path, watch } = readPathWatch(r);
  op.attempt(() => childrenOf(op, path, watch, op.type === OpCode.getChildren2));
};

/** The node's child names (with a child watch when asked); multiRead uses it too. */
export function childrenOf(op: OpRequest, path: string, watch: boolean, withStat: boolean): BodyWriter {
  const node = op.readable(path, Perms.READ);
  if (watch) op.server.watches.add('child', path, op.conn);
  const children = [...node.children];
  return (w) => {
    w.vector(children, (x, name) => x.ustring(name));
    if (withStat) writeStat(w, node);
  };
}
