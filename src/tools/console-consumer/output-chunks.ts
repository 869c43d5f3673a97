import type { ConsumedRecord } from '../common/consumed-record.js';

/**
 * Output of one fetched batch, built in memory and written once. Text parts are joined as a
 * string and only raw record bytes become separate buffers, so binary data passes unchanged.
 */
export class OutputChunks {
  private readonly buffers: Buffer[] = [];
  private pending = '';

  text(part: string): void {
    this.pending += part;
  }

  bytes(part: Buffer): void {
    if (this.pending !== '') {
      this.buffers.push(Buffer.from(this.pending));
      this.pending = '';
    }
    this.buffers.push(part);
  }

  get empty(): boolean {
    return this.pending === '' && this.buffers.length === 0;
  }

  /** Everything added so far as one buffer; the chunks are empty afterwards. */
  take(): Buffer {
    if (this.pending !== '') this.buffers.push(Buffer.from(this.pending));
    const out = this.buffers.length === 1 ? this.buffers[0]! : Buffer.concat(this.buffers);
    this.buffers.length = 0;
    this.pending = '';
    return out;
  }
}

/** Renders one record into the batch output. */
export type RecordFormatter = (record: ConsumedRecord, out: OutputChunks) => void;
