import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BATCH, readBatchHeader } from '../../../../src/protocol/records/batch-header.js';
import { crc32c } from '../../../../src/protocol/records/crc.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from '../../../../src/broker/log/log-config.js';
import { Log, type LogBatch } from '../../../../src/broker/log/log.js';
import { PooledFile } from '../../../../src/broker/log/descriptor-pool.js';
import { T0, decodeRecords, makeBatch, makeBatches, tempDir } from './batches.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function openLog(overrides: Partial<LogConfig> = {}, extra: { now?: () => number; dir?: string } = {}): Log {
  let dir = extra.dir;
  if (!dir) {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    dir = tmp.path;
  }
  const log = Log.open({
    dir,
    topicPartition: { topic: 't', partition: 0 },
    config: { ...DEFAULT_LOG_CONFIG, ...overrides },
    hadCleanShutdown: true,
    ...(extra.now ? { now: extra.now } : {}),
  });
  cleanups.push(() => log.close());
  return log;
}

function reopen(log: Log, overrides: Partial<LogConfig> = {}, hadCleanShutdown = true): Log {
  log.close();
  const again = Log.open({
    dir: log.dir,
    topicPartition: log.topicPartition,
    config: { ...log.config, ...overrides },
    hadCleanShutdown,
    logStartOffset: log.logStartOffset,
  });
  cleanups.push(() => again.close());
  return again;
}

async function appendAll(log: Log, batches: Buffer[], leaderEpoch = 0): Promise<void> {
  for (const b of batches) log.append(b, { leaderEpoch });
}

async function readAllValues(log: Log, from = log.logStartOffset): Promise<{ offset: bigint; value: string }[]> {
  const out: { offset: bigint; value: string }[] = [];
  let next = from;
  while (next < log.logEndOffset) {
    const records = await decodeRecords(log.read(next, 64 * 1024));
    const fresh = records.filter((r) => r.offset >= next);
    if (fresh.length === 0) throw new Error(`no progress at ${next}`);
    out.push(...fresh.map(({ offset, value }) => ({ offset, value })));
    next = fresh.at(-1)!.offset + 1n;
  }
  return out;
}

/** Longer than Log's INDEX_WRITE_BEHIND_MS: index entries appended before are in their files after it. */
const indexWriteBehind = () => new Promise((resolve) => setTimeout(resolve, 150));

function batchesIn(data: Buffer): { base: bigint; last: bigint; size: number }[] {
  const out = [];
  for (let at = 0; at < data.length; ) {
    const h = readBatchHeader(data, at);
    out.push({ base: h.baseOffset, last: h.baseOffset + BigInt(h.lastOffsetDelta), size: h.batchLength + 12 });
    at += h.batchLength + 12;
  }
  return out;
}

