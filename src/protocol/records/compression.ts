/**
 * The four Kafka codecs. `decompress` is synchronous: its callers (CLI tools, legacy conversion,
 * tests) hold a whole batch in memory anyway. `inflateChunks` hands the output over as it is
 * produced, for the broker's produce path, which checks records as they come out and may stop
 * (or pause) long before the end. Every decompression takes an output limit.
 */
import { ErrorCode } from '../errors.js';
import { COMPRESSION, type CompressionName } from './batch-header.js';
import { DecompressionLimitError, OutputLimit, collect } from './bounded-output.js';
import { RecordsError } from './errors.js';
import { lz4Chunks, lz4CompressFrame } from './lz4-frame.js';
import { zlibLib, zstdLib } from './native-codecs.js';
import { snappyChunks, snappyCompressXerial } from './snappy-xerial.js';

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
    case 'gzip': {
      const zlib = zlibLib();
      return zlib.gzipSync(data, { level: options.level ?? zlib.constants.Z_DEFAULT_COMPRESSION });
    }
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
  if (codec === 'gzip') return gunzip(data, maxBytes);
  return collect(inflateChunks(codec, data, maxBytes));
}

/**
 * The decompressed bytes of `data`, produced chunk by chunk as the caller pulls them (a block for
 * snappy and lz4, up to 128 KiB for zstd), never more than `maxBytes` in all
 * (DecompressionLimitError). Stopping early stops the work. A chunk is only valid until the next
 * one is pulled: zstd writes them all into one buffer, as touching fresh memory for every chunk
 * cost more than the decompression itself.
 */
export function inflateChunks(codec: Exclude<CompressionName, 'gzip'>, data: Buffer, maxBytes: number): Generator<Buffer> {
  const limit = new OutputLimit(maxBytes);
  switch (codec) {
    case 'none':
      return (function* () {
        yield limit.take(data);
      })();
    case 'snappy':
      return snappyChunks(data, limit);
    case 'lz4':
      return lz4Chunks(data, limit);
    case 'zstd':
      return zstdChunks(data, limit);
  }
}

const GUNZIP_CHUNK = 64 * 1024;

/**
 * gzip's counterpart of inflateChunks: zlib has no synchronous way to hand output over as it is
 * produced, so this inflates on libuv's thread pool, 64 KiB at a time, and only as fast as the
 * caller pulls (breaking out of the loop stops it).
 */
export async function* gunzipChunks(data: Buffer, maxBytes: number): AsyncGenerator<Buffer> {
  const limit = new OutputLimit(maxBytes);
  const stream = zlibLib().createGunzip({ chunkSize: GUNZIP_CHUNK });
  stream.end(data);
  try {
    for await (const chunk of stream) yield limit.take(chunk as Buffer);
  } catch (err) {
    if (err instanceof RecordsError) throw err;
    throw corrupt('gzip');
  } finally {
    stream.destroy();
  }
}

function gunzip(data: Buffer, maxBytes: number): Buffer {
  let out: Buffer;
  try {
    // zlib stops inflating at maxOutputLength, which must be at least 1.
    out = zlibLib().gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new DecompressionLimitError(maxBytes);
    throw corrupt('gzip');
  }
  if (out.length > maxBytes) throw new DecompressionLimitError(maxBytes);
  return out;
}

type Zstd = ReturnType<typeof zstdLib>;
let cctx: InstanceType<Zstd['CCtx']> | undefined;

function zstdCompress(data: Buffer, level: number): Buffer {
  const zstd = zstdLib();
  cctx ??= new zstd.CCtx();
  const out = Buffer.allocUnsafe(zstd.compressBound(data.length));
  return out.subarray(0, cctx.compress(out, data, level));
}

const ZSTD_CHUNK = 128 * 1024;
const ZSTD_MIN_WINDOW_LOG = 23;
const ZSTD_MAX_WINDOW_LOG = 27;
/** Contexts kept for reuse; a generator suspended mid-stream holds its own meanwhile. */
const idleDctx: InstanceType<Zstd['DCtx']>[] = [];
const MAX_IDLE_DCTX = 2;

function* zstdChunks(data: Buffer, limit: OutputLimit): Generator<Buffer> {
  const zstd = zstdLib();
  const dctx = idleDctx.pop() ?? new zstd.DCtx();
  try {
    dctx.reset(zstd.ResetDirective.sessionAndParameters);
    // The window is allocated up front from the frame header, so a hostile header could ask for
    // far more than the output limit. Windows up to 8 MiB (zstd level 19 streams) always pass.
    const windowLog = Math.ceil(Math.log2(Math.max(1, limit.limit)));
    dctx.setParameter(zstd.DParameter.windowLogMax, Math.min(ZSTD_MAX_WINDOW_LOG, Math.max(ZSTD_MIN_WINDOW_LOG, windowLog)));
    let src = data;
    let pending = 0;
    const output = Buffer.allocUnsafe(Math.min(ZSTD_CHUNK, limit.limit + 1));
    while (src.length > 0 || pending !== 0) {
      // One byte over the remaining room, so a stream that keeps going is caught.
      const chunk = output.subarray(0, Math.min(ZSTD_CHUNK, limit.limit - limit.produced + 1));
      let produced: number;
      let consumed: number;
      try {
        [pending, produced, consumed] = dctx.decompressStream(chunk, src);
      } catch {
        throw corrupt('zstd');
      }
      if (produced === 0 && consumed === 0) break;
      src = src.subarray(consumed);
      if (produced > 0) yield limit.take(chunk.subarray(0, produced));
    }
    if (pending !== 0 || src.length > 0) throw corrupt('zstd');
  } finally {
    if (idleDctx.length < MAX_IDLE_DCTX) idleDctx.push(dctx);
  }
}
