import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProducerBatch } from '../../../../src/client/producer/producer-batch.js';
import type { DeliveryCallback } from '../../../../src/client/producer/producer-record.js';
import { readBatchHeader } from '../../../../src/protocol/records/batch-header.js';
import { decodeBatch } from '../../../../src/protocol/records/record-batch.js';

const LIMITS = { maxDecompressedBytes: 1 << 24 };
const noop = (): void => {};

describe('ProducerBatch', () => {
  it('encodes records that the batch decoder reads back, for every codec', () => {
    const record = fc.record({
      key: fc.option(fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a))),
      value: fc.option(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
        ),
      ),
      headers: fc.array(fc.record({ key: fc.string({ maxLength: 5 }), value: fc.option(fc.string({ maxLength: 5 })) }), { maxLength: 3 }),
      delta: fc.integer({ min: -5000, max: 5000 }),
    });
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('none', 'gzip', 'snappy', 'lz4', 'zstd' as const),
        (records, codec) => {
          const batch = new ProducerBatch('t', 0, 1 << 16, 0, 1 << 20, 1);
          const base = 1_700_000_000_000;
          for (const r of records) expect(batch.tryAppend(base + r.delta, r.key, r.value, r.headers, noop)).toBeGreaterThan(0);
          batch.close(codec, undefined);
          batch.stamp(42n, 3, 7, false);
          const decoded = decodeBatch(batch.wire(), LIMITS);
          expect(decoded).toMatchObject({
            compression: codec,
            producerId: 42n,
            producerEpoch: 3,
            baseSequence: 7,
            recordsCount: records.length,
          });
          expect(decoded.records.map((r) => [r.key, r.value, r.timestamp, r.headers])).toEqual(
            records.map((r) => [
              r.key,
              r.value === null ? null : Buffer.from(r.value),
              BigInt(base + r.delta),
              r.headers.map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value) })),
            ]),
          );
          expect(decoded.maxTimestamp).toBe(BigInt(base + Math.max(...records.map((r) => r.delta))));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is full once the next record would pass batch.size; the first record always fits', () => {
    const batch = new ProducerBatch('t', 0, 200, 0, 200, 1);
    expect(batch.tryAppend(0, null, Buffer.alloc(500), undefined, noop)).toBeGreaterThan(500);
    expect(batch.tryAppend(0, null, Buffer.alloc(1), undefined, noop)).toBe(-1);
    expect(batch.full).toBe(true);
  });

  it('re-stamping after an epoch bump keeps the CRC valid', () => {
    const batch = new ProducerBatch('t', 0, 1024, 0, 1024, 1);
    batch.tryAppend(5, null, 'v', undefined, noop);
    batch.close('none', undefined);
    batch.stamp(1n, 0, 0, false);
    const first = batch.wire().readUInt32BE(17);
    batch.stamp(1n, 1, 0, false);
    expect(batch.wire().readUInt32BE(17)).not.toBe(first);
    expect(readBatchHeader(batch.wire())).toMatchObject({ producerEpoch: 1, lastOffsetDelta: 0, baseTimestamp: 5n });
    expect(() => decodeBatch(batch.wire(), LIMITS)).not.toThrow();
  });

  it('stamps the transactional flag into the attributes, under the CRC', () => {
    const batch = new ProducerBatch('t', 0, 1024, 0, 1024, 1);
    batch.tryAppend(5, null, 'v', undefined, noop);
    batch.close('lz4', undefined);
    batch.stamp(9n, 2, 0, true);
    expect(readBatchHeader(batch.wire())).toMatchObject({ producerId: 9n, producerEpoch: 2, baseSequence: 0 });
    expect(decodeBatch(batch.wire(), LIMITS)).toMatchObject({ isTransactional: true, compression: 'lz4' });
    batch.stamp(9n, 2, 0, false);
    expect(decodeBatch(batch.wire(), LIMITS).isTransactional).toBe(false);
  });
  it('appends a value cut from a buffer (tryAppendValue) exactly as tryAppend does that keyless record', () => {
    const source = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) & 0xff));
    const append = fc.record({
      start: fc.nat(2900),
      length: fc.oneof(fc.nat(20), fc.nat(600)),
      delta: fc.integer({ min: -100, max: 100 }),
    });
    fc.assert(
      fc.property(fc.array(append, { minLength: 1, maxLength: 40 }), fc.constantFrom(1, 1.3), (appends, sizeFactor) => {
        const [byValue, byRecord] = [0, 1].map(() => new ProducerBatch('t', 0, 1024, 0, 1024, sizeFactor));
        const callbacks: DeliveryCallback[] = [noop, () => {}];
        appends.forEach(({ start, length, delta }, i) => {
          const end = Math.min(source.length, start + length);
          const callback = callbacks[i % 3 === 0 ? 1 : 0]!;
          const took = byValue!.tryAppendValue(1_700_000_000_000 + delta, source, start, end, callback);
          expect(took).toBe(byRecord!.tryAppend(1_700_000_000_000 + delta, null, source.subarray(start, end), undefined, callback));
          expect(byValue!.full).toBe(byRecord!.full);
        });
        for (const b of [byValue!, byRecord!]) b.close('none', undefined);
        expect(byValue!.wire()).toEqual(byRecord!.wire());
        const runs = (b: ProducerBatch) => {
          const seen: unknown[] = [];
          b.forEachRecord((index, callback, timestamp) => seen.push([index, callbacks.indexOf(callback), timestamp]));
          return seen;
        };
        expect(runs(byValue!)).toEqual(runs(byRecord!));
      }),
      { numRuns: 200 },
    );
  });
});
