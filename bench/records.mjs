// Record-batch hot paths, against dist/ (run `npm run build` first): CRC-32C throughput and the
// broker's per-Produce validation of a 1 MB payload (10k x 100 B records in 10 batches).
import { randomBytes } from 'node:crypto';
import { crc32c } from '../dist/protocol/records/crc.js';
import { decodeBatch, encodeBatch } from '../dist/protocol/records/record-batch.js';
import { validateBatches } from '../dist/protocol/records/validate.js';

function median(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

function result(name, fields) {
  console.log(`RESULT bench=records case=${JSON.stringify(name)} ${Object.entries(fields).map(([k, v]) => `${k}=${v}`).join(' ')}`);
}

const big = Buffer.alloc(16 << 20, 0x5a);
for (const size of [1 << 10, 1 << 20, 16 << 20]) {
  const buf = big.subarray(0, size);
  const runs = Math.max(20, Math.min(10_000, (256 << 20) / size));
  const us = median(() => crc32c(buf), runs);
  const mbps = size / (us / 1e6) / 1e6;
  console.log(`crc32c ${String(size).padStart(8)} B: ${mbps.toFixed(0)} MB/s`);
  result(`crc32c ${size} B`, { mb_per_s: mbps.toFixed(0) });
}

function payload(compression) {
  const batches = [];
  for (let b = 0; b < 10; b++) {
    const records = [];
    for (let i = 0; i < 1000; i++) {
      // Random values: compressed payloads stay about 1 MB too.
      const value = randomBytes(90);
      records.push({ key: Buffer.from(`key-${i % 100}`), value, timestamp: 1_700_000_000_000n + BigInt(i) });
    }
    batches.push(encodeBatch({ records, compression, producerId: 1n, producerEpoch: 0, baseSequence: b * 1000 }));
  }
  return Buffer.concat(batches);
}

for (const compression of ['none', 'lz4', 'zstd']) {
  const buf = payload(compression);
  const us = median(() => validateBatches(buf, 'client'), 500);
  console.log(`validate ${compression.padEnd(4)} ${(buf.length / 1e6).toFixed(2)} MB, 10 batches, 10k records: ${us.toFixed(1)} µs`);
  result(`validate ${compression}`, { bytes: buf.length, median_us: us.toFixed(1) });
}

for (const compression of ['none', 'zstd']) {
  const buf = payload(compression);
  const batches = [];
  for (let pos = 0; pos < buf.length; pos += buf.readInt32BE(pos + 8) + 12) batches.push(buf.subarray(pos, pos + buf.readInt32BE(pos + 8) + 12));
  const us = median(() => batches.forEach((b) => decodeBatch(b, { maxDecompressedBytes: 8 << 20 })), 50);
  console.log(`decode   ${compression.padEnd(4)} 10k records: ${us.toFixed(0)} µs (${(10_000 / (us / 1e6) / 1e6).toFixed(2)} M records/s)`);
  result(`decode ${compression}`, { median_us: us.toFixed(0) });
}
