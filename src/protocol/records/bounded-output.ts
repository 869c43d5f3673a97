import { ErrorCode } from '../errors.js';
import { RecordsError } from './errors.js';

export function exceedsLimit(limit: number): RecordsError {
  return new RecordsError(ErrorCode.CORRUPT_MESSAGE, `decompressed data exceeds the ${limit}-byte limit`);
}

/**
 * Collects decompressed chunks and refuses to grow past a caller-given size, so a small
 * hostile payload (a decompression bomb) cannot exhaust memory.
 */
export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  length = 0;

  constructor(readonly limit: number) {}

  /** Throws unless `n` more bytes fit. */
  reserve(n: number): void {
    if (n > this.limit - this.length) throw exceedsLimit(this.limit);
  }

  push(chunk: Buffer): void {
    this.reserve(chunk.length);
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The last `n` bytes written (fewer if there are not that many). */
  tail(n: number): Buffer {
    const parts: Buffer[] = [];
    let need = n;
    for (let i = this.chunks.length - 1; i >= 0 && need > 0; i--) {
      const chunk = this.chunks[i]!;
      parts.unshift(chunk.length > need ? chunk.subarray(chunk.length - need) : chunk);
      need -= chunk.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  result(): Buffer {
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
  }
}
