import { ErrorCode } from '../../protocol/errors.js';
import { RecordsError } from '../../protocol/records/errors.js';
import type { RecordView } from './record-view.js';

/** Gets each record; returning false stops the walk. */
export type RecordVisitor = (record: RecordView) => boolean;

// The consumer's hottest loop: the read position lives in a module variable, set and consumed
// within one walkRecords call, as in protocol/records/record.ts's skipRecords (measured faster
// than a cursor object).
let at = 0;

function corrupt(message: string): RecordsError {
  return new RecordsError(ErrorCode.CORRUPT_MESSAGE, message);
}

function varint(buf: Buffer, end: number): number {
  let raw = 0;
  for (let shift = 0; ; shift += 7) {
    if (at >= end) throw corrupt(`varint runs past its record at offset ${at}`);
    const byte = buf[at++]!;
    if (shift === 28 && byte > 0x0f) throw corrupt(`varint longer than 32 bits at offset ${at}`);
    raw |= (byte & 0x7f) << shift;
    if (byte < 0x80) return (raw >>> 1) ^ -(raw & 1);
  }
}

function skipVarlong(buf: Buffer, end: number): void {
  for (let n = 0; ; n++) {
    if (at >= end) throw corrupt(`timestamp delta runs past its record at offset ${at}`);
    const byte = buf[at++]!;
    if (n === 9 && byte > 0x01) throw corrupt(`varlong longer than 64 bits at offset ${at}`);
    if (byte < 0x80) return;
  }
}

/** Reads a length (-1 for null when `min` allows it) and skips that many bytes; returns the length. */
function skipBytes(buf: Buffer, end: number, min: number): number {
  const n = varint(buf, end);
  if (n < min || n > end - at) throw corrupt(`invalid length ${n} at offset ${at}`);
  if (n > 0) at += n;
  return n;
}

/**
 * Walks `count` records of a v2 batch body (`buf[start, end)`, decompressed), pointing `view` at
 * each one whose offset delta is at least `minOffsetDelta` and handing it to `visit`. The structure
 * of every record is checked, so the view's lazy fields cannot run past it. Returns false when
 * `visit` stopped the walk.
 */
export function walkRecords(
  buf: Buffer,
  start: number,
  end: number,
  count: number,
  minOffsetDelta: number,
  view: RecordView,
  visit: RecordVisitor,
): boolean {
  at = start;
  view.buf = buf;
  for (let i = 0; i < count; i++) {
    const size = varint(buf, end);
    if (size <= 0 || size > end - at) throw corrupt(`invalid record length ${size} at offset ${at}`);
    const recordEnd = at + size;
    at++; // attributes: none defined
    const timestampAt = at;
    skipVarlong(buf, recordEnd);
    const offsetDelta = varint(buf, recordEnd);
    const keyLength = skipBytes(buf, recordEnd, -1);
    const keyAt = at - Math.max(0, keyLength);
    const valueLength = skipBytes(buf, recordEnd, -1);
    const valueAt = at - Math.max(0, valueLength);
    const headerCount = varint(buf, recordEnd);
    if (headerCount < 0) throw corrupt(`invalid header count ${headerCount} at offset ${at}`);
    const headersAt = at;
    for (let h = 0; h < headerCount; h++) {
      skipBytes(buf, recordEnd, 0);
      skipBytes(buf, recordEnd, -1);
    }
    if (at !== recordEnd) throw corrupt(`record length does not match its fields at offset ${at}`);
    if (offsetDelta < minOffsetDelta) continue;
    view.offsetDelta = offsetDelta;
    view.timestampAt = timestampAt;
    view.keyAt = keyAt;
    view.keyLength = keyLength;
    view.valueAt = valueAt;
    view.valueLength = valueLength;
    view.headersAt = headersAt;
    view.headerCount = headerCount;
    view.end = recordEnd;
    if (!visit(view)) return false;
  }
  if (at !== end) throw corrupt(`bytes left over after ${count} records at offset ${at}`);
  return true;
}
