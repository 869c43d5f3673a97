import { BATCH } from '../../protocol/records/batch-header.js';

/** Why a walk over a segment file ended. */
export type WalkEnd =
  /** every batch up to the limit was visited */
  | 'end'
  /** the visitor asked to stop at this batch */
  | 'stopped'
  /** a batch runs past the limit (a torn write) */
  | 'torn'
  /** a batch length smaller than a header: nothing after it can be trusted */
  | 'corrupt';

/**
 * Sees one batch: its bytes start at `buf[at]` (the 61-byte header always, the whole batch when
 * walking with `wholeBatches`), `position` is its place in the file, `size` its total length.
 * Returning false stops the walk at this batch.
 */
export type BatchVisitor = (buf: Buffer, at: number, position: number, size: number) => boolean | void;

/** Reads up to `length` bytes at file `position` into `buf` at `at`; fewer only when the file ends first. */
export interface FileReader {
  read(buf: Buffer, position: number, length?: number, at?: number): number;
}

/** Chunk size: a few syscalls per MB while staying small next to a fetch response. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Walks the batches stored in `file` between `from` and `limit` (file positions), reading the file in
 * chunks rather than one syscall per batch. Without `wholeBatches` only headers are read, so bodies
 * of large batches are skipped, not read. Returns where and why it stopped.
 */
export function walkBatches(
  file: FileReader,
  from: number,
  limit: number,
  visit: BatchVisitor,
  wholeBatches = false,
): { position: number; end: WalkEnd } {
  const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(limit - from, BATCH.HEADER_SIZE)));
  let position = from;
  while (position < limit) {
    const filled = file.read(chunk, position, Math.min(chunk.length, limit - position));
    if (filled < BATCH.LOG_OVERHEAD) return { position, end: 'torn' };
    let at = 0;
    while (at + BATCH.LOG_OVERHEAD <= filled) {
      const size = BATCH.LOG_OVERHEAD + chunk.readInt32BE(at + BATCH.LENGTH);
      if (size < BATCH.HEADER_SIZE) return { position: position + at, end: 'corrupt' };
      if (position + at + size > limit) return { position: position + at, end: 'torn' };
      const needed = wholeBatches ? size : BATCH.HEADER_SIZE;
      if (at + needed > filled) {
        if (at > 0) break; // refill starting at this batch
        // A batch bigger than the chunk: only a whole-batch walk needs a buffer of its own.
        const own = Buffer.allocUnsafe(size);
        if (file.read(own, position) < size) return { position, end: 'torn' };
        if (visit(own, 0, position, size) === false) return { position, end: 'stopped' };
        at = size;
        break;
      }
      if (visit(chunk, at, position + at, size) === false) return { position: position + at, end: 'stopped' };
      at += size;
    }
    position += at;
  }
  return { position, end: 'end' };
}
