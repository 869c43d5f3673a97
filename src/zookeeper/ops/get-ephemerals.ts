import { Err } from '../protocol/codes.js';
import type { OpHandler } from './op-request.js';

/** getEphemerals (103): this session's ephemeral nodes under a path prefix, sorted. */
export const getEphemerals: OpHandler = (op, r) => {
  const prefix = r.ustring();
  const mine = [...(op.tree.ephemerals.get(op.conn.sessionId!) ?? [])].filter((p) => p.startsWith(prefix)).sort();
  op.reply(Err.OK, (w) => w.vector(mine, (x, p) => x.ustring(p)));
};
