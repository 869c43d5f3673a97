/**
 * Snappy as Kafka uses it: the xerial snappy-java stream (`SnappyOutputStream`), a 16-byte
 * header and then blocks of `int32 compressedLength, raw snappy block`. Some old clients sent a
 * single raw snappy block, so reads accept that too.
 */
import { ErrorCode } from '../errors.js';
import type { OutputLimit } from './bounded-output.js';
import { RecordsError } from './errors.js';
import { snappyLib } from './native-codecs.js';
import { Reader } from '../primitives/reader.js';

/** Magic `\x82SNAPPY\0`, version 1, minimum compatible version 1. */
const HEADER = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
const MAGIC_SIZE = 8;
/** SnappyOutputStream's default block size, which Kafka does not change. */
const BLOCK_SIZE = 32 * 1024;

function corrupt(detail: string): RecordsError {
  return new RecordsError(ErrorCode.CORRUPT_MESSAGE, `invalid snappy data: ${detail}`);
}

export function snappyCompressXerial(data: Buffer): Buffer {
  const snappy = snappyLib();
  const parts: Buffer[] = [HEADER];
  for (let pos = 0; pos < data.length; pos += BLOCK_SIZE) {
    const block = snappy.compressSync(data.subarray(pos, pos + BLOCK_SIZE));
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

function hasMagic(buf: Buffer, pos: number): boolean {
  return buf.length - pos >= MAGIC_SIZE && buf.compare(HEADER, 0, MAGIC_SIZE, pos, pos + MAGIC_SIZE) === 0;
}

/**
 * Output copied onto the V8 heap: snappy's default external buffers cost ~5x more per block in a
 * loop (V8 reacts to each one's external memory), measured on 32 KiB blocks.
 */
const UNCOMPRESS_OPTIONS = { copyOutputData: true };

/** One raw block, checked against the limit by its declared length before it is inflated. */
function rawBlock(block: Buffer, limit: OutputLimit): Buffer {
  let declared: number;
  try {
    declared = new Reader(block).uvarint();
  } catch {
    throw corrupt('bad block length');
  }
  limit.reserve(declared);
  let decoded: Buffer;
  try {
    decoded = snappyLib().uncompressSync(block, UNCOMPRESS_OPTIONS) as Buffer;
  } catch {
    throw corrupt('bad block');
  }
  return limit.take(decoded);
}

/** Decompresses a xerial stream (several may be concatenated) or one raw block, a block at a time. */
export function* snappyChunks(buf: Buffer, limit: OutputLimit): Generator<Buffer> {
  if (!hasMagic(buf, 0)) {
    yield rawBlock(buf, limit);
    return;
  }
  let pos = 0;
  while (pos < buf.length) {
    if (hasMagic(buf, pos)) {
      if (buf.length - pos < HEADER.length) throw corrupt('truncated');
      pos += HEADER.length;
      continue;
    }
    if (buf.length - pos < 4) throw corrupt('truncated');
    const size = buf.readInt32BE(pos);
    pos += 4;
    if (size < 0 || size > buf.length - pos) throw corrupt('truncated');
    yield rawBlock(buf.subarray(pos, pos + size), limit);
    pos += size;
  }
}
