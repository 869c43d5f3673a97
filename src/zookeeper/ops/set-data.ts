import { readSetDataRequest } from '../jute/records.js';
import type { OpHandler } from './op-request.js';

/** setData (5): answers the node's new Stat. */
export const setData: OpHandler = (op, r) => {
  const req = readSetDataRequest(r);
  op.write(
    (p) => p.setData(req),
    () => op.statOf(req.path),
  );
};
