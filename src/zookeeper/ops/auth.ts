import { readAuthPacket } from '../jute/records.js';
import { Err, Xid } from '../protocol/codes.js';
import { digestId } from '../tree/acl.js';
import type { OpHandler } from './op-request.js';

/** auth (100): adds a digest id to the session; any other scheme fails and closes, as ZooKeeper does. */
export const auth: OpHandler = (op, r) => {
  const packet = readAuthPacket(r);
  const { conn } = op;
  if (packet.scheme !== 'digest' || !packet.auth.includes(0x3a)) {
    conn.reply(Xid.auth, 0, Err.AUTHFAILED);
    return conn.closeAfterOutput();
  }
  const id = digestId(packet.auth.toString('utf8'));
  if (!conn.ids.some((i) => i.scheme === 'digest' && i.id === id)) conn.ids.push({ scheme: 'digest', id });
  conn.reply(Xid.auth, 0, Err.OK);
};
