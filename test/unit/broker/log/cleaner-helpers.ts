import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LogCleaner } from '../../../../src/broker/log/cleaner/log-cleaner.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../../src/broker/log/log-config.js';
import { Log } from '../../../../src/broker/log/log.js';
import { iterateBatches } from '../../../../src/protocol/records/batch-iterator.js';
import { decodeBatch, encodeBatch, type BatchInput, type DecodedBatch } from '../../../../src/protocol/records/record-batch.js';
import { T0, tempDir } from './batches.js';

/** A compacted topic's config with small segments, so a few records make several of them. */
export const COMPACTED: LogConfig = {
  ...DEFAULT_LOG_CONFIG,
  'cleanup.policy': 'compact',
  'segment.bytes': 1024,
  'index.interval.bytes': 128,
  'min.cleanable.dirty.ratio': 0.01,
};

/** [key, value] pairs; a null value is a tombstone, a null key a record compaction cannot keep. */
export type Entry = [string | null, string | null];

/** One batch of keyed records as a producer sends it. */
export function keyedBatch(entries: Entry[], options: Omit<BatchInput, 'records'> & { timestamp?: number } = {}): Buffer {
  const timestamp = BigInt(options.timestamp ?? T0);
  return encodeBatch({
    ...options,
    records: entries.map(([key, value]) => ({
      key: key === null ? null : Buffer.from(key),
      value: value === null ? null : Buffer.from(value),
      timestamp,
    })),
  });
}

export interface StoredRecord {
  offset: bigint;
  key: string | null;
  value: string | null;
}

/** Every stored batch of the log, decoded (including empty ones). */
export function storedBatches(log: Log): DecodedBatch[] {
  const out: DecodedBatch[] = [];
  for (let offset = log.logStartOffset; offset < log.logEndOffset; ) {
    const data = log.read(offset, 1 << 20);
    if (data.length === 0) break;
    for (const batch of iterateBatches(data)) {
      const decoded = decodeBatch(batch, { maxDecompressedBytes: 1 << 26 });
      out.push(decoded);
      offset = decoded.baseOffset + BigInt(decoded.lastOffsetDelta) + 1n;
    }
  }
  return out;
}

export function storedRecords(log: Log): StoredRecord[] {
  return storedBatches(log).flatMap((b) =>
    b.records.map((r) => ({ offset: r.offset, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null })),
  );
}

/** A log `t-0` in a fresh temp log dir, with its removal. */
export function openCompactedLog(config: Partial<LogConfig> = {}, now: () => number = () => T0): { log: Log; remove: () => void } {
  const tmp = tempDir('kts-cleaner-');
  const dir = join(tmp.path, 't-0');
  mkdirSync(dir);
  const log = Log.open({ dir, topicPartition: { topic: 't', partition: 0 }, config: { ...COMPACTED, ...config }, now });
  return {
    log,
    remove: () => {
      log.close();
      tmp.remove();
    },
  };
}

/** A cleaner over the given logs that only runs when asked (no timer). */
export function cleanerFor(logs: Log[], now: () => number = () => T0, dedupeBufferSize = 1 << 20): LogCleaner {
  return new LogCleaner({
    logDirs: [],
    logs: () => logs,
    lastStableOffset: (log) => log.firstUnstableOffset(log.logEndOffset) ?? log.logEndOffset,
    backoffMs: 1000,
    dedupeBufferSize,
    now,
    onError: (err) => {
      throw err;
    },
  });
}
