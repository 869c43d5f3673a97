/**
 * One entry of a `.txnindex` (Kafka's AbortedTxn), 34 bytes big-endian: int16 version (0), int64
 * producer id, int64 first offset, int64 last offset (the ABORT marker's), int64 last stable offset
 * at the time of the abort. The broker writes these; dump-log prints them.
 */
export const ABORTED_TXN_SIZE = 34;
export const ABORTED_TXN_VERSION = 0;

export interface AbortedTxn {
  producerId: bigint;
  firstOffset: bigint;
  lastOffset: bigint;
  lastStableOffset: bigint;
}

export function encodeAbortedTxn(txn: AbortedTxn): Buffer {
  const buf = Buffer.allocUnsafe(ABORTED_TXN_SIZE);
  buf.writeInt16BE(ABORTED_TXN_VERSION, 0);
  buf.writeBigInt64BE(txn.producerId, 2);
  buf.writeBigInt64BE(txn.firstOffset, 10);
  buf.writeBigInt64BE(txn.lastOffset, 18);
  buf.writeBigInt64BE(txn.lastStableOffset, 26);
  return buf;
}

/**
 * The entry at `at`. Its version is the first byte, as Kafka's AbortedTxn.version() reads it (the
 * int16's high byte, which is the version while it stays below 256).
 */
export function decodeAbortedTxn(buf: Buffer, at: number): AbortedTxn & { version: number } {
  return {
    version: buf.readInt8(at),
    producerId: buf.readBigInt64BE(at + 2),
    firstOffset: buf.readBigInt64BE(at + 10),
    lastOffset: buf.readBigInt64BE(at + 18),
    lastStableOffset: buf.readBigInt64BE(at + 26),
  };
}
