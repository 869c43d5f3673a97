import { close, read } from 'node:fs';

/**
 * Input bytes as the console producer reads them: chunks that are only valid until the next one is
 * asked for (the reader may reuse their memory), and `destroy` to stop reading early. A Readable
 * stream fits this too.
 */
export interface InputChunks extends AsyncIterable<Buffer> {
  destroy(): void;
}

/**
 * A regular file read in chunks of `chunkBytes` into two buffers used in turn: the next chunk is
 * read while the caller works on the current one, and no fresh memory is touched per chunk (a
 * Readable stream allocates each chunk anew; the first touch of 100 MB of fresh pages cost more
 * system time than the reading itself). Only for regular files, whose reads always complete: a
 * pipe or terminal is read as a stream, which `destroy` can interrupt. Closes the descriptor at the
 * end when `closeAtEnd`.
 */
export class FileChunks implements InputChunks {
  private stopped = false;

  constructor(
    private readonly fd: number,
    private readonly chunkBytes: number,
    private readonly closeAtEnd: boolean,
  ) {}

  destroy(): void {
    this.stopped = true;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    const buffers = [Buffer.allocUnsafe(this.chunkBytes), Buffer.allocUnsafe(this.chunkBytes)] as const;
    let current = 0;
    let next = readInto(this.fd, buffers[0]);
    try {
      while (!this.stopped) {
        const n = await next;
        if (n === 0) return;
        const chunk = buffers[current]!.subarray(0, n);
        current ^= 1;
        next = readInto(this.fd, buffers[current]!);
        yield chunk;
      }
    } finally {
      // The read ahead must finish before its buffer and descriptor go; its result no longer matters.
      await next.catch(() => 0);
      if (this.closeAtEnd) close(this.fd, () => {});
    }
  }
}

function readInto(fd: number, buffer: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, buffer.length, null, (err, n) => (err ? reject(err) : resolve(n)));
  });
}
