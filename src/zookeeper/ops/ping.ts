import { Err, Xid } from '../protocol/codes.js';
import type { OpHandler } from './op-request.js';

/** ping (11): keeps the session alive; answered with the ping xid. */
export const ping: OpHandler = (op) => op.conn.reply(Xid.ping, op.server.db.lastZxid, Err.OK);
