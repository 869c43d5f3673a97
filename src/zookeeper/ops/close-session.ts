import { Err } from '../protocol/codes.js';
import type { OpHandler } from './op-request.js';

/** closeSession (-11): ends the session (its ephemerals go), answers, then closes the connection. */
export const closeSession: OpHandler = (op) => {
  op.server.closeSession(op.conn.sessionId!);
  op.reply(Err.OK);
  op.conn.closeAfterOutput();
};
