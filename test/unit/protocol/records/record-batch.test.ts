import { describe, expect, it } from 'vitest';
import { BATCH, type CompressionName, readBatchHeader } from '../../../../src/protocol/records/batch-header.js';
import { iterateBatches } from '../../../../src/protocol/records/batch-iterator.js';
import { CONTROL_TYPE, decodeControlKey, decodeEndTxnMarker, endTxnMarkerBatch } from '../../../../src/protocol/records/control-record.js';
import { RecordsError } from '../../../../src/protocol/records/errors.js';
import type { RecordInput } from '../../../../src/protocol/records/record.js';
import { type BatchInput, decodeBatch, encodeBatch } from '../../../../src/protocol/records/record-batch.js';
import { KafkajsDecoder, KafkajsRecord, Long, RecordBatch, decodeKafkajsBatch } from './kafkajs.js';

const CODECS: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const LIMIT = { maxDecompressedBytes: 16 << 20 };
const T0 = 1_700_000_000_000n;

const SHAPES: Record<string, Omit<BatchInput, 'compression'>> = {
  'null keys and values': { records: [{ timestamp: T0 }, { key: null, value: null, timestamp: T0 }] },
  'headers (null value, UTF-8 key)': {
    records: [
      {
        key: Buffer.from('k'),
        value: Buffer.from('v'),
        timestamp: T0,
        headers: [
          { key: 'trace', value: Buffer.from('abc') },
          { key: 'é☃', value: null },
          { key: 'trace', value: Buffer.alloc(0) },
        ],
      },
    ],
  },
  'timestamps before the first record': {
    records: [
      { value: Buffer.from('a'), timestamp: T0 },
      { value: Buffer.from('b'), timestamp: T0 - 5000n },
    ],
  },
  'empty (after compaction)': { records: [], baseOffset: 100n, lastOffsetDelta: 9 },
  'compacted gaps': {
    records: [
      { value: Buffer.from('a'), timestamp: T0, offsetDelta: 0 },
      { value: Buffer.from('c'), timestamp: T0 + 2n, offsetDelta: 7 },
    ],
    baseOffset: 50n,
    lastOffsetDelta: 9,
  },
  'idempotent, transactional, LogAppendTime': {
    records: Array.from({ length: 300 }, (_, i) => ({
      key: Buffer.from(`k${i}`),
      value: Buffer.alloc(i % 40, i),
      timestamp: T0 + BigInt(i),
    })),
    baseOffset: 12345678901n,
    partitionLeaderEpoch: 7,
    producerId: 4242n,
    producerEpoch: 3,
    baseSequence: 1000,
    transactional: true,
    timestampType: 'LogAppendTime',
    maxTimestamp: T0 + 99_999n,
  },
  'delete horizon': { records: [{ key: Buffer.from('gone'), value: null, timestamp: T0 }], deleteHorizon: T0 + 86_400_000n },
};

function expectRecords(actual: ReturnType<typeof decodeBatch>, input: BatchInput): void {
  const logAppend = input.timestampType === 'LogAppendTime';
  const base = input.baseOffset ?? 0n;
  expect(
    actual.records.map((r) => ({
      ...r,
      key: r.key && [...r.key],
      value: r.value && [...r.value],
      headers: r.headers.map((h) => ({ key: h.key, value: h.value && [...h.value] })),
    })),
  ).toEqual(
    input.records.map((r: RecordInput, i) => ({
      offset: base + BigInt(r.offsetDelta ?? i),
      timestamp: logAppend ? input.maxTimestamp : r.timestamp,
      key: r.key ? [...r.key] : null,
      value: r.value ? [...r.value] : null,
      headers: (r.headers ?? []).map((h) => ({ key: h.key, value: h.value && [...h.value] })),
    })),
  );
}

