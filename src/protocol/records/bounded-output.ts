import { ErrorCode } from '../errors.js';
import { RecordsError } from './errors.js';

/** Decompressed data would pass the caller's limit: a decompression bomb, or more than the caller allows. */
export class DecompressionLimitError extends RecordsError {
  constructor(readonly limit: number) {
    super(ErrorCode.CORRUPT_MESSAGE, `decompressed data exceeds the ${limit}-byte limit`);
    this.name = 'DecompressionLimitError';
  }
}

/**
 * Counts a decompressor's output against a caller-given limit, so a small hostile payload (a
 * decompression bomb) is refused before it is inflated past it.
 */
export class OutputLimit {
  produced = 0;

  constructor(readonly limit: number) {}

  /** Throws unless `n` more bytes fit. */
  reserve(n: number): void {
    if (n > this.limit - this.produced) throw new DecompressionLimitError(this.limit);
  }

  /** Counts `chunk` (throwing if it does not fit) and returns it. */
  take(chunk: Buffer): Buffer {
    this.reserve(chunk.length);
    this.produced += chunk.length;
    return chunk;
  }
}

/** All chunks as one buffer of its own (a decompressor may reuse a chunk's memory for the next). */
export function collect(chunks: Iterable<Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const chunk of chunks) parts.push(Buffer.from(chunk));
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
