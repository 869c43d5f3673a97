/**
 * LZ4 frame format (what Kafka calls lz4). lz4-napi compresses whole frames but decompresses
 * them without any output limit, so frames are parsed here and each block is handed to its raw
 * block decoder with the block's maximum size as the output bound.
 */
import { ErrorCode } from '../errors.js';
import type { OutputLimit } from './bounded-output.js';
import { RecordsError } from './errors.js';
import { lz4Lib } from './native-codecs.js';
import { xxhash32 } from './xxhash32.js';

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_INDEPENDENCE = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICT_ID = 0x01;
const BLOCK_UNCOMPRESSED = 0x80000000;
/** Linked blocks may refer back this far into earlier output. */
const WINDOW = 64 * 1024;

function corrupt(detail: string): RecordsError {
  return new RecordsError(ErrorCode.CORRUPT_MESSAGE, `invalid lz4 frame: ${detail}`);
}

/** Compresses `data` as one frame of independent 64 KiB blocks (Kafka's own writer's layout). */
export function lz4CompressFrame(data: Buffer, legacyHeaderChecksum = false): Buffer {
  const frame = lz4Lib().compressFrameSync(data);
  if (legacyHeaderChecksum) {
    // KAFKA-3160: for magic 0 Kafka hashes the descriptor together with the 4 magic bytes.
    const hcPos = descriptorEnd(frame, 0);
    frame[hcPos] = (xxhash32(frame.subarray(0, hcPos)) >>> 8) & 0xff;
  }
  return frame;
}

/** Position of the header checksum byte of the frame starting at `pos`. */
function descriptorEnd(buf: Buffer, pos: number): number {
  const flg = buf[pos + 4]!;
  return pos + 6 + (flg & FLG_CONTENT_SIZE ? 8 : 0) + (flg & FLG_DICT_ID ? 4 : 0);
}

function need(buf: Buffer, pos: number, n: number): void {
  if (n > buf.length - pos) throw corrupt('truncated');
}

/**
 * Decompresses one or more concatenated frames a block at a time, refusing more than the limit
 * of output. The header checksum is not verified: Kafka's magic-0 writers compute it wrongly
 * (KAFKA-3160), and the batch or message CRC already covers these bytes. Block and content
 * checksums are skipped for the same reason.
 */
export function* lz4Chunks(buf: Buffer, limit: OutputLimit): Generator<Buffer> {
  let pos = 0;
  while (pos < buf.length) {
    need(buf, pos, 4);
    const magic = buf.readUInt32LE(pos);
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      need(buf, pos, 8);
      pos += 8 + buf.readUInt32LE(pos + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) throw corrupt('bad magic');
    const frame = { end: pos };
    yield* frameChunks(buf, pos, limit, frame);
    pos = frame.end;
  }
  if (pos > buf.length) throw corrupt('truncated');
}

/** The blocks of the frame at `start`; `frame.end` is where the next one starts once this is done. */
function* frameChunks(buf: Buffer, start: number, limit: OutputLimit, frame: { end: number }): Generator<Buffer> {
  need(buf, start, 7);
  const flg = buf[start + 4]!;
  const bd = buf[start + 5]!;
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01) throw corrupt('unsupported version');
  if (flg & FLG_DICT_ID) throw corrupt('dictionaries are not supported');
  const sizeCode = (bd >> 4) & 0x07;
  if (sizeCode < 4) throw corrupt('bad block size');
  const blockMax = 1 << (8 + 2 * sizeCode);
  const linked = (flg & FLG_BLOCK_INDEPENDENCE) === 0;
  const checksumSize = flg & FLG_BLOCK_CHECKSUM ? 4 : 0;
  let pos = descriptorEnd(buf, start) + 1;
  const lz4 = lz4Lib();
  const sizePrefix = Buffer.alloc(4);
  sizePrefix.writeUInt32LE(blockMax);
  /** The last WINDOW bytes of this frame's output: linked blocks refer back into them. */
  let window: Buffer = Buffer.alloc(0);
  for (;;) {
    need(buf, pos, 4);
    const word = buf.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break;
    const size = (word & ~BLOCK_UNCOMPRESSED) >>> 0;
    if (size > blockMax) throw corrupt('block larger than its declared maximum');
    need(buf, pos, size + checksumSize);
    const block = buf.subarray(pos, pos + size);
    pos += size + checksumSize;
    let decoded: Buffer;
    if (word & BLOCK_UNCOMPRESSED) {
      decoded = block;
    } else {
      limit.reserve(1); // already at the limit: fail before inflating up to blockMax bytes
      try {
        // lz4-napi's raw format is a 4-byte little-endian size bound, then the block.
        const prefixed = Buffer.concat([sizePrefix, block]);
        decoded = linked ? lz4.uncompressSync(prefixed, window) : lz4.uncompressSync(prefixed);
      } catch {
        throw corrupt('bad block');
      }
    }
    if (linked) window = lastBytes(window, decoded, WINDOW);
    yield limit.take(decoded);
  }
  frame.end = pos + (flg & FLG_CONTENT_CHECKSUM ? 4 : 0);
}

/** The last `n` bytes of `before` followed by `after`. */
function lastBytes(before: Buffer, after: Buffer, n: number): Buffer {
  if (after.length >= n) return after.subarray(after.length - n);
  return Buffer.concat([before.subarray(Math.max(0, before.length - (n - after.length))), after]);
}
