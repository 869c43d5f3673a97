import type { JuteReader } from './jute/reader.js';
import type { Connection } from './network/connection.js';
import { OPS } from './ops/ops.js';
import { OpRequest, type RequestContext } from './ops/op-request.js';
import { Err } from './protocol/codes.js';

/** FinalRequestProcessor: answers one request of an established session with its op's handler (ops/). */
export function handleRequest(ctx: RequestContext, conn: Connection, xid: number, type: number, r: JuteReader): void {
  const op = new OpRequest(ctx, conn, xid, type);
  const handler = OPS.get(type);
  if (handler === undefined) return op.reply(Err.UNIMPLEMENTED);
  handler(op, r);
}