describe('v2 record batches', () => {
  for (const codec of CODECS) {
    for (const [name, shape] of Object.entries(SHAPES)) {
      it(`round-trips ${name} with ${codec}`, () => {
        const input = { ...shape, compression: codec };
        const bytes = encodeBatch(input);
        const batch = decodeBatch(bytes, LIMIT);
        expectRecords(batch, input);
        expect(batch).toMatchObject({
          baseOffset: input.baseOffset ?? 0n,
          batchLength: bytes.length - 12,
          partitionLeaderEpoch: input.partitionLeaderEpoch ?? -1,
          magic: 2,
          compression: codec,
          timestampType: input.timestampType ?? 'CreateTime',
          isTransactional: input.transactional ?? false,
          isControl: false,
          hasDeleteHorizon: input.deleteHorizon !== undefined,
          producerId: input.producerId ?? -1n,
          producerEpoch: input.producerEpoch ?? -1,
          baseSequence: input.baseSequence ?? -1,
          recordsCount: input.records.length,
          lastOffsetDelta: input.lastOffsetDelta ?? input.records.length - 1,
        });
        if (input.deleteHorizon !== undefined) expect(batch.baseTimestamp).toBe(input.deleteHorizon);
        if (input.records.length === 0) expect(batch.baseTimestamp).toBe(-1n);
      });
    }
  }

  it('sets maxTimestamp to the largest record timestamp', () => {
    const bytes = encodeBatch({ records: [{ timestamp: 5n }, { timestamp: 9n }, { timestamp: 7n }] });
    expect(readBatchHeader(bytes)).toMatchObject({ baseTimestamp: 5n, maxTimestamp: 9n });
  });

  it('encodes transaction markers as control batches', () => {
    const bytes = encodeBatch(endTxnMarkerBatch({ commit: true, producerId: 9n, producerEpoch: 2, coordinatorEpoch: 17, timestamp: T0 }));
    const batch = decodeBatch(bytes, LIMIT);
    expect(batch).toMatchObject({ isControl: true, isTransactional: true, producerId: 9n, producerEpoch: 2, recordsCount: 1 });
    const [marker] = batch.records;
    expect(decodeControlKey(marker!.key)).toEqual({ version: 0, type: CONTROL_TYPE.COMMIT });
    expect(decodeEndTxnMarker(marker!.value)).toEqual({ version: 0, coordinatorEpoch: 17 });
    const abort = decodeBatch(
      encodeBatch(endTxnMarkerBatch({ commit: false, producerId: 9n, producerEpoch: 2, coordinatorEpoch: 1, timestamp: T0 })),
      LIMIT,
    );
    expect(decodeControlKey(abort.records[0]!.key).type).toBe(CONTROL_TYPE.ABORT);
  });

  it('accepts control keys longer than 4 bytes and rejects shorter ones', () => {
    expect(decodeControlKey(Buffer.from([0, 1, 0, 6, 0xff]))).toEqual({ version: 1, type: 6 });
    expect(() => decodeControlKey(Buffer.from([0, 0, 0]))).toThrow(/need 2 bytes/);
    expect(() => decodeControlKey(null)).toThrow();
    expect(() => decodeEndTxnMarker(Buffer.from([0, 0, 0, 0]))).toThrow();
  });

  it('iterates concatenated batches and ignores a truncated tail', () => {
    const batches = [0, 1, 2].map((i) => encodeBatch({ baseOffset: BigInt(i * 10), records: [{ value: Buffer.from(`v${i}`) }] }));
    const all = Buffer.concat(batches);
    expect([...iterateBatches(all)].map((b) => decodeBatch(b, LIMIT).baseOffset)).toEqual([0n, 10n, 20n]);
    for (const cut of [1, 11, 12, batches[2]!.length - 1]) {
      expect([...iterateBatches(all.subarray(0, all.length - cut))]).toHaveLength(2);
    }
    expect([...iterateBatches(Buffer.alloc(0))]).toHaveLength(0);
  });

  it('rejects corrupt batches with typed errors', () => {
    const good = encodeBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v'), timestamp: T0 }] });
    const flipped = Buffer.from(good);
    flipped[good.length - 1]! ^= 1;
    expect(() => decodeBatch(flipped, LIMIT)).toThrow(/CRC mismatch/);
    const magic1 = Buffer.from(good);
    magic1[BATCH.MAGIC] = 1;
    expect(() => decodeBatch(magic1, LIMIT)).toThrow(RecordsError);
    expect(() => decodeBatch(good.subarray(0, 40), LIMIT)).toThrow(/shorter than its header/);
    expect(() => decodeBatch(good.subarray(0, good.length - 1), LIMIT)).toThrow(/length does not match/);
  });
});

