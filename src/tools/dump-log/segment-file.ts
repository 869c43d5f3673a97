import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** FileLogInputStream.HEADER_SIZE_UP_TO_MAGIC: offset, length, leader epoch and magic. */
const HEADER_SIZE_UP_TO_MAGIC = 17;
/** LegacyRecord.RECORD_OVERHEAD_V0: no entry of any format is shorter. */
const MIN_ENTRY_LENGTH = 14;
const LOG_OVERHEAD = 12;
const WINDOW_BYTES = 1 << 20;

/** One batch (or legacy entry) of a segment file, as FileLogInputStream frames it. */
export interface FileBatch {
  position: number;
  size: number;
  magic: number;
  bytes: Buffer;
}

/** A segment (or any file of batches) read with positional reads through a 1 MiB window. */
export class SegmentFile {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly size: number,
  ) {}

  static open(path: string): SegmentFile {
    const fd = openSync(path, 'r');
    return new SegmentFile(path, fd, fstatSync(fd).size);
  }

  /** `length` bytes from `position` (fewer at the end of the file). */
  read(position: number, length: number): Buffer {
    const end = Math.min(this.size, position + length);
    if (position >= this.windowStart && end <= this.windowStart + this.window.length) {
      return this.window.subarray(position - this.windowStart, end - this.windowStart);
    }
    const bytes = Buffer.allocUnsafe(Math.max(end - position, Math.min(WINDOW_BYTES, this.size - position)));
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(this.fd, bytes, read, bytes.length - read, position + read);
      if (n === 0) break;
      read += n;
    }
    this.window = bytes.subarray(0, read);
    this.windowStart = position;
    return this.window.subarray(0, Math.min(read, end - position));
  }

  /**
   * The batches from `start` up to `end` (a slice, as FileRecords.slice), stopping where the rest
   * cannot hold a whole one. A length no entry can have is an error naming the file, as Kafka's
   * CorruptRecordException.
   */
  *batches(start = 0, end = this.size): Generator<FileBatch> {
    for (let position = start; position + HEADER_SIZE_UP_TO_MAGIC < end; ) {
      const header = this.read(position, HEADER_SIZE_UP_TO_MAGIC);
      const length = header.readInt32BE(8);
      if (length < MIN_ENTRY_LENGTH) {
        throw new Error(`Found record size ${length} smaller than minimum record overhead (${MIN_ENTRY_LENGTH}) in file ${this.path}.`);
      }
      const size = length + LOG_OVERHEAD;
      if (position + size > end) return;
      yield { position, size, magic: header.readInt8(16), bytes: this.read(position, size) };
      position += size;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}
