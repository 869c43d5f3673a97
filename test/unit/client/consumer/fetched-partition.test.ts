import { describe, expect, it } from 'vitest';
import type { ConsumerRecord } from '../../../../src/client/consumer/consumer-record.js';
import { CorruptRecordsError } from '../../../../src/client/consumer/consumer-errors.js';
import { FetchedPartition, nextOffsetAfter } from '../../../../src/client/consumer/fetched-partition.js';
import { BATCH } from '../../../../src/protocol/records/batch-header.js';
import { endTxnMarkerBatch } from '../../../../src/protocol/records/control-record.js';
import { encodeMessageSet } from '../../../../src/protocol/records/legacy-message-set.js';
import { encodeBatch, type BatchInput } from '../../../../src/protocol/records/record-batch.js';

type Plain = Omit<ConsumerRecord, 'headers'> & { headers: Array<{ key: string; value: string | null }> };

/** Every record as plain data (views are only valid during the callback). */
function readAll(fetched: FetchedPartition): Plain[] {
  const out: Plain[] = [];
  fetched.read((r) => {
    out.push({
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      timestamp: r.timestamp,
      timestampType: r.timestampType,
      key: r.key && Buffer.from(r.key),
      value: r.value && Buffer.from(r.value),
      headers: r.headers.map((h) => ({ key: h.key, value: h.value?.toString() ?? null })),
    });
    return true;
  });
  return out;
}

const values = (records: Plain[]) => records.map((r) => r.value?.toString() ?? null);

function fetched(
  batches: Buffer[],
  options: { from?: bigint; aborted?: Array<{ producerId: bigint; firstOffset: bigint }> | null; checkCrcs?: boolean } = {},
) {
  const records = Buffer.concat(batches);
  const from = options.from ?? 0n;
  return new FetchedPartition('t', 3, from, nextOffsetAfter(records, from), 100n, records, {
    checkCrcs: options.checkCrcs ?? true,
    abortedTransactions: options.aborted ?? null,
  });
}

const batch = (baseOffset: bigint, vals: string[], extra: Partial<BatchInput> = {}) =>
  encodeBatch({ baseOffset, records: vals.map((v) => ({ value: Buffer.from(v), timestamp: 1000n + BigInt(v.length) })), ...extra });
const txn = (baseOffset: bigint, producerId: bigint, vals: string[]) =>
  batch(baseOffset, vals, { transactional: true, producerId, producerEpoch: 0 });
const marker = (baseOffset: bigint, producerId: bigint, commit: boolean) =>
  encodeBatch({ ...endTxnMarkerBatch({ commit, producerId, producerEpoch: 0, coordinatorEpoch: 0, timestamp: 5n }), baseOffset });

