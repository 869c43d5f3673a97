/**
 * The native compression libraries, each loaded on first use: the broker's produce path only
 * validates batches and never needs them, and CLI start-up should not pay for three addons.
 */
import { createRequire } from 'node:module';

type Snappy = typeof import('snappy');
type Lz4 = typeof import('lz4-napi');
type Zstd = typeof import('zstd-napi/binding.js');

const require = createRequire(import.meta.url);
let snappy: Snappy | undefined;
let lz4: Lz4 | undefined;
let zstd: Zstd | undefined;

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
