// Log cleaner throughput (src/broker/log/cleaner): one pass over a compacted log of single-record
// batches (as __consumer_offsets holds them), 1000 keys overwritten 200 times. Needs `npm run build`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogCleaner } from '../dist/broker/log/cleaner/log-cleaner.js';
import { DEFAULT_LOG_CONFIG } from '../dist/broker/log/log-config.js';
import { Log } from '../dist/broker/log/log.js';
import { encodeBatch } from '../dist/protocol/records/record-batch.js';

const BATCHES = 200_000;
const KEYS = 1000;

const root = mkdtempSync(join(tmpdir(), 'kts-bench-cleaner-'));
try {
  const dir = join(root, 't-0');
  mkdirSync(dir);
  const config = { ...DEFAULT_LOG_CONFIG, 'cleanup.policy': 'compact', 'segment.bytes': 10 << 20, 'min.cleanable.dirty.ratio': 0.01 };
  const log = Log.open({ dir, topicPartition: { topic: 't', partition: 0 }, config });
  for (let i = 0; i < BATCHES; i++) {
    const key = Buffer.from(`group-${i % KEYS}-topic-partition`);
    log.append(encodeBatch({ records: [{ key, value: Buffer.alloc(40, i) }] }), { leaderEpoch: 0 });
  }
  log.roll();
  const before = log.size;
  const cleaner = new LogCleaner({
    logDirs: [],
    logs: () => [log],
    backoffMs: 60_000,
    dedupeBufferSize: 128 << 20,
    now: Date.now,
    onError: (err) => {
      throw err;
    },
  });
  const start = performance.now();
  cleaner.cleanFilthiestLog();
  const ms = performance.now() - start;
  console.log(
    `clean ${BATCHES} single-record batches, ${(before / 1e6).toFixed(1)} MB -> ${(log.size / 1e3).toFixed(1)} KB: ` +
      `${ms.toFixed(0)} ms, ${(before / 1e6 / (ms / 1000)).toFixed(1)} MB/s`,
  );
  log.close();
} finally {
  rmSync(root, { recursive: true, force: true });
}
