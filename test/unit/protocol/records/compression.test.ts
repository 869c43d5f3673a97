import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { CompressionName } from '../../../../src/protocol/records/batch-header.js';
import { compress, compressionName, decompress } from '../../../../src/protocol/records/compression.js';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import { RecordsError } from '../../../../src/protocol/records/errors.js';
import { xxhash32 } from '../../../../src/protocol/records/xxhash32.js';
import { needs } from '../../../helpers/requirements.js';

const require = createRequire(import.meta.url);
const snappy = require('snappy') as typeof import('snappy');
const CODECS: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const MB = 1 << 20;

/** Compressible but not trivial: base64 of random bytes, repeated. */
function sample(size: number): Buffer {
  const chunk = Buffer.from(randomBytes(Math.ceil(size / 8)).toString('base64'));
  return Buffer.concat(Array(Math.ceil(size / chunk.length)).fill(chunk)).subarray(0, size);
}

function run(cmd: string, args: string[], input: Buffer): Buffer {
  return execFileSync(cmd, args, { input, timeout: 10_000, maxBuffer: 64 * MB });
}

function expectRecordsError(fn: () => unknown, code: number, message?: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RecordsError);
    expect((err as RecordsError).errorCode).toBe(code);
    if (message) expect((err as Error).message).toMatch(message);
    return;
  }
  expect.fail('no error thrown');
}

describe('compression round trips', () => {
  for (const codec of CODECS) {
    it(`${codec}: empty, small and multi-block inputs`, () => {
      for (const data of [Buffer.alloc(0), Buffer.from('x'), sample(300_000), randomBytes(100_000)]) {
        expect(decompress(codec, compress(codec, data), data.length).equals(data)).toBe(true);
      }
    });
  }

  it('gzip and zstd honour a compression level', () => {
    const data = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `line ${i * 7919}`).join('\n'));
    expect(compress('gzip', data, { level: 1 }).length).toBeGreaterThan(compress('gzip', data, { level: 9 }).length);
    expect(decompress('zstd', compress('zstd', data, { level: 19 }), data.length).equals(data)).toBe(true);
  });

  it('maps attribute codes to names and rejects 5-7', () => {
    expect(CODECS.map((_, i) => compressionName(i))).toEqual(CODECS);
    for (const code of [5, 6, 7]) expectRecordsError(() => compressionName(code), ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  });
});

describe('snappy (xerial framing)', () => {
  it('writes the SnappyOutputStream header and 32 KiB blocks', () => {
    const data = sample(100_000);
    const framed = compress('snappy', data);
    expect(framed.subarray(0, 16).toString('hex')).toBe('82534e41505059000000000100000001');
    const blocks: Buffer[] = [];
    for (let pos = 16; pos < framed.length; ) {
      const size = framed.readInt32BE(pos);
      blocks.push(snappy.uncompressSync(framed.subarray(pos + 4, pos + 4 + size)) as Buffer);
      pos += 4 + size;
    }
    expect(blocks.map((b) => b.length)).toEqual([32768, 32768, 32768, 1696]);
    expect(Buffer.concat(blocks).equals(data)).toBe(true);
  });

  it('reads raw snappy and concatenated xerial streams', () => {
    const a = sample(50_000);
    const b = sample(10_000);
    expect(decompress('snappy', snappy.compressSync(a), MB).equals(a)).toBe(true);
    const joined = Buffer.concat([compress('snappy', a), compress('snappy', b)]);
    expect(decompress('snappy', joined, MB).equals(Buffer.concat([a, b]))).toBe(true);
  });
});