describe('Log append and read', () => {
  it('assigns offsets in place, stamps the leader epoch and keeps CRCs valid', async () => {
    const log = openLog();
    const batches = await makeBatches(10, 5);
    const infos = batches.map((b) => log.append(b, { leaderEpoch: 7 }));
    expect(infos.map((i) => [i.baseOffset, i.lastOffset])).toEqual(
      Array.from({ length: 10 }, (_, i) => [BigInt(i * 5), BigInt(i * 5 + 4)]),
    );
    expect(infos[0]!.logAppendTime).toBe(-1);
    expect(log.logEndOffset).toBe(50n);
    const data = log.read(0n, 1 << 20);
    expect(data.length).toBe(batches.reduce((n, b) => n + b.length, 0));
    for (let at = 0; at < data.length; ) {
      const h = readBatchHeader(data, at);
      expect(h.partitionLeaderEpoch).toBe(7);
      expect(crc32c(data.subarray(at + BATCH.ATTRIBUTES, at + h.batchLength + 12))).toBe(h.crc);
      at += h.batchLength + 12;
    }
    const records = await decodeRecords(data);
    expect(records.map((r) => [r.offset, r.value])).toEqual(Array.from({ length: 50 }, (_, i) => [BigInt(i), `v${i}`]));
  });

  it('appends several batches in one call', async () => {
    const log = openLog();
    const info = log.append(Buffer.concat(await makeBatches(3, 4)), { leaderEpoch: 0 });
    expect([info.baseOffset, info.lastOffset]).toEqual([0n, 11n]);
    expect((await readAllValues(log)).map((r) => r.value)).toEqual(Array.from({ length: 12 }, (_, i) => `v${i}`));
  });

  it('returns whole batches from the one holding the offset, bounded by maxBytes and maxOffset', async () => {
    const log = openLog({ 'index.interval.bytes': 100 });
    await appendAll(log, await makeBatches(20, 5));
    const one = batchesIn(log.read(23n, 1));
    expect(one).toHaveLength(1); // KIP-74: the first batch whole, though larger than maxBytes
    expect([one[0]!.base, one[0]!.last]).toEqual([20n, 24n]);
    expect(log.read(23n, 1, { minOneBatch: false })).toHaveLength(0);
    const size = one[0]!.size;
    expect(batchesIn(log.read(23n, size * 3 + 5)).map((b) => b.base)).toEqual([20n, 25n, 30n]);
    expect(batchesIn(log.read(0n, 1 << 20, { maxOffset: 20n })).map((b) => b.last)).toEqual([4n, 9n, 14n, 19n]);
    expect(log.read(0n, 1 << 20, { maxOffset: 3n })).toHaveLength(0);
    expect(log.read(100n, 100)).toHaveLength(0);
    expect(() => log.read(101n, 100)).toThrow(expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }));
    expect(() => log.read(-1n, 100)).toThrow(expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }));
  });

  it('reads nothing from the files at the log end or at the limit (an idle fetch)', async () => {
    const log = openLog();
    await appendAll(log, await makeBatches(4, 5));
    const reads = vi.spyOn(PooledFile.prototype, 'read');
    try {
      expect(log.read(20n, 1 << 20)).toHaveLength(0);
      expect(log.read(10n, 1 << 20, { maxOffset: 10n })).toHaveLength(0);
      expect(log.read(12n, 1 << 20, { maxOffset: 10n })).toHaveLength(0);
      expect(reads).not.toHaveBeenCalled();
      expect(batchesIn(log.read(10n, 1 << 20, { maxOffset: 15n })).map((b) => b.base)).toEqual([10n]);
      expect(reads).toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('finds every offset through the sparse index, across segments', async () => {
    const log = openLog({ 'index.interval.bytes': 150, 'segment.bytes': 800 });
    await appendAll(log, await makeBatches(40, 3));
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(3);
    const indexFiles = readdirSync(log.dir).filter((f) => f.endsWith('.index'));
    expect(indexFiles.some((f) => readFileSync(join(log.dir, f)).length >= 16)).toBe(true);
    for (let o = 0n; o < log.logEndOffset; o++) {
      const [first] = batchesIn(log.read(o, 1));
      expect(first!.base <= o && o <= first!.last).toBe(true);
    }
    const again = reopen(log);
    for (let o = 0n; o < again.logEndOffset; o += 7n) {
      const [first] = batchesIn(again.read(o, 1));
      expect(first!.base <= o && o <= first!.last).toBe(true);
    }
  });

  it('writes offset and time index entries in Kafka layout', async () => {
    const log = openLog({ 'index.interval.bytes': 0 });
    await appendAll(log, await makeBatches(4, 2));
    await indexWriteBehind();
    const index = readFileSync(join(log.dir, '00000000000000000000.index'));
    const data = log.read(0n, 1 << 20);
    const batches = batchesIn(data);
    // interval 0: an entry for every batch after the first, (relative last offset, batch position)
    const expected = Buffer.alloc(24);
    let position = batches[0]!.size;
    for (let i = 1; i < 4; i++) {
      expected.writeInt32BE(Number(batches[i]!.last), (i - 1) * 8);
      expected.writeInt32BE(position, (i - 1) * 8 + 4);
      position += batches[i]!.size;
    }
    expect(index).toEqual(expected);
    const timeIndex = readFileSync(join(log.dir, '00000000000000000000.timeindex'));
    expect(timeIndex.length).toBe(36);
    expect(Number(timeIndex.readBigInt64BE(0))).toBe(T0 + 3);
    expect(timeIndex.readInt32BE(8)).toBe(3);
  });

  it('writes index entries behind: used from memory at once, in the files within 100 ms, at once on a roll or close', async () => {
    const log = openLog({ 'index.interval.bytes': 0, 'segment.bytes': 2000 });
    const sizes = (base: string) => ['index', 'timeindex'].map((ext) => readFileSync(join(log.dir, `${base}.${ext}`)).length);
    const first = '00000000000000000000';
    await appendAll(log, await makeBatches(4, 2));
    expect(sizes(first)).toEqual([0, 0]);
    // Lookups go by the entries in memory: the batch holding offset 5 starts at 4.
    expect(batchesIn(log.read(5n, 1)).map((b) => b.base)).toEqual([4n]);
    expect(log.offsetForTimestamp(T0 + 5)?.header.baseOffset).toBe(4n);
    await indexWriteBehind();
    expect(sizes(first)).toEqual([24, 36]);

    // A roll writes the rolled segment's entries at once: one per batch after its first.
    let batches = 4;
    while (log.segmentBaseOffsets.length === 1) {
      await appendAll(log, await makeBatches(1, 2, Number(log.logEndOffset)));
      batches++;
    }
    expect(sizes(first)[0]).toBe((batches - 2) * 8);

    const active = String(log.segmentBaseOffsets[1]).padStart(20, '0');
    await appendAll(log, await makeBatches(2, 2, Number(log.logEndOffset)));
    expect(sizes(active)[0]).toBeLessThan(16);
    log.close();
    expect(sizes(active)[0]).toBeGreaterThanOrEqual(16);
  });

  it('rolls by size, with 20-digit segment names', async () => {
    const log = openLog({ 'segment.bytes': 1000 });
    await appendAll(log, await makeBatches(30, 2));
    const logs = readdirSync(log.dir)
      .filter((f) => f.endsWith('.log'))
      .sort();
    expect(logs.length).toBeGreaterThan(2);
    expect(logs.map((f) => BigInt(f.slice(0, 20)))).toEqual(log.segmentBaseOffsets);
    for (const f of logs) {
      expect(f).toMatch(/^\d{20}\.log$/);
      expect(readFileSync(join(log.dir, f)).length).toBeLessThanOrEqual(1000);
    }
    expect((await readAllValues(log)).length).toBe(60);
    const big = await makeBatch({ values: ['x'.repeat(2000)] });
    expect(() => log.append(big, { leaderEpoch: 0 })).toThrow(expect.objectContaining({ code: 'RECORD_BATCH_TOO_LARGE' }));
  });

  it('rolls by time once a batch is segment.ms newer than the first', async () => {
    const log = openLog({ 'segment.ms': 1000 });
    log.append(await makeBatch({ values: ['a'], timestamp: T0 }), { leaderEpoch: 0 });
    log.append(await makeBatch({ values: ['b'], timestamp: T0 + 900 }), { leaderEpoch: 0 });
    expect(log.segmentBaseOffsets).toEqual([0n]);
    log.append(await makeBatch({ values: ['c'], timestamp: T0 + 1500 }), { leaderEpoch: 0 });
    expect(log.segmentBaseOffsets).toEqual([0n, 2n]);
  });

  it('rolls when the index is full', async () => {
    const log = openLog({ 'index.interval.bytes': 0, 'segment.index.bytes': 24 });
    await appendAll(log, await makeBatches(8, 1));
    // 24 bytes: 3 offset entries or 2 time entries; the time index fills first
    expect(log.segmentBaseOffsets).toEqual([0n, 3n, 6n]);
    expect((await readAllValues(log)).length).toBe(8);
  });

  it('stamps LogAppendTime into the header and recomputes the CRC', async () => {
    const now = T0 + 123_456;
    const log = openLog({ 'message.timestamp.type': 'LogAppendTime' }, { now: () => now });
    const info = log.append(await makeBatch({ values: ['a', 'b'] }), { leaderEpoch: 0 });
    expect(info.logAppendTime).toBe(now);
    const data = log.read(0n, 1000);
    const h = readBatchHeader(data);
    expect(h.attributes & 0x08).toBe(0x08);
    expect(h.maxTimestamp).toBe(BigInt(now));
    expect(crc32c(data.subarray(BATCH.ATTRIBUTES))).toBe(h.crc);
    expect((await decodeRecords(data)).map((r) => r.timestamp)).toEqual([now, now]);
  });

  it('rejects bytes that are not whole v2 batches, and works no more once closed', async () => {
    const log = openLog();
    const batch = await makeBatch({ values: ['a'] });
    expect(() => log.append(batch.subarray(0, batch.length - 1), { leaderEpoch: 0 })).toThrow(
      expect.objectContaining({ code: 'CORRUPT_MESSAGE' }),
    );
    expect(() => log.append(Buffer.alloc(70), { leaderEpoch: 0 })).toThrow(expect.objectContaining({ code: 'CORRUPT_MESSAGE' }));
    expect(log.logEndOffset).toBe(0n);
    log.close();
    expect(() => log.read(0n, 10)).toThrow(expect.objectContaining({ code: 'LOG_CLOSED' }));
    expect(() => log.append(batch, { leaderEpoch: 0 })).toThrow(expect.objectContaining({ code: 'LOG_CLOSED' }));
  });

  it("appends a follower's batches with their own offsets", async () => {
    const log = openLog();
    const b = await makeBatch({ values: ['a', 'b'] });
    b.writeBigInt64BE(10n, 0);
    expect(log.append(b, { asFollower: true })).toMatchObject({ baseOffset: 10n, lastOffset: 11n });
    expect(log.logEndOffset).toBe(12n);
    // far ahead: the relative offset would overflow int32, so the log rolls at the batch's offset
    const far = await makeBatch({ values: ['c'] });
    far.writeBigInt64BE(10n + 2n ** 31n + 5n, 0);
    log.append(far, { asFollower: true });
    expect(log.segmentBaseOffsets).toEqual([0n, 10n + 2n ** 31n + 5n]);
    const behind = await makeBatch({ values: ['d'] });
    behind.writeBigInt64BE(3n, 0);
    expect(() => log.append(behind, { asFollower: true })).toThrow(expect.objectContaining({ code: 'UNEXPECTED_APPEND_OFFSET' }));
  });
});

describe('Log timestamps', () => {
  const stamps = [100, 300, 200, 500, 400, 900, 700, 1000];

  async function timedLog(): Promise<Log> {
    const log = openLog({ 'index.interval.bytes': 0, 'segment.bytes': 400 });
    for (const ts of stamps) log.append(await makeBatch({ values: [`at${ts}`], timestamp: T0 + ts }), { leaderEpoch: 0 });
    return log;
  }

  /** The first batch (in offset order) whose max timestamp is >= ts. */
  const expected = (ts: number) => stamps.findIndex((s) => T0 + s >= ts);

  it('finds the first batch at or after a timestamp, through the time index', async () => {
    let log = await timedLog();
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(1);
    for (let round = 0; round < 2; round++) {
      for (const ts of [0, 100, 101, 250, 300, 301, 450, 600, 900, 950, 1000]) {
        const found = log.offsetForTimestamp(T0 + ts);
        expect(found?.header.baseOffset, `ts ${ts}`).toBe(BigInt(expected(T0 + ts)));
      }
      expect(log.offsetForTimestamp(T0 + 1001)).toBeUndefined();
      log = reopen(log);
    }
  });

  it('finds the batch with the largest timestamp', async () => {
    const log = await timedLog();
    expect(log.batchWithMaxTimestamp()?.header.maxTimestamp).toBe(BigInt(T0 + 1000));
    expect(log.batchWithMaxTimestamp()?.header.baseOffset).toBe(7n);
    expect(openLog().batchWithMaxTimestamp()).toBeUndefined();
  });

  it('skips batches below the log start offset', async () => {
    const log = await timedLog();
    log.deleteRecordsBefore(4n);
    expect(log.offsetForTimestamp(T0)?.header.baseOffset).toBe(4n);
  });
});

describe('Log deletion and truncation', () => {
  it('deletes records before an offset: start offset moves, whole segments below it go', async () => {
    const log = openLog({ 'segment.bytes': 400 });
    await appendAll(log, await makeBatches(20, 2));
    const bases = log.segmentBaseOffsets;
    expect(bases.length).toBeGreaterThan(3);
    const target = bases[2]! + 1n;
    expect(log.deleteRecordsBefore(target)).toBe(target);
    expect(log.logStartOffset).toBe(target);
    expect(log.segmentBaseOffsets).toEqual(bases.slice(2));
    await log.settled();
    expect(readdirSync(log.dir).filter((f) => f.endsWith('.log')).length).toBe(bases.length - 2);
    expect(() => log.read(target - 1n, 100)).toThrow(expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }));
    expect(batchesIn(log.read(target, 1))[0]!.base).toBe(bases[2]); // the batch holding it, whole
    expect(() => log.deleteRecordsBefore(41n)).toThrow(expect.objectContaining({ code: 'OFFSET_OUT_OF_RANGE' }));
    expect(log.deleteRecordsBefore(40n)).toBe(40n);
    expect(log.segmentBaseOffsets.at(-1)).toBe(bases.at(-1)); // never the active segment
    expect(reopen(log).logStartOffset).toBe(40n);
  });

  it('applies retention.ms by segment max timestamp, rolling rather than deleting the active segment', async () => {
    let now = T0;
    const log = openLog({ 'segment.bytes': 600, 'retention.ms': 10_000 }, { now: () => now });
    await appendAll(log, await makeBatches(10, 2, 0, T0));
    await appendAll(log, await makeBatches(10, 2, 20, T0 + 20_000));
    const bases = log.segmentBaseOffsets;
    now = T0 + 25_000;
    const deleted = log.deleteOldSegments();
    expect(deleted).toBeGreaterThan(0);
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets[0]);
    expect((await readAllValues(log))[0]!.offset).toBeLessThanOrEqual(20n);
    expect(log.segmentBaseOffsets.length).toBe(bases.length - deleted);
    now = T0 + 1_000_000;
    log.deleteOldSegments();
    expect(log.segmentBaseOffsets).toEqual([40n]);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([40n, 40n]);
    expect(log.append(await makeBatch({ values: ['z'] }), { leaderEpoch: 0 }).baseOffset).toBe(40n);
    await log.settled();
    expect(readdirSync(log.dir).sort()).toEqual([
      '00000000000000000040.index',
      '00000000000000000040.log',
      // Producer state at the roll (Kafka snapshots it there).
      '00000000000000000040.snapshot',
      '00000000000000000040.timeindex',
    ]);
  });

  it('applies retention.bytes oldest first, keeping the log at or above the limit', async () => {
    const log = openLog({ 'segment.bytes': 500, 'retention.bytes': 1200, 'retention.ms': -1 });
    await appendAll(log, await makeBatches(30, 2));
    log.deleteOldSegments();
    expect(log.size).toBeGreaterThanOrEqual(1200);
    expect(log.size).toBeLessThan(1200 + 500);
    expect(log.logEndOffset).toBe(60n);
  });

  it('keeps everything with retention disabled or cleanup.policy=compact', async () => {
    const log = openLog({ 'segment.bytes': 500, 'retention.ms': -1 }, { now: () => T0 + 1e12 });
    await appendAll(log, await makeBatches(10, 2));
    expect(log.deleteOldSegments()).toBe(0);
    log.config = { ...log.config, 'retention.ms': 1, 'cleanup.policy': 'compact' };
    expect(log.deleteOldSegments()).toBe(0);
    log.config = { ...log.config, 'cleanup.policy': 'delete' };
    expect(log.deleteOldSegments()).toBeGreaterThan(0);
  });

  it('truncates to an offset: later segments go, the segment holding it is cut, appends continue', async () => {
    const log = openLog({ 'segment.bytes': 600, 'index.interval.bytes': 100 });
    await appendAll(log, await makeBatches(20, 2));
    const bases = log.segmentBaseOffsets;
    const target = bases[1]! + 4n;
    expect(log.truncateTo(target)).toBe(true);
    expect(log.truncateTo(1000n)).toBe(false);
    expect(log.logEndOffset).toBe(target);
    expect(log.segmentBaseOffsets).toEqual(bases.slice(0, 2));
    await appendAll(log, await makeBatches(5, 2, Number(target)));
    const values = await readAllValues(log);
    expect(values.map((r) => r.offset)).toEqual(Array.from({ length: values.length }, (_, i) => BigInt(i)));
    expect(values.map((r) => r.value)).toEqual(Array.from({ length: values.length }, (_, i) => `v${i}`));
    const again = reopen(log, {}, false);
    expect(again.logEndOffset).toBe(log.logEndOffset);
    expect((await readAllValues(again)).length).toBe(values.length);
  });

  it('truncates below the first segment by starting over at that offset', async () => {
    const log = openLog({ 'segment.bytes': 600 });
    await appendAll(log, await makeBatches(20, 2));
    log.deleteRecordsBefore(30n);
    log.truncateTo(5n);
    expect([log.logStartOffset, log.logEndOffset, log.segmentBaseOffsets]).toEqual([5n, 5n, [5n]]);
    log.truncateFullyAndStartAt(100n);
    expect(log.append(await makeBatch({ values: ['x'] }), { leaderEpoch: 0 }).baseOffset).toBe(100n);
  });
});

