import { Err, KeeperError } from '../protocol/codes.js';
import { isValidPath } from '../protocol/path.js';
import type { OpHandler } from './op-request.js';

/** sync (9): a standalone server is always in sync; answers the path. */
export const sync: OpHandler = (op, r) => {
  const path = r.ustring();
  op.attempt(() => {
    if (!isValidPath(path)) throw new KeeperError(Err.BADARGUMENTS);
    return (w) => w.ustring(path);
  });
};
