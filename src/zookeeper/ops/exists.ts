import { readPathWatch } from '../jute/records.js';
import { writeStat } from '../tree/stat.js';
import { Err, KeeperError } from '../protocol/codes.js';
import { isValidPath } from '../protocol/path.js';
import type { OpHandler } from './op-request.js';

/** exists (3): the Stat, or NONODE; a watch is set either way (it fires on creation too). */
export const exists: OpHandler = (op, r) => {
  const { path, watch } = readPathWatch(r);
  op.attempt(() => {
    if (!isValidPath(path)) throw new KeeperError(Err.BADARGUMENTS);
    const node = op.tree.get(path);
    if (watch) op.server.watches.add('data', path, op.conn);
    if (!node) throw new KeeperError(Err.NONODE);
    return (w) => writeStat(w, node);
  });
};
