import kafkajs from 'kafkajs';
import type { CompressionName } from '../../src/protocol/records/batch-header.js';
import { compress, decompress } from '../../src/protocol/records/compression.js';

/** A decompressed batch larger than this is treated as hostile rather than allocated. */
const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

const KAFKAJS_CODECS: ReadonlyArray<[number, CompressionName]> = [
  [kafkajs.CompressionTypes.GZIP, 'gzip'],
  [kafkajs.CompressionTypes.Snappy, 'snappy'],
  [kafkajs.CompressionTypes.LZ4, 'lz4'],
  [kafkajs.CompressionTypes.ZSTD, 'zstd'],
];

/**
 * kafkajs ships gzip only (and inflates it without a size limit); all four codecs go through
 * kts's own compression module. `CompressionCodecs` is reached through the default import
 * because Node's ESM loader cannot see it as a named export of the CommonJS package.
 */
export function registerCompressionCodecs(): void {
  const codecs: Record<number, () => unknown> = kafkajs.CompressionCodecs;
  for (const [type, name] of KAFKAJS_CODECS) {
    codecs[type] = () => ({
      compress: async (encoder: { buffer: Buffer }) => compress(name, encoder.buffer),
      decompress: async (buffer: Buffer) => decompress(name, buffer, MAX_DECOMPRESSED_BYTES),
    });
  }
}
