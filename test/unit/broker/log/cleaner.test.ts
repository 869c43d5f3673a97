import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Log } from '../../../../src/broker/log/log.js';
import { readBatchHeader } from '../../../../src/protocol/records/batch-header.js';
import { endTxnMarkerBatch } from '../../../../src/protocol/records/control-record.js';
import { encodeBatch } from '../../../../src/protocol/records/record-batch.js';
import { T0, decodeRecords } from './batches.js';
import { cleanerFor, keyedBatch, openCompactedLog, storedBatches, storedRecords } from './cleaner-helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function compactedLog(...args: Parameters<typeof openCompactedLog>): Log {
  const { log, remove } = openCompactedLog(...args);
  cleanups.push(remove);
  return log;
}

/** Appends `rounds` single-record batches cycling over `keys` keys; returns each key's last offset and value. */
function overwrite(log: Log, keys: number, rounds: number, timestamp = T0): Map<string, { offset: bigint; value: string }> {
  const latest = new Map<string, { offset: bigint; value: string }>();
  for (let i = 0; i < rounds; i++) {
    const key = `k${i % keys}`;
    const value = `value-${i}`;
    const { baseOffset } = log.append(keyedBatch([[key, value]], { timestamp }), { leaderEpoch: 3 });
    latest.set(key, { offset: baseOffset, value });
  }
  return latest;
}

const CLIENT = { leaderEpoch: 0 } as const;
const COORDINATOR = { leaderEpoch: 0, origin: 'coordinator' } as const;

/** A transactional producer's batch of keyed records. */
function txnBatch(producerId: bigint, baseSequence: number, entries: [string, string][]): Buffer {
  return keyedBatch(entries, { producerId, producerEpoch: 0, baseSequence, transactional: true });
}

function marker(producerId: bigint, commit: boolean): Buffer {
  return encodeBatch(endTxnMarkerBatch({ producerId, producerEpoch: 0, commit, coordinatorEpoch: 0, timestamp: BigInt(T0) }));
}

/** The records of the log's data batches (markers left out). */
function dataRecords(log: Log) {
  return storedBatches(log).flatMap((b) => (b.isControl ? [] : b.records));
}

