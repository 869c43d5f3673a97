/**
 * The four Kafka codecs behind one synchronous API. Synchronous because the callers (CLI tools,
 * legacy conversion, tests) hold a whole batch in memory anyway, and the broker's produce path
 * does not decompress at all. Every decompression takes an output limit.
 */
import { ErrorCode } from '../errors.js';
import * as zlib from 'node:zlib';
import { COMPRESSION, type CompressionName } from './batch-header.js';
import { BoundedOutput, exceedsLimit } from './bounded-output.js';
import { RecordsError } from './errors.js';
import { lz4CompressFrame, lz4DecompressFrames } from './lz4-frame.js';
import { zstdLib } from './native-codecs.js';
import { snappyCompressXerial, snappyDecompress } from './snappy-xerial.js';

const NAMES: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** The codec named by the low three attribute bits; 5-7 are not defined. */
export function compressionName(code: number): CompressionName {
  const name = NAMES[code];
  if (name === undefined) {
    throw new RecordsError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `unknown compression type ${code}`);
  }
  return name;
}

export function compressionCode(name: CompressionName): number {
  return COMPRESSION[name];
}

export interface CompressOptions {
  /** gzip 1-9 or zstd level (Kafka's defaults when absent: 6 and 3). */
  level?: number;
  /** Magic-0 messages carry Kafka's historic wrong lz4 header checksum (KAFKA-3160). */
  legacyLz4Checksum?: boolean;
}

const ZSTD_DEFAULT_LEVEL = 3;

export function compress(codec: CompressionName, data: Buffer, options: CompressOptions = {}): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return zlib.gzipSync(data, { level: options.level ?? zlib.constants.Z_DEFAULT_COMPRESSION });
    case 'snappy':
      return snappyCompressXerial(data);
    case 'lz4':
      return lz4CompressFrame(data, options.legacyLz4Checksum);
    case 'zstd':
      return zstdCompress(data, options.level ?? ZSTD_DEFAULT_LEVEL);
  }
}

function corrupt(codec: CompressionName): RecordsError {
  return new RecordsError(ErrorCode.CORRUPT_MESSAGE, `invalid ${codec} data`);
}

/** Decompresses `data`, failing with a RecordsError rather than producing more than `maxBytes`. */
export function decompress(codec: CompressionName, data: Buffer, maxBytes: number): Buffer {
  switch (codec) {
    case 'none':
      if (data.length > maxBytes) throw exceedsLimit(maxBytes);
      return data;
    case 'gzip':
      return gunzip(data, maxBytes);
    case 'snappy':
      return snappyDecompress(data, maxBytes);
    case 'lz4':
      return lz4DecompressFrames(data, maxBytes);
    case 'zstd':
      return zstdDecompress(data, maxBytes);
  }
}

function gunzip(data: Buffer, maxBytes: number): Buffer {
  let out: Buffer;
  try {
    // zlib stops inflating at maxOutputLength, which must be at least 1.
    out = zlib.gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw exceedsLimit(maxBytes);
    throw corrupt('gzip');
  }
  if (out.length > maxBytes) throw exceedsLimit(maxBytes);
  return out;
}

type Zstd = ReturnType<typeof zstdLib>;
let cctx: InstanceType<Zstd['CCtx']> | undefined;
let dctx: InstanceType<Zstd['DCtx']> | undefined;

function zstdCompress(data: Buffer, level: number): Buffer {
  const zstd = zstdLib();
  cctx ??= new zstd.CCtx();
  const out = Buffer.allocUnsafe(zstd.compressBound(data.length));
  return out.subarray(0, cctx.compress(out, data, level));
}

const ZSTD_CHUNK = 128 * 1024;
const ZSTD_MIN_WINDOW_LOG = 23;
const ZSTD_MAX_WINDOW_LOG = 27;

function zstdDecompress(data: Buffer, maxBytes: number): Buffer {
  const zstd = zstdLib();
  dctx ??= new zstd.DCtx();
  dctx.reset(zstd.ResetDirective.sessionAndParameters);
  // The window is allocated up front from the frame header, so a hostile header could ask for
  // far more than the output limit. Windows up to 8 MiB (zstd level 19 streams) always pass.
  const windowLog = Math.ceil(Math.log2(Math.max(1, maxBytes)));
  dctx.setParameter(zstd.DParameter.windowLogMax, Math.min(ZSTD_MAX_WINDOW_LOG, Math.max(ZSTD_MIN_WINDOW_LOG, windowLog)));
  const out = new BoundedOutput(maxBytes);
  let src = data;
  let pending = 0;
  try {
    while (src.length > 0 || pending !== 0) {
      // One byte over the remaining room, so a stream that keeps going is caught.
      const chunk = Buffer.allocUnsafe(Math.min(ZSTD_CHUNK, maxBytes - out.length + 1));
      const [hint, produced, consumed] = dctx.decompressStream(chunk, src);
      if (produced === 0 && consumed === 0) break;
      out.push(chunk.subarray(0, produced));
      src = src.subarray(consumed);
      pending = hint;
    }
  } catch (err) {
    if (err instanceof RecordsError) throw err;
    throw corrupt('zstd');
  }
  if (pending !== 0 || src.length > 0) throw corrupt('zstd');
  return out.result();
}
