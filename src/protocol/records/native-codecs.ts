/**
 * The compression and checksum libraries, each loaded on first use: the broker's produce path
 * never needs the codecs, and start-up should not pay for loading four addons, nor Node's zlib
 * (~5 ms) for a command that never meets a gzip batch.
 */
import { createRequire } from 'node:module';

type Crc32 = typeof import('@node-rs/crc32');
type Snappy = typeof import('snappy');
type Lz4 = typeof import('lz4-napi');
type Zstd = typeof import('zstd-napi/binding.js');
type Zlib = typeof import('node:zlib');

const require = createRequire(import.meta.url);
let crc: Crc32 | undefined;
let snappy: Snappy | undefined;
let lz4: Lz4 | undefined;
let zstd: Zstd | undefined;
let zlib: Zlib | undefined;

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

export function zlibLib(): Zlib {
  return (zlib ??= require('node:zlib') as Zlib);
}
