import { isUtf8 } from 'node:buffer';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits input bytes into lines as Java's BufferedReader.readLine does: `\n`, `\r` and `\r\n`
 * all end a line, and a last line without a terminator still counts. Lines are views of the
 * input chunks (only a line spanning two chunks is copied), so the common case of a line that
 * becomes a record value costs no decoding or copying. A `\r` at the end of a chunk waits for
 * the next one, which may start with its `\n`.
 */
export class LineSplitter {
  private rest: Buffer | null = null;
  private pendingCr = false;
  /** Whether every line the last `push` or `end` returned is valid UTF-8 (checked per chunk, not per line). */
  utf8 = true;

  push(chunk: Buffer): Buffer[] {
    let start = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (chunk[0] === LF) start = 1;
    }
    const lines: Buffer[] = [];
    const hasCr = chunk.indexOf(CR, start) >= 0;
    let pos = start;
    let viewsFrom = start;
    this.utf8 = true;
    for (;;) {
      const end = hasCr ? nextTerminator(chunk, pos) : chunk.indexOf(LF, pos);
      if (end < 0) break;
      if (this.rest === null) lines.push(chunk.subarray(pos, end));
      else {
        const joined = Buffer.concat([this.rest, chunk.subarray(pos, end)]);
        this.rest = null;
        this.utf8 = isUtf8(joined);
        lines.push(joined);
        viewsFrom = end;
      }
      pos = end + 1;
      if (chunk[end] === CR) {
        if (pos === chunk.length) this.pendingCr = true;
        else if (chunk[pos] === LF) pos++;
      }
    }
    this.utf8 &&= isUtf8(chunk.subarray(viewsFrom, pos));
    if (pos < chunk.length) {
      const tail = chunk.subarray(pos);
      this.rest = this.rest === null ? tail : Buffer.concat([this.rest, tail]);
    }
    return lines;
  }

  /** The unterminated last line at end of input, if any. */
  end(): Buffer[] {
    const last = this.rest;
    this.rest = null;
    this.utf8 = last === null || isUtf8(last);
    return last === null ? [] : [last];
  }
}

function nextTerminator(chunk: Buffer, from: number): number {
  for (let i = from; i < chunk.length; i++) {
    const b = chunk[i];
    if (b === LF || b === CR) return i;
  }
  return -1;
}
