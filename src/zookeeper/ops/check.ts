import { readPathVersion } from '../jute/records.js';
import type { OpHandler } from './op-request.js';

/** check (13) outside a multi: answered like setData in 3.8 (a SetDataResponse with the Stat). */
export const check: OpHandler = (op, r) => {
  const req = readPathVersion(r);
  op.write(
    (p) => p.check(req),
    () => op.statOf(req.path),
  );
};