describe('Log flushing and batch headers', () => {
  it('flush.messages fsyncs and moves the recovery point; a roll flushes in the background', async () => {
    const log = openLog({ 'flush.messages': 3, 'segment.bytes': 400 });
    const batches = await makeBatches(8, 1);
    log.append(batches[0]!, { leaderEpoch: 0 });
    expect(log.recoveryPoint).toBe(0n);
    log.append(batches[1]!, { leaderEpoch: 0 });
    log.append(batches[2]!, { leaderEpoch: 0 });
    expect(log.recoveryPoint).toBe(3n);
    log.config = { ...log.config, 'flush.messages': DEFAULT_LOG_CONFIG['flush.messages'] };
    for (const b of batches.slice(3)) log.append(b, { leaderEpoch: 0 });
    await log.settled();
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(1);
    expect(log.recoveryPoint).toBe(log.segmentBaseOffsets.at(-1));
  });

  it('iterates batch headers with producer state fields', async () => {
    const log = openLog();
    log.append(await makeBatch({ values: ['a', 'b'] }), { leaderEpoch: 3 });
    log.append(await makeBatch({ values: ['c', 'd', 'e'], producerId: 42n, producerEpoch: 1, baseSequence: 10 }), { leaderEpoch: 3 });
    log.append(
      await makeBatch({
        values: ['f', 'g', 'h', 'i', 'j'],
        producerId: 43n,
        producerEpoch: 0,
        baseSequence: 0x7fffffff - 1,
        transactional: true,
      }),
      { leaderEpoch: 3 },
    );
    const seen: LogBatch[] = [];
    log.forEachBatch(0n, (b) => {
      seen.push(b);
    });
    expect(
      seen.map((b) => [
        b.baseOffset,
        b.lastOffset,
        b.producerId,
        b.producerEpoch,
        b.baseSequence,
        b.lastSequence,
        b.isTransactional,
        b.isControl,
      ]),
    ).toEqual([
      [0n, 1n, -1n, -1, -1, -1, false, false],
      [2n, 4n, 42n, 1, 10, 12, false, false],
      [5n, 9n, 43n, 0, 0x7fffffff - 1, 2, true, false],
    ]);
    expect(seen.every((b) => b.partitionLeaderEpoch === 3)).toBe(true);
    const from: bigint[] = [];
    log.forEachBatch(3n, (b) => {
      from.push(b.baseOffset);
      return false;
    });
    expect(from).toEqual([2n]);
  });
});
