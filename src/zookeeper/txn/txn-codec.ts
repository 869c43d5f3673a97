import { readAcl, writeAcl } from '../jute/records.js';
import type { JuteReader } from '../jute/reader.js';
import type { JuteWriter } from '../jute/writer.js';
import { OpCode } from '../protocol/codes.js';
import { ProtocolError } from '../../protocol/primitives/protocol-error.js';
import type { Txn, TxnBody } from './txn.js';

/**
 * The txn record of the log: jute-encoded like ZooKeeper's TxnHeader + txn, tagged with the op
 * code of the change (our own layout; ZooKeeper's files are not read or written).
 */
export function writeTxn(w: JuteWriter, txn: Txn): void {
  w.long(txn.zxid);
  w.long(txn.time);
  writeBody(w, txn.body);
}

export function readTxn(r: JuteReader): Txn {
  return { zxid: r.long(), time: r.long(), body: readBody(r) };
}

function writeBody(w: JuteWriter, body: TxnBody): void {
  switch (body.type) {
    case 'create':
      w.int32(OpCode.create);
      w.ustring(body.path);
      w.buffer(body.data);
      w.vector(body.acl, writeAcl);
      w.long(body.ephemeralOwner);
      w.int32(body.parentCVersion);
      return;
    case 'delete':
      w.int32(OpCode.delete);
      w.ustring(body.path);
      return;
    case 'setData':
      w.int32(OpCode.setData);
      w.ustring(body.path);
      w.buffer(body.data);
      w.int32(body.version);
      return;
    case 'setACL':
      w.int32(OpCode.setACL);
      w.ustring(body.path);
      w.vector(body.acl, writeAcl);
      w.int32(body.version);
      return;
    case 'check':
      w.int32(OpCode.check);
      w.ustring(body.path);
      return;
    case 'createSession':
      w.int32(OpCode.createSession);
      w.long(body.sessionId);
      w.int32(body.timeout);
      w.buffer(body.passwd);
      return;
    case 'closeSession':
      w.int32(OpCode.closeSession);
      w.long(body.sessionId);
      return;
    case 'error':
      w.int32(OpCode.error);
      w.int32(body.err);
      return;
    case 'multi':
      w.int32(OpCode.multi);
      w.vector(body.ops, writeBody);
      return;
  }
}

function readBody(r: JuteReader): TxnBody {
  const type = r.int32();
  switch (type) {
    case OpCode.create:
      return {
        type: 'create',
        path: r.ustring(),
        data: r.buffer(),
        acl: r.vector(readAcl),
        ephemeralOwner: r.int64(),
        parentCVersion: r.int32(),
      };
    case OpCode.delete:
      return { type: 'delete', path: r.ustring() };
    case OpCode.setData:
      return { type: 'setData', path: r.ustring(), data: r.buffer(), version: r.int32() };
    case OpCode.setACL:
      return { type: 'setACL', path: r.ustring(), acl: r.vector(readAcl), version: r.int32() };
    case OpCode.check:
      return { type: 'check', path: r.ustring() };
    case OpCode.createSession:
      return { type: 'createSession', sessionId: r.int64(), timeout: r.int32(), passwd: r.buffer() };
    case OpCode.closeSession:
      return { type: 'closeSession', sessionId: r.int64() };
    case OpCode.error:
      return { type: 'error', err: r.int32() };
    case OpCode.multi:
      return { type: 'multi', ops: r.vector(readBody) };
    default:
      throw new ProtocolError('INVALID_VALUE', `unknown txn type ${type}`);
  }
}
