import { readPathVersion } from '../jute/records.js';
import type { OpHandler } from './op-request.js';

/** delete (2). */
export const deleteNode: OpHandler = (op, r) => {
  const req = readPathVersion(r);
  op.write(
    (p) => p.delete(req),
    () => undefined,
  );
};