describe('lz4 frames', () => {
  it('writes independent 64 KiB blocks with a correct header checksum', () => {
    const frame = compress('lz4', sample(1000));
    expect(frame.readUInt32LE(0)).toBe(0x184d2204);
    expect(frame[4]! & 0x20).toBe(0x20);
    expect(frame[5]).toBe(0x40);
    expect(frame[6]).toBe((xxhash32(frame.subarray(4, 6)) >>> 8) & 0xff);
  });

  it('writes the KAFKA-3160 checksum for magic 0 and reads both', () => {
    const data = sample(5000);
    const legacy = compress('lz4', data, { legacyLz4Checksum: true });
    expect(legacy[6]).toBe((xxhash32(legacy.subarray(0, 6)) >>> 8) & 0xff);
    expect(legacy[6]).not.toBe(compress('lz4', data)[6]);
    expect(decompress('lz4', legacy, MB).equals(data)).toBe(true);
  });

  // The lz4 CLI is an independent implementation; -BD makes linked blocks, which Kafka's own
  // writer never produces but other clients may.
  for (const flags of [[], ['-BD', '-B4'], ['-BX', '--content-size'], ['-BD', '-B4', '-BX', '--content-size', '-9']]) {
    it(`reads frames from the lz4 CLI (${flags.join(' ') || 'defaults'})`, needs('lz4'), () => {
      const data = sample(700_000);
      expect(decompress('lz4', run('lz4', ['-q', '-c', ...flags], data), MB).equals(data)).toBe(true);
    });
  }

  it('writes frames the lz4 CLI reads', needs('lz4'), () => {
    const data = sample(300_000);
    expect(run('lz4', ['-d', '-q', '-c'], compress('lz4', data)).equals(data)).toBe(true);
  });
});

describe('gzip and zstd against their CLIs', () => {
  it('gzip', () => {
    const data = sample(200_000);
    expect(decompress('gzip', run('gzip', ['-c'], data), MB).equals(data)).toBe(true);
    expect(run('gzip', ['-d', '-c'], compress('gzip', data)).equals(data)).toBe(true);
  });

  it('zstd, including a frame without a content size', needs('zstd'), () => {
    const data = sample(200_000);
    expect(decompress('zstd', run('zstd', ['-q', '-c'], data), MB).equals(data)).toBe(true);
    expect(decompress('zstd', run('zstd', ['-q', '-c', '--no-content-size'], data), MB).equals(data)).toBe(true);
    expect(run('zstd', ['-d', '-q', '-c'], compress('zstd', data)).equals(data)).toBe(true);
  });
});

describe('hostile compressed input', () => {
  const zeros = Buffer.alloc(32 * MB);
  for (const codec of CODECS.filter((c) => c !== 'none')) {
    it(`${codec}: a decompression bomb stops at the limit`, () => {
      const bomb = compress(codec, zeros);
      expect(bomb.length).toBeLessThan(2 * MB);
      expectRecordsError(() => decompress(codec, bomb, MB), ErrorCode.CORRUPT_MESSAGE, /exceeds the 1048576-byte limit/);
    });

    it(`${codec}: truncated or garbage input is a RecordsError`, () => {
      const good = compress(codec, sample(100_000));
      for (const bad of [good.subarray(0, good.length - 5), good.subarray(0, 10), randomBytes(1000), Buffer.alloc(0)]) {
        // An empty input is a valid (empty) stream for some codecs; anything else must throw.
        try {
          const out = decompress(codec, bad, MB);
          expect(bad.length === 0 || out.length === 0).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(RecordsError);
        }
      }
    });
  }

  it('zstd refuses a window far larger than the output limit', needs('zstd'), () => {
    const data = sample(4 * MB);
    // --long=27 asks for a 128 MiB window, --no-content-size hides the real size.
    const frame = run('zstd', ['-q', '-c', '--long=27', '--no-content-size'], data);
    expectRecordsError(() => decompress('zstd', frame, MB), ErrorCode.CORRUPT_MESSAGE, /invalid zstd data/);
  });

  it('lz4 rejects blocks above the declared maximum and bad headers', () => {
    const frame = compress('lz4', sample(1000));
    const badVersion = Buffer.from(frame);
    badVersion[4] = 0x00;
    expectRecordsError(() => decompress('lz4', badVersion, MB), ErrorCode.CORRUPT_MESSAGE, /version/);
    const bigBlock = Buffer.from(frame);
    bigBlock.writeUInt32LE(0x7fffffff, 7);
    expectRecordsError(() => decompress('lz4', bigBlock, MB), ErrorCode.CORRUPT_MESSAGE, /maximum/);
  });

  it('snappy checks a block against the limit before inflating it', () => {
    const raw = snappy.compressSync(Buffer.alloc(2 * MB));
    expectRecordsError(() => decompress('snappy', raw, MB), ErrorCode.CORRUPT_MESSAGE, /limit/);
  });
});
