// Record-batch hot paths, against dist/ (run `npm run build` first): CRC-32C throughput, the
// broker's per-Produce validation of a 1 MB payload (10k x 100 B records in 10 batches) and of
// one 1 MB compressed batch of compressible records (header only vs every record).
import { randomBytes } from 'node:crypto';
import { crc32c } from '../dist/protocol/records/crc.js';
import { checkProducedRecordsWithin } from '../dist/protocol/records/produced-records.js';
import { decodeBatch, encodeBatch } from '../dist/protocol/records/record-batch.js';
import { validateBatches, validateProduceRecords } from '../dist/protocol/records/validate.js';

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
  console.log(
    `RESULT bench=records case=${JSON.stringify(name)} ${Object.entries(fields)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
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

const NOW = 1_700_000_000_000;
/** A default topic's rules: only the records' framing is checked. */
const FRAMING = {
  partition: 't-0',
  requireKeys: false,
  timestampType: 'CreateTime',
  timestampWindow: null,
  maxMessageBytes: 1048588,
};
/** A compacted topic with a CreateTime window: every record's key and timestamp are looked at too. */
const ALL_RULES = { ...FRAMING, requireKeys: true, timestampWindow: { now: NOW, beforeMaxMs: 86_400_000, afterMaxMs: 3_600_000 } };

/** Every record of a produced batch at once (the broker's first slice; more than 1 MiB goes on in slices, the same work). */
function checkRecords(buf, summary, rules) {
  if (checkProducedRecordsWithin(buf, summary, rules, 256 << 20) === undefined) throw new Error('over the limit');
}

/** What the broker runs per Produce: the batch headers, then every record under `rules`. */
function validateProduce(buf, rules) {
  for (const summary of validateBatches(buf, 'client')) checkRecords(buf, summary, rules);
}

for (const compression of ['none', 'lz4', 'zstd']) {
  const buf = payload(compression);
  const us = median(() => validateProduce(buf, FRAMING), 500);
  console.log(`validate ${compression.padEnd(4)} ${(buf.length / 1e6).toFixed(2)} MB, 10 batches, 10k records: ${us.toFixed(1)} µs`);
  result(`validate ${compression}`, { bytes: buf.length, median_us: us.toFixed(1) });
}

/** About 200 B of JSON-ish text per record: compresses like real application data (~4-6x). */
function textRecords(n) {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
  return Array.from({ length: n }, (_, i) => {
    const bytes = randomBytes(12);
    const text = Array.from(bytes, (b) => words[b % words.length]).join(' ');
    const value = JSON.stringify({
      id: i,
      user: `user-${bytes.readUInt16BE(0)}`,
      at: NOW + i,
      state: i % 3 ? 'open' : 'closed',
      text,
      n: bytes.readUInt32BE(4),
    });
    return { key: Buffer.from(`key-${i % 1000}`), value: Buffer.from(value), timestamp: BigInt(NOW + i) };
  });
}

// One compressed produce batch of 1 MB on the wire (a default max.message.bytes), as a producer
// with a large batch.size sends it: before, the broker checked its header and CRC only; now it
// decompresses it and walks every record as Kafka's LogValidator does.
for (const compression of ['lz4', 'zstd', 'snappy', 'gzip']) {
  const sample = encodeBatch({ records: textRecords(1000), compression });
  const records = textRecords(Math.round((1000 * (1 << 20)) / sample.length));
  const buf = encodeBatch({ records, compression });
  const header = median(() => validateProduceRecords(buf, 11), 200);
  const framing = median(() => checkRecords(buf, validateProduceRecords(buf, 11), FRAMING), 200);
  const rules = median(() => checkRecords(buf, validateProduceRecords(buf, 11), ALL_RULES), 200);
  const plain = encodeBatch({ records }).length;
  console.log(
    `1 MB ${compression} batch (${records.length} records, ${(plain / 1e6).toFixed(2)} MB uncompressed): header ${header.toFixed(0)} µs, ` +
      `every record ${framing.toFixed(0)} µs, with key + timestamp rules ${rules.toFixed(0)} µs`,
  );
  result(`produce batch 1 MB ${compression}`, {
    bytes: buf.length,
    records: records.length,
    uncompressed_bytes: plain,
    header_us: header.toFixed(0),
    records_us: framing.toFixed(0),
    rules_us: rules.toFixed(0),
  });
}

for (const compression of ['none', 'zstd']) {
  const buf = payload(compression);
  const batches = [];
  for (let pos = 0; pos < buf.length; pos += buf.readInt32BE(pos + 8) + 12)
    batches.push(buf.subarray(pos, pos + buf.readInt32BE(pos + 8) + 12));
  const us = median(() => {
    for (const b of batches) decodeBatch(b, { maxDecompressedBytes: 8 << 20 });
  }, 50);
  console.log(`decode   ${compression.padEnd(4)} 10k records: ${us.toFixed(0)} µs (${(10_000 / (us / 1e6) / 1e6).toFixed(2)} M records/s)`);
  result(`decode ${compression}`, { median_us: us.toFixed(0) });
}
