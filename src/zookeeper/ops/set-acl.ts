import { readSetAclRequest } from '../jute/records.js';
import type { OpHandler } from './op-request.js';

/** setACL (7): answers the node's new Stat. */
export const setAcl: OpHandler = (op, r) => {
  const req = readSetAclRequest(r);
  op.write(
    (p) => p.setAcl(req),
    () => op.statOf(req.path),
  );
};
