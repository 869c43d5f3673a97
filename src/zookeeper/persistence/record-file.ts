import { crc32c } from '../../protocol/records/crc.js';

/**
 * Framing shared by the log and snapshots: `int32 length | uint32 crc32c | payload`. A record that
 * is cut short or fails its checksum marks the end of what was durably written.
 */
export const RECORD_HEADER = 8;

export function recordHeader(payload: readonly Buffer[]): Buffer {
  let length = 0;
  let crc = 0;
  for (const chunk of payload) {
    length += chunk.length;
    crc = crc32c(chunk, crc);
  }
  const header = Buffer.allocUnsafe(RECORD_HEADER);
  header.writeInt32BE(length, 0);
  header.writeUInt32BE(crc, 4);
  return header;
}

/** The payloads of the intact records of `buf` from `start`, and where the intact part ends. */
export function readRecords(buf: Buffer, start: number): { payloads: Buffer[]; end: number } {
  const payloads: Buffer[] = [];
  let pos = start;
  while (pos + RECORD_HEADER <= buf.length) {
    const length = buf.readInt32BE(pos);
    const end = pos + RECORD_HEADER + length;
    if (length < 0 || end > buf.length) break;
    const payload = buf.subarray(pos + RECORD_HEADER, end);
    if (crc32c(payload) !== buf.readUInt32BE(pos + 4)) break;
    payloads.push(payload);
    pos = end;
  }
  return { payloads, end: pos };
}
