import { readCreateRequest } from '../jute/records.js';
import { writeStat } from '../tree/stat.js';
import { OpCode } from '../protocol/codes.js';
import type { Znode } from '../tree/znode.js';
import type { TxnBody } from '../txn/txn.js';
import type { BodyWriter, OpHandler } from './op-request.js';

/** create (1), create2 (15), createContainer (19), createTTL (21). */
export const create: OpHandler = (op, r) => {
  const req = readCreateRequest(r, op.type === OpCode.createTTL);
  op.write(
    (p) => p.create(op.type, req),
    (body) => createAnswer(op.type, body, op.tree.get((body as { path: string }).path)!),
  );
};

/** create answers the created path; the other create ops add the new node's Stat. */
export function createAnswer(type: number, body: TxnBody, node: Znode): BodyWriter {
  const path = (body as { path: string }).path;
  if (type === OpCode.create) return (w) => w.ustring(path);
  return (w) => {
    w.ustring(path);
    writeStat(w, node);
  };
}