describe('v2 batches against kafkajs', () => {
  for (const codec of ['none', 'gzip'] as const) {
    const kafkajsCodec = codec === 'gzip' ? 1 : 0;

    it(`decodes what kafkajs encodes (${codec})`, async () => {
      const records = [
        KafkajsRecord({
          offsetDelta: 0,
          timestampDelta: 0,
          key: Buffer.from('k0'),
          value: Buffer.from('v0'),
          headers: { a: Buffer.from('1'), b: [Buffer.from('2'), Buffer.from('3')] },
        }),
        KafkajsRecord({ offsetDelta: 1, timestampDelta: 250, key: null, value: Buffer.from('v1') }),
        KafkajsRecord({ offsetDelta: 2, timestampDelta: 1, key: Buffer.from('k2'), value: null }),
      ];
      const encoded = await RecordBatch({
        compression: kafkajsCodec,
        firstOffset: Long.fromValue('77'),
        firstTimestamp: Number(T0),
        maxTimestamp: Number(T0) + 250,
        partitionLeaderEpoch: 4,
        lastOffsetDelta: 2,
        transactional: true,
        producerId: Long.fromValue('31337'),
        producerEpoch: 5,
        firstSequence: 12,
        records,
      });
      const batch = decodeBatch(encoded.buffer, LIMIT);
      expect(batch).toMatchObject({
        baseOffset: 77n,
        partitionLeaderEpoch: 4,
        compression: codec,
        isTransactional: true,
        producerId: 31337n,
        producerEpoch: 5,
        baseSequence: 12,
        lastOffsetDelta: 2,
        maxTimestamp: T0 + 250n,
      });
      expect(batch.records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
        [77n, T0, 'k0', 'v0'],
        [78n, T0 + 250n, null, 'v1'],
        [79n, T0 + 1n, 'k2', null],
      ]);
      expect(batch.records[0]!.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
        ['a', '1'],
        ['b', '2'],
        ['b', '3'],
      ]);
    });

    it(`encodes what kafkajs decodes (${codec})`, async () => {
      const bytes = encodeBatch({
        compression: codec,
        baseOffset: 500n,
        partitionLeaderEpoch: 2,
        producerId: 99n,
        producerEpoch: 1,
        baseSequence: 40,
        transactional: true,
        records: [
          { key: Buffer.from('a'), value: Buffer.from('x'.repeat(300)), timestamp: T0, headers: [{ key: 'h', value: Buffer.from('hv') }] },
          { key: null, value: null, timestamp: T0 + 1000n },
        ],
      });
      const decoded = await decodeKafkajsBatch(new KafkajsDecoder(bytes));
      expect(decoded).toMatchObject({
        firstOffset: '500',
        partitionLeaderEpoch: 2,
        producerId: '99',
        producerEpoch: 1,
        firstSequence: 40,
        inTransaction: true,
        isControlBatch: false,
        lastOffsetDelta: 1,
        maxTimestamp: String(T0 + 1000n),
      });
      expect(decoded.records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.length ?? null, r.headers])).toEqual([
        ['500', String(T0), 'a', 300, { h: Buffer.from('hv') }],
        ['501', String(T0 + 1000n), null, null, {}],
      ]);
    });
  }
});
