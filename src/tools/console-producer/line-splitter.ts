/**
 * Splits decoded text into lines as Java's BufferedReader.readLine does: `\n`, `\r` and `\r\n`
 * all end a line, and a last line without a terminator still counts. A `\r` at the end of a
 * chunk waits for the next one, which may start with its `\n`.
 */
export class LineSplitter {
  private rest = '';
  private pendingCr = false;

  push(chunk: string): string[] {
    let text = chunk;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    text = this.rest + text;
    const lines = text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
    if (text.endsWith('\r')) {
      // split left an empty string after the final \r: that line is complete, the \n may follow.
      this.pendingCr = true;
    }
    this.rest = lines.pop()!;
    return lines;
  }

  /** The unterminated last line at end of input, if any. */
  end(): string[] {
    const last = this.rest;
    this.rest = '';
    return last === '' ? [] : [last];
  }
}
