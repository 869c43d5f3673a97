import { Err, KeeperError, OpCode } from '../protocol/codes.js';
import type { OpHandler } from './op-request.js';

/** checkWatches (17) and removeWatches (18): NOWATCHER when the session has no such watch. */
export const removeWatches: OpHandler = (op, r) => {
  const path = r.ustring();
  const watcherType = r.int32();
  op.attempt(() => {
    if (!op.server.watches.remove(op.conn, path, watcherType, op.type === OpCode.checkWatches)) {
      throw new KeeperError(Err.NOWATCHER);
    }
    return undefined;
  });
};
