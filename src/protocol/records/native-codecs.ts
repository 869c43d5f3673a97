/**
 * The native compression and checksum libraries, each loaded on first use: the broker's produce
 * path never needs the codecs, and start-up should not pay for loading four addons.
 */
import { createRequire } from 'node:module';

type Crc32 = typeof import('@node-rs/crc32');
type Snappy = typeof import('snappy');
type Lz4 = typeof import('lz4-napi');
type Zstd = typeof import('zstd-napi/binding.js');

const require = createRequire(import.meta.url);
let crc: Crc32 | undefined;
let snappy: Snappy | undefined;
let lz4: Lz4 | undefined;
let zstd: Zstd | undefined;

export function crc32Lib(): Crc32 {
  return (crc ??= require('@node-rs/crc32') as Crc32);
}

export function snappyLib(): Snappy {
  return (snappy ??= require('snappy') as Snappy);
}

export function lz4Lib(): Lz4 {
  return (lz4 ??= require('lz4-napi') as Lz4);
}

/** zstd-napi's low-level binding: its streaming DCtx lets us stop at an output limit. */
export function zstdLib(): Zstd {
  return (zstd ??= require('zstd-napi/binding.js') as Zstd);
}