describe('log cleaner', () => {
  it('keeps only the latest record of each key, at its original offset', async () => {
    const log = compactedLog();
    const latest = overwrite(log, 5, 300);
    log.roll();
    const before = { size: log.size, end: log.logEndOffset };

    expect(cleanerFor([log]).cleanFilthiestLog()).toBe(log);

    const records = storedRecords(log);
    expect(records).toEqual(
      [...latest].map(([key, { offset, value }]) => ({ offset, key, value })).sort((a, b) => Number(a.offset - b.offset)),
    );
    expect(log.logEndOffset).toBe(before.end);
    expect(log.logStartOffset).toBe(0n);
    expect(log.size).toBeLessThan(before.size / 10);
    expect(log.segmentBaseOffsets[0]).toBe(0n);
    // kafkajs decodes the compacted batches (offset gaps, empty batches) to the same records.
    const data = Buffer.concat(log.segmentBaseOffsets.map((o) => log.read(o, 1 << 20)));
    expect((await decodeRecords(data)).map((r) => [r.offset, r.value])).toEqual(records.map((r) => [r.offset, r.value]));
    // Every stored batch keeps the leader epoch it was appended with.
    expect(new Set(storedBatches(log).map((b) => b.partitionLeaderEpoch))).toEqual(new Set([3]));
    // Nothing is left over in the directory, and the indexes find every surviving offset.
    expect(readdirSync(log.dir).filter((f) => /\.(cleaned|swap|deleted)$/.test(f))).toEqual([]);
    for (const { offset } of records) {
      const [base, last] = firstBatchAt(log, offset);
      expect(base <= offset && offset <= last).toBe(true);
    }
  });

  it('merges the small segments a pass leaves into fewer on the next pass', () => {
    const log = compactedLog();
    overwrite(log, 5, 300);
    log.roll();
    const cleaner = cleanerFor([log]);
    const rolled = log.segmentBaseOffsets.length;
    cleaner.cleanFilthiestLog();
    // Groups go by the segments' sizes before cleaning: full segments are each rewritten alone.
    expect(log.segmentBaseOffsets.length).toBe(rolled);
    const latest = overwrite(log, 5, 30);
    log.roll();
    expect(cleaner.cleanFilthiestLog()).toBe(log);
    expect(log.segmentBaseOffsets.length).toBeLessThan(rolled / 2);
    expect(storedRecords(log).map((r) => r.value)).toEqual([...latest.values()].map((l) => l.value));
  });

  it('leaves the active segment alone and cleans only the inactive ones', () => {
    const log = compactedLog({ 'segment.bytes': 100_000 });
    log.append(
      keyedBatch([
        ['a', '1'],
        ['a', '2'],
        ['b', '1'],
      ]),
      { leaderEpoch: 0 },
    );
    log.roll();
    log.append(
      keyedBatch([
        ['a', '3'],
        ['a', '4'],
      ]),
      { leaderEpoch: 0 },
    );
    const activeBytes = readFileSync(join(log.dir, '00000000000000000003.log'));

    cleanerFor([log]).cleanFilthiestLog();

    // a@0 is superseded within the dirty section; a@1 stays, as the active segment is never mapped.
    expect(storedRecords(log).map((r) => [r.offset, r.key, r.value])).toEqual([
      [1n, 'a', '2'],
      [2n, 'b', '1'],
      [3n, 'a', '3'],
      [4n, 'a', '4'],
    ]);
    expect(readFileSync(join(log.dir, '00000000000000000003.log'))).toEqual(activeBytes);
    const [first] = storedBatches(log);
    expect([first!.baseOffset, first!.lastOffsetDelta]).toEqual([0n, 2]);
  });

  it('keeps tombstones with a delete horizon, then removes them once delete.retention.ms has passed', () => {
    let now = T0;
    const log = compactedLog({ 'delete.retention.ms': 60_000 }, () => now);
    log.append(
      keyedBatch([
        ['gone', 'v1'],
        ['kept', 'v1'],
      ]),
      { leaderEpoch: 0 },
    );
    log.append(keyedBatch([['gone', null]]), { leaderEpoch: 0 });
    log.append(keyedBatch([['other', 'v']]), { leaderEpoch: 0 });
    log.roll();
    const cleaner = cleanerFor([log], () => now);

    expect(cleaner.cleanFilthiestLog()).toBe(log);
    expect(storedRecords(log).map((r) => [r.key, r.value])).toEqual([
      ['kept', 'v1'],
      ['gone', null],
      ['other', 'v'],
    ]);
    const tombstoneBatch = storedBatches(log).find((b) => b.records.some((r) => r.value === null))!;
    expect(tombstoneBatch.hasDeleteHorizon).toBe(true);
    expect(tombstoneBatch.baseTimestamp).toBe(BigInt(T0 + 60_000));

    now = T0 + 59_999;
    expect(cleaner.cleanFilthiestLog()).toBeUndefined();
    expect(storedRecords(log).some((r) => r.value === null)).toBe(true);

    now = T0 + 60_000;
    expect(cleaner.cleanFilthiestLog()).toBe(log);
    expect(storedRecords(log).map((r) => [r.key, r.value])).toEqual([
      ['kept', 'v1'],
      ['other', 'v'],
    ]);
    expect(cleaner.cleanFilthiestLog()).toBeUndefined();
  });

  it("removes aborted transactions' records, which never supersede committed ones, then their markers after delete.retention.ms", () => {
    let now = T0;
    const log = compactedLog({ 'delete.retention.ms': 1000 }, () => now);
    log.append(keyedBatch([['a', 'committed-a']]), CLIENT); // 0
    log.append(txnBatch(5n, 0, [['a', 'aborted-a']]), CLIENT); // 1
    log.append(marker(5n, false), COORDINATOR); // 2: ABORT, indexed in .txnindex
    log.append(txnBatch(5n, 1, [['c', 'c1']]), CLIENT); // 3
    log.append(marker(5n, true), COORDINATOR); // 4: COMMIT
    log.append(keyedBatch([['d', 'd1']]), CLIENT); // 5
    log.roll();
    const cleaner = cleanerFor([log], () => now);
    const records = () => dataRecords(log).map((r) => [r.offset, r.key?.toString(), r.value?.toString()]);
    const markers = () => storedBatches(log).filter((b) => b.isControl);
    const aborted = () => log.segments.flatMap((s) => s.txnIndex.entries);

    expect(cleaner.cleanFilthiestLog()).toBe(log);
    // The aborted record is gone and did not take key a's place; both markers stay: their transactions
    // had data in this pass, and the ABORT's index entry moves to the cleaned segment with it.
    expect(records()).toEqual([
      [0n, 'a', 'committed-a'],
      [3n, 'c', 'c1'],
      [5n, 'd', 'd1'],
    ]);
    expect(markers().map((b) => [b.baseOffset, b.hasDeleteHorizon])).toEqual([
      [2n, false],
      [4n, false],
    ]);
    expect(aborted()).toEqual([{ producerId: 5n, firstOffset: 1n, lastOffset: 2n, lastStableOffset: 3n }]);

    // A later pass finds the ABORT marking nothing any more: it gets a delete horizon, its index entry goes.
    log.append(keyedBatch([['d', 'd2']]), CLIENT);
    log.roll();
    expect(cleaner.cleanFilthiestLog()).toBe(log);
    expect(markers().map((b) => [b.baseOffset, b.hasDeleteHorizon, b.baseTimestamp])).toEqual([
      [2n, true, BigInt(T0 + 1000)],
      [4n, false, BigInt(T0)],
    ]);
    expect(aborted()).toEqual([]);

    // Past the horizon the cleaner comes back by itself and drops it; the COMMIT of the producer's last batch stays.
    now = T0 + 999;
    expect(cleaner.cleanFilthiestLog()).toBeUndefined();
    now = T0 + 1000;
    expect(cleaner.cleanFilthiestLog()).toBe(log);
    expect(markers().map((b) => b.baseOffset)).toEqual([4n]);
    expect(records()).toEqual([
      [0n, 'a', 'committed-a'],
      [3n, 'c', 'c1'],
      [6n, 'd', 'd2'],
    ]);
  });

  it('cleans nothing from the first open transaction on, and the whole log once it is committed', () => {
    const log = compactedLog();
    log.append(keyedBatch([['a', 'a1']]), CLIENT); // 0
    log.append(txnBatch(7n, 0, [['a', 'a-in-txn']]), CLIENT); // 1, open
    log.roll();
    log.append(keyedBatch([['a', 'a3']]), CLIENT); // 2
    log.roll();
    const cleaner = cleanerFor([log]);
    expect(cleaner.logToClean(log)?.firstUncleanableOffset).toBe(1n);
    cleaner.cleanFilthiestLog();
    // Had offset 2 been mapped, a1 would be gone; had the open transaction then aborted, key a would have lost its value.
    expect(dataRecords(log).map((r) => r.value?.toString())).toEqual(['a1', 'a-in-txn', 'a3']);

    log.append(marker(7n, true), COORDINATOR); // 3
    log.roll();
    expect(cleaner.cleanFilthiestLog()).toBe(log);
    expect(dataRecords(log).map((r) => r.value?.toString())).toEqual(['a3']);
  });

  it("keeps a batch emptied by cleaning when it is an idempotent producer's last one", () => {
    const log = compactedLog({ 'segment.bytes': 100_000 });
    log.append(
      keyedBatch(
        [
          ['k', 'old'],
          ['j', 'old'],
        ],
        { producerId: 7n, producerEpoch: 2, baseSequence: 10 },
      ),
      { leaderEpoch: 0 },
    );
    log.append(
      keyedBatch(
        [
          ['k', 'new'],
          ['j', 'new'],
        ],
        { producerId: 8n, producerEpoch: 0, baseSequence: 0 },
      ),
      { leaderEpoch: 0 },
    );
    log.append(keyedBatch([['x', 'old']]), { leaderEpoch: 0 });
    log.append(keyedBatch([['x', 'new']]), { leaderEpoch: 0 });
    log.append(keyedBatch([['y', '1']]), { leaderEpoch: 0 });
    log.roll();

    cleanerFor([log]).cleanFilthiestLog();

    const batches = storedBatches(log).map((b) => ({
      base: b.baseOffset,
      lastDelta: b.lastOffsetDelta,
      producerId: b.producerId,
      baseSequence: b.baseSequence,
      records: b.records.map((r) => r.value?.toString()),
    }));
    expect(batches).toEqual([
      { base: 0n, lastDelta: 1, producerId: 7n, baseSequence: 10, records: [] },
      { base: 2n, lastDelta: 1, producerId: 8n, baseSequence: 0, records: ['new', 'new'] },
      { base: 5n, lastDelta: 0, producerId: -1n, baseSequence: -1, records: ['new'] },
      { base: 6n, lastDelta: 0, producerId: -1n, baseSequence: -1, records: ['1'] },
    ]);
    // Producer 7's last sequence survives for duplicate detection after a rebuild from the log alone.
    for (const name of readdirSync(log.dir)) if (name.endsWith('.snapshot')) rmSync(join(log.dir, name));
    const reopened = Log.open({ dir: log.dir, topicPartition: log.topicPartition, config: log.config });
    try {
      expect(reopened.producerState.entry(7n)?.findDuplicateBatch(2, 10, 11)).toMatchObject({ lastOffset: 1n });
    } finally {
      reopened.close();
    }
  });

  it('re-encodes compressed batches with their codec and drops records without a key', () => {
    const log = compactedLog({ 'segment.bytes': 100_000 });
    log.append(
      keyedBatch(
        [
          ['a', 'x'.repeat(200)],
          ['a', 'y'.repeat(200)],
          ['b', 'z'],
        ],
        { compression: 'zstd' },
      ),
      { leaderEpoch: 0 },
    );
    log.append(keyedBatch([[null, 'no key']]), { leaderEpoch: 0 });
    log.roll();

    cleanerFor([log]).cleanFilthiestLog();

    const [first, ...rest] = storedBatches(log);
    expect(first!.compression).toBe('zstd');
    expect(first!.records.map((r) => [r.offset, r.key?.toString(), r.value?.toString().slice(0, 1)])).toEqual([
      [1n, 'a', 'y'],
      [2n, 'b', 'z'],
    ]);
    // The keyless batch was the log's last before the roll: it stays, emptied (see swap-recovery).
    expect(rest.map((b) => [b.baseOffset, b.records.length])).toEqual([[3n, 0]]);
  });

  it('does not clean below min.cleanable.dirty.ratio, nor segments newer than min.compaction.lag.ms', () => {
    let now = T0 + 10_000;
    const log = compactedLog({ 'min.cleanable.dirty.ratio': 0.5, 'min.compaction.lag.ms': 5_000 }, () => now);
    overwrite(log, 2, 40, T0);
    log.roll();
    overwrite(log, 2, 40, T0 + 8_000);
    log.roll();
    const cleaner = cleanerFor([log], () => now);

    expect(cleaner.logToClean(log)!.firstUncleanableOffset).toBe(40n);
    expect(cleaner.cleanFilthiestLog()).toBe(log);
    // The recent half is untouched: all 40 of its records remain; the old half is down to k0 and k1.
    expect(storedRecords(log).filter((r) => r.offset >= 40n)).toHaveLength(40);
    expect(
      storedRecords(log)
        .filter((r) => r.offset < 40n)
        .map((r) => r.offset),
    ).toEqual([38n, 39n]);

    // Once everything is cleaned, new dirt of a small share of the log stays below the 0.5 ratio.
    now = T0 + 20_000;
    expect(cleaner.cleanFilthiestLog()).toBe(log);
    expect(storedRecords(log)).toHaveLength(2);
    log.append(keyedBatch([['k0', 'again']], { timestamp: T0 }), { leaderEpoch: 0 });
    log.roll();
    expect(cleaner.logToClean(log)!.cleanableRatio).toBeLessThan(0.5);
    expect(cleaner.cleanFilthiestLog()).toBeUndefined();
  });

  it('cleans a compact,delete log too, and leaves delete-only logs alone', () => {
    const both = compactedLog({ 'cleanup.policy': 'compact,delete' });
    const deleteOnly = compactedLog({ 'cleanup.policy': 'delete' });
    for (const log of [both, deleteOnly]) {
      overwrite(log, 2, 50);
      log.roll();
    }
    const cleaner = cleanerFor([both, deleteOnly]);
    expect(cleaner.cleanFilthiestLog()).toBe(both);
    expect(cleaner.cleanFilthiestLog()).toBeUndefined();
    expect(storedRecords(both)).toHaveLength(2);
    expect(storedRecords(deleteOnly)).toHaveLength(50);
  });

  it('cleans in several passes when the offset map cannot hold every key', () => {
    const log = compactedLog();
    const latest = overwrite(log, 40, 120);
    log.roll();
    // 40 keys, room for 10 per pass (24 bytes a key at a 0.9 load factor).
    const cleaner = cleanerFor([log], () => T0, Math.ceil((10 * 24) / 0.9));
    let passes = 0;
    while (cleaner.cleanFilthiestLog() && passes < 50) passes++;
    expect(passes).toBeGreaterThan(1);
    expect(storedRecords(log).map((r) => [r.key, r.value])).toEqual(
      [...latest].sort((a, b) => Number(a[1].offset - b[1].offset)).map(([key, { value }]) => [key, value]),
    );
  });
});

/** Base and last offset of the first batch a read at `offset` returns. */
function firstBatchAt(log: Log, offset: bigint): [bigint, bigint] {
  const header = readBatchHeader(log.read(offset, 1));
  return [header.baseOffset, header.baseOffset + BigInt(header.lastOffsetDelta)];
}
