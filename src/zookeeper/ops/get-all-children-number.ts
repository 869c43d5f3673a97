import { Perms } from '../protocol/codes.js';
import type { OpHandler } from './op-request.js';

/** getAllChildrenNumber (104): how many nodes lie below the path. */
export const getAllChildrenNumber: OpHandler = (op, r) => {
  const path = r.ustring();
  op.attempt(() => {
    op.readable(path, Perms.READ);
    const count = op.tree.descendantCount(path);
    return (w) => w.int32(count);
  });
};
