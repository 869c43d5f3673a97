import { writeAcl } from '../jute/records.js';
import { writeStat } from '../tree/stat.js';
import { Perms } from '../protocol/codes.js';
import { allowed, redactDigests } from '../tree/acl.js';
import type { OpHandler } from './op-request.js';

/** getACL (6): digests are shown only to a session with ADMIN on the node. */
export const getAcl: OpHandler = (op, r) => {
  const path = r.ustring();
  op.attempt(() => {
    const node = op.readable(path, Perms.READ | Perms.ADMIN);
    const acl = allowed(node.acl, op.conn.ids, Perms.ADMIN) ? node.acl : redactDigests(node.acl);
    return (w) => {
      w.vector(acl, writeAcl);
      writeStat(w, node);
    };
  });
};
