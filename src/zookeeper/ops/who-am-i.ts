import { Err } from '../protocol/codes.js';
import type { OpHandler } from './op-request.js';

/** whoAmI (107): the session's ids (a digest id without its hash). */
export const whoAmI: OpHandler = (op) =>
  op.reply(Err.OK, (w) =>
    w.vector(op.conn.ids, (x, id) => {
      x.ustring(id.scheme);
      x.ustring(id.scheme === 'digest' ? id.id.replace(/:.*/s, '') : id.id);
    }),
  );
