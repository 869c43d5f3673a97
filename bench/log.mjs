// Log storage throughput (src/broker/log): appends of v2 batches of small records, then
// sequential fetch-sized reads, in a temp dir. Needs `npm run build`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LOG_CONFIG } from '../dist/broker/log/log-config.js';
import { Log } from '../dist/broker/log/log.js';

const require = createRequire(import.meta.url);
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');

const SECONDS = 2;

async function batchOf(records, valueBytes) {
  const value = Buffer.alloc(valueBytes, 'x');
  const now = Date.now();
  const encoder = await RecordBatch({
    records: Array.from({ length: records }, (_, i) => Record({ offsetDelta: i, timestampDelta: 0, key: null, value })),
    firstTimestamp: now,
    maxTimestamp: now,
    lastOffsetDelta: records - 1,
  });
  return Buffer.from(encoder.buffer);
}

const dir = mkdtempSync(join(tmpdir(), 'kts-bench-log-'));
try {
  for (const [records, valueBytes] of [
    [100, 100],
    [1000, 100],
    [16, 1000],
  ]) {
    const template = await batchOf(records, valueBytes);
    const partitionDir = join(dir, `bench-${records}-${valueBytes}`);
    mkdirSync(partitionDir);
    const config = { ...DEFAULT_LOG_CONFIG, 'segment.bytes': 256 * 1024 * 1024 };
    const log = Log.open({ dir: partitionDir, topicPartition: { topic: 'bench', partition: 0 }, config, hadCleanShutdown: true });
    let appends = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(SECONDS * 1e9);
    while (process.hrtime.bigint() < end) {
      for (let i = 0; i < 100; i++) log.append(template, { leaderEpoch: 0 }); // same bytes, re-stamped each time
      appends += 100;
    }
    const appendSec = Number(process.hrtime.bigint() - start) / 1e9;
    let bytes = 0;
    const readStart = process.hrtime.bigint();
    for (let offset = 0n; offset < log.logEndOffset; ) {
      const data = log.read(offset, 1024 * 1024);
      bytes += data.length;
      let at = 0;
      let last = offset;
      while (at < data.length) {
        last = data.readBigInt64BE(at) + BigInt(data.readInt32BE(at + 23));
        at += data.readInt32BE(at + 8) + 12;
      }
      offset = last + 1n;
    }
    const readSec = Number(process.hrtime.bigint() - readStart) / 1e9;
    const mb = (appends * template.length) / 1e6;
    console.log(
      `${records} records × ${valueBytes} B per batch (${template.length} B): ` +
        `append ${((appends * records) / appendSec / 1e6).toFixed(2)} M records/s, ${(mb / appendSec).toFixed(0)} MB/s, ` +
        `${((appendSec / appends) * 1e6).toFixed(2)} µs/append; read (1 MB fetches) ${(bytes / 1e6 / readSec).toFixed(0)} MB/s`,
    );
    log.close();
    rmSync(partitionDir, { recursive: true, force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
