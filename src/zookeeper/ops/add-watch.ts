import { AddWatchMode, Err, KeeperError } from '../protocol/codes.js';
import { isValidPath } from '../protocol/path.js';
import type { OpHandler } from './op-request.js';

/** addWatch (106): a persistent or persistent-recursive watch. */
export const addWatch: OpHandler = (op, r) => {
  const path = r.ustring();
  const mode = r.int32();
  op.attempt(() => {
    if (!isValidPath(path) || (mode !== AddWatchMode.PERSISTENT && mode !== AddWatchMode.PERSISTENT_RECURSIVE)) {
      throw new KeeperError(Err.BADARGUMENTS);
    }
    op.server.watches.add(mode === AddWatchMode.PERSISTENT ? 'persistent' : 'recursive', path, op.conn);
    return (w) => w.int32(0);
  });
};
