import { isUtf8 } from 'node:buffer';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits input bytes into lines as Java's BufferedReader.readLine does: `\n`, `\r` and `\r\n`
 * all end a line, and a last line without a terminator still counts. `push` takes a chunk,
 * `nextLine` then moves through its lines one at a time, as ranges of the chunk (only a line
 * spanning chunks is copied): the common case of a line that becomes a record value costs no
 * decoding or copying, and no line outlives its turn (a list of a chunk's lines would keep
 * thousands of views alive across garbage collections). A line is valid as long as its chunk
 * (InputChunks may reuse a chunk's memory for the next one), so the unfinished tail of a chunk is
 * kept as a copy. A `\r` at the end of a chunk waits for the next one, which may start with its
 * `\n`.
 */
export class LineSplitter {
  private chunk: Buffer = Buffer.alloc(0);
  /** Where the next line starts, and the end of the chunk's terminated lines. */
  private pos = 0;
  private linesEnd = 0;
  private hasCr = false;
  /** The chunk's first line when earlier chunks began it. */
  private joined: Buffer | null = null;
  /** The unterminated line so far (a copy). */
  private rest: Buffer | null = null;
  private pendingCr = false;
  /** Whether every line of the last `push` (or `end`) is valid UTF-8 (checked per chunk, not per line). */
  utf8 = true;
  /** The line nextLine() moved to: a range of the chunk, or a copy joining chunks. */
  lineSource: Buffer = this.chunk;
  lineStart = 0;
  lineEnd = 0;

  /** Takes the next chunk; the lines of the previous one must have been taken with `nextLine`. */
  push(chunk: Buffer): void {
    let start = 0;
    // An empty chunk leaves a pending `\r` pending: its `\n` may still come.
    if (this.pendingCr && chunk.length > 0) {
      this.pendingCr = false;
      if (chunk[0] === LF) start = 1;
    }
    this.chunk = chunk;
    this.hasCr = chunk.indexOf(CR, start) >= 0;
    const lastEnd = this.hasCr ? Math.max(chunk.lastIndexOf(LF), chunk.lastIndexOf(CR)) : chunk.lastIndexOf(LF);
    this.utf8 = true;
    if (lastEnd < start) {
      // No terminator: all of it continues the unfinished line.
      this.pos = this.linesEnd = 0;
      if (start < chunk.length) this.keep(chunk.subarray(start));
      return;
    }
    this.pos = start;
    this.linesEnd = lastEnd + 1;
    if (this.rest !== null) {
      const end = this.terminatorFrom(start);
      this.joined = Buffer.concat([this.rest, chunk.subarray(start, end)]);
      this.rest = null;
      this.utf8 = isUtf8(this.joined);
      this.pos = this.after(end);
    }
    this.utf8 &&= isUtf8(chunk.subarray(this.pos, this.linesEnd));
    if (chunk[lastEnd] === CR && lastEnd === chunk.length - 1) this.pendingCr = true;
    if (this.linesEnd < chunk.length) this.keep(chunk.subarray(this.linesEnd));
  }

  /**
   * Moves to the next line of the chunk, which is then `lineSource[lineStart, lineEnd)`; false
   * once they were all taken. Where a line is only needed as bytes to copy, this spares making
   * a view of it.
   */
  nextLine(): boolean {
    const joined = this.joined;
    if (joined !== null) {
      this.joined = null;
      this.lineSource = joined;
      this.lineStart = 0;
      this.lineEnd = joined.length;
      return true;
    }
    const pos = this.pos;
    if (pos >= this.linesEnd) return false;
    const end = this.terminatorFrom(pos);
    this.pos = this.after(end);
    this.lineSource = this.chunk;
    this.lineStart = pos;
    this.lineEnd = end;
    return true;
  }

  /** The line nextLine() moved to, as a view. */
  line(): Buffer {
    return this.lineSource.subarray(this.lineStart, this.lineEnd);
  }

  /** The unterminated last line at end of input, if any. */
  end(): Buffer | undefined {
    const last = this.rest;
    this.rest = null;
    this.utf8 = last === null || isUtf8(last);
    return last ?? undefined;
  }

  private keep(tail: Buffer): void {
    this.rest = this.rest === null ? Buffer.from(tail) : Buffer.concat([this.rest, tail]);
  }

  private terminatorFrom(pos: number): number {
    const chunk = this.chunk;
    if (!this.hasCr) return chunk.indexOf(LF, pos);
    for (let i = pos; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === LF || b === CR) return i;
    }
    return -1;
  }

  /** Where the line after the terminator at `end` starts (past a `\r\n` pair). */
  private after(end: number): number {
    return this.chunk[end] === CR && this.chunk[end + 1] === LF ? end + 2 : end + 1;
  }
}
