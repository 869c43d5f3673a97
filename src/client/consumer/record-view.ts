import type { RecordHeader } from '../../protocol/records/record.js';
import { readVarint, readVarlong } from '../../protocol/records/varint.js';
import type { ConsumerRecord, TimestampType } from './consumer-record.js';

const EMPTY = Buffer.alloc(0);

/**
 * One record of a v2 batch, read in place: the walker (record-walker.ts) sets positions, and
 * fields are decoded only when asked for, so a formatter printing values alone never builds
 * offsets, timestamps or headers. One view is reused for every record of a fetch.
 */
export class RecordView implements ConsumerRecord {
  topic = '';
  partition = 0;
  /** Batch fields. */
  baseOffset = 0n;
  baseTimestamp = 0n;
  /** The batch's maxTimestamp when it uses LogAppendTime: every record reports it. */
  logAppendTime: bigint | null = null;
  /** Record fields: positions in `buf`, lengths -1 for null. */
  buf: Buffer = EMPTY;
  offsetDelta = 0;
  timestampAt = 0;
  keyAt = 0;
  keyLength = -1;
  valueAt = 0;
  valueLength = -1;
  headersAt = 0;
  headerCount = 0;
  end = 0;

  get offset(): string {
    return String(this.baseOffset + BigInt(this.offsetDelta));
  }

  get timestamp(): string {
    if (this.logAppendTime !== null) return String(this.logAppendTime);
    return String(this.baseTimestamp + readVarlong({ buf: this.buf, pos: this.timestampAt, end: this.end }));
  }

  get timestampType(): TimestampType {
    return this.logAppendTime === null ? 'CreateTime' : 'LogAppendTime';
  }

  get key(): Buffer | null {
    return this.keyLength < 0 ? null : this.buf.subarray(this.keyAt, this.keyAt + this.keyLength);
  }

  get value(): Buffer | null {
    return this.valueLength < 0 ? null : this.buf.subarray(this.valueAt, this.valueAt + this.valueLength);
  }

  /** Decoded on each call; the walker has already checked that they fit the record. */
  get headers(): RecordHeader[] {
    const headers: RecordHeader[] = [];
    const c = { buf: this.buf, pos: this.headersAt, end: this.end };
    for (let i = 0; i < this.headerCount; i++) {
      const keyLength = readVarint(c);
      const key = this.buf.toString('utf8', c.pos, c.pos + keyLength);
      c.pos += keyLength;
      const valueLength = readVarint(c);
      const value = valueLength < 0 ? null : this.buf.subarray(c.pos, c.pos + valueLength);
      c.pos += Math.max(0, valueLength);
      headers.push({ key, value });
    }
    return headers;
  }
}