describe('FetchedPartition', () => {
  it('reads keys, values, headers, nulls and timestamps from views', () => {
    const b = encodeBatch({
      baseOffset: 10n,
      records: [
        {
          key: Buffer.from('k'),
          value: Buffer.from('v'),
          headers: [
            { key: 'h', value: Buffer.from('x') },
            { key: 'n', value: null },
            { key: 'h', value: Buffer.from('') },
          ],
          timestamp: 1234n,
        },
        { key: null, value: null, timestamp: 1235n },
      ],
    });
    const records = readAll(fetched([b], { from: 10n }));
    expect(records).toEqual([
      {
        topic: 't',
        partition: 3,
        offset: '10',
        timestamp: '1234',
        timestampType: 'CreateTime',
        key: Buffer.from('k'),
        value: Buffer.from('v'),
        headers: [
          { key: 'h', value: 'x' },
          { key: 'n', value: null },
          { key: 'h', value: '' },
        ],
      },
      { topic: 't', partition: 3, offset: '11', timestamp: '1235', timestampType: 'CreateTime', key: null, value: null, headers: [] },
    ]);
  });

  it('reports LogAppendTime batches with the batch time for every record', () => {
    const b = encodeBatch({ records: [{ value: Buffer.from('a'), timestamp: 1n }], timestampType: 'LogAppendTime', maxTimestamp: 999n });
    expect(readAll(fetched([b]))[0]).toMatchObject({ timestamp: '999', timestampType: 'LogAppendTime' });
  });

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)('skips records before the fetch offset inside a %s batch', (compression) => {
    const b = batch(0n, ['a', 'b', 'c', 'd'], { compression });
    expect(values(readAll(fetched([b], { from: 2n })))).toEqual(['c', 'd']);
  });

  it('ignores a partial batch at the end and computes the next position from complete ones', () => {
    const whole = batch(0n, ['a', 'b']);
    const next = batch(2n, ['c']);
    const cut = Buffer.concat([whole, next.subarray(0, next.length - 3)]);
    expect(nextOffsetAfter(cut, 0n)).toBe(2n);
    expect(nextOffsetAfter(Buffer.alloc(0), 7n)).toBe(7n);
    const f = new FetchedPartition('t', 0, 0n, 2n, 3n, cut, { checkCrcs: true, abortedTransactions: null });
    expect(values(readAll(f))).toEqual(['a', 'b']);
  });

  it('never shows control batches, whatever the isolation level', () => {
    const batches = [txn(0n, 7n, ['t1', 't2']), marker(2n, 7n, true), batch(3n, ['plain'])];
    expect(values(readAll(fetched(batches)))).toEqual(['t1', 't2', 'plain']);
    expect(values(readAll(fetched(batches, { aborted: [] })))).toEqual(['t1', 't2', 'plain']);
  });

  it('read_committed skips aborted transactions, up to their ABORT marker', () => {
    const batches = [
      txn(0n, 1n, ['aborted-1']),
      txn(1n, 2n, ['committed-2']),
      batch(2n, ['plain']),
      marker(3n, 1n, false),
      marker(4n, 2n, true),
      // Producer 1 again, in a later transaction that committed.
      txn(5n, 1n, ['committed-1']),
      marker(6n, 1n, true),
    ];
    const aborted = [{ producerId: 1n, firstOffset: 0n }];
    expect(values(readAll(fetched(batches, { aborted })))).toEqual(['committed-2', 'plain', 'committed-1']);
    // read_uncommitted shows everything that is not a marker.
    expect(values(readAll(fetched(batches)))).toEqual(['aborted-1', 'committed-2', 'plain', 'committed-1']);
  });

  it('reads legacy magic 0 and 1 message sets', () => {
    const v1 = encodeMessageSet({
      magic: 1,
      compression: 'gzip',
      messages: [
        { offset: 0n, value: Buffer.from('m1'), timestamp: 77n },
        { offset: 1n, value: Buffer.from('m2'), timestamp: 78n },
      ],
    });
    const v0 = encodeMessageSet({ magic: 0, messages: [{ offset: 2n, key: Buffer.from('k'), value: Buffer.from('m3') }] });
    const records = readAll(fetched([v1, v0]));
    expect(records.map((r) => [r.offset, r.timestamp, r.timestampType, r.value?.toString()])).toEqual([
      ['0', '77', 'CreateTime', 'm1'],
      ['1', '78', 'CreateTime', 'm2'],
      ['2', '-1', 'NoTimestampType', 'm3'],
    ]);
  });

  it('stops when the visitor says so', () => {
    const f = fetched([batch(0n, ['a', 'b', 'c'])]);
    const seen: string[] = [];
    expect(f.read((r) => seen.push(r.value!.toString()) < 2)).toBe(false);
    expect(seen).toEqual(['a', 'b']);
  });

  it('reports corrupt data as one CorruptRecordsError, CRC checked unless check.crcs=false', () => {
    const b = batch(5n, ['abc']);
    b[b.length - 2] ^= 0xff;
    expect(() => readAll(fetched([b], { from: 5n }))).toThrow(CorruptRecordsError);
    expect(() => readAll(fetched([b], { from: 5n }))).toThrow(
      /^corrupt records in t-3 at offset 5: record is corrupt \(stored crc = \d+, computed crc = \d+\)$/,
    );
    expect(readAll(fetched([b], { from: 5n, checkCrcs: false }))).toHaveLength(1);

    const badLength = batch(0n, ['abc']);
    badLength[BATCH.HEADER_SIZE] = 0x7f; // the first record's length varint, far too long
    expect(() => readAll(fetched([badLength], { checkCrcs: false }))).toThrow(/^corrupt records in t-3 at offset 0: invalid record length/);

    const badCodec = batch(0n, ['abc'], { compression: 'gzip' });
    badCodec[BATCH.HEADER_SIZE] ^= 0xff; // the gzip magic
    expect(() => readAll(fetched([badCodec], { checkCrcs: false }))).toThrow(CorruptRecordsError);
  });
});
