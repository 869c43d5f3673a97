import { describe, expect, it } from 'vitest';
import { BATCH, computeBatchCrc } from '../../../../src/protocol/records/batch-header.js';
import { endTxnMarkerBatch } from '../../../../src/protocol/records/control-record.js';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import { encodeMessageSet } from '../../../../src/protocol/records/legacy-message-set.js';
import { encodeBatch } from '../../../../src/protocol/records/record-batch.js';
import { type BatchOrigin, validateBatches, validateProduceRecords } from '../../../../src/protocol/records/validate.js';
import { writeVarint } from '../../../../src/protocol/records/varint.js';
import { errorCodeOf } from './records-error.js';

const T0 = 1_700_000_000_000n;

function records(n: number) {
  return Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(50, i), timestamp: T0 + BigInt(i) }));
}

/** Rewrites a header field and fixes the CRC, so only the field itself is wrong. */
function patched(batch: Buffer, edit: (b: Buffer) => void): Buffer {
  const b = Buffer.from(batch);
  edit(b);
  b.writeUInt32BE(computeBatchCrc(b, 0, b.length), BATCH.CRC);
  return b;
}

describe('validateBatches', () => {
  it('summarises each batch without decoding records', () => {
    const a = encodeBatch({ records: records(3), producerId: 7n, producerEpoch: 1, baseSequence: 0 });
    const b = encodeBatch({
      records: records(5),
      compression: 'zstd',
      transactional: true,
      producerId: 7n,
      producerEpoch: 1,
      baseSequence: 3,
    });
    const summaries = validateBatches(Buffer.concat([a, b]), 'client');
    expect(summaries).toEqual([
      expect.objectContaining({
        position: 0,
        size: a.length,
        recordsCount: 3,
        lastOffsetDelta: 2,
        maxTimestamp: T0 + 2n,
        producerId: 7n,
        baseSequence: 0,
        compression: 'none',
        isTransactional: false,
      }),
      expect.objectContaining({
        position: a.length,
        size: b.length,
        recordsCount: 5,
        maxTimestamp: T0 + 4n,
        compression: 'zstd',
        isTransactional: true,
        baseSequence: 3,
      }),
    ]);
    expect(validateBatches(Buffer.alloc(0), 'client')).toEqual([]);
  });

  it('answers CORRUPT_MESSAGE for bad framing and checksums', () => {
    const good = encodeBatch({ records: records(2) });
    const badCrc = Buffer.from(good);
    badCrc[BATCH.HEADER_SIZE + 3]! ^= 0x40;
    const cases: Buffer[] = [
      badCrc,
      good.subarray(0, good.length - 1),
      good.subarray(0, 11),
      patched(good, (b) => b.writeInt32BE(10, BATCH.LENGTH)),
      patched(good, (b) => b.writeInt32BE(-1, BATCH.LENGTH)),
      patched(good, (b) => b.writeInt32BE(0x7fffffff, BATCH.LENGTH)),
      patched(good, (b) => (b[BATCH.MAGIC] = 3)),
      patched(good, (b) => b.writeInt32BE(-1, BATCH.RECORDS_COUNT)),
    ];
    for (const bytes of cases) expect(errorCodeOf(() => validateBatches(bytes, 'log'))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('walks stored uncompressed records: count and lengths must agree, offsets may have gaps', () => {
    const good = encodeBatch({ records: records(3) });
    // Claims 4 records (and offsets to match) while holding 3.
    const fewer = patched(good, (b) => {
      b.writeInt32BE(4, BATCH.RECORDS_COUNT);
      b.writeInt32BE(3, BATCH.LAST_OFFSET_DELTA);
    });
    expect(errorCodeOf(() => validateBatches(fewer, 'log'))).toBe(ErrorCode.CORRUPT_MESSAGE);
    // Claims 2: the third record is left over.
    const more = patched(good, (b) => {
      b.writeInt32BE(2, BATCH.RECORDS_COUNT);
      b.writeInt32BE(1, BATCH.LAST_OFFSET_DELTA);
    });
    expect(errorCodeOf(() => validateBatches(more, 'log'))).toBe(ErrorCode.CORRUPT_MESSAGE);
    // A record length varint that runs past its batch.
    const longRecord = patched(good, (b) => writeVarint(b, BATCH.HEADER_SIZE, 10_000));
    expect(errorCodeOf(() => validateBatches(longRecord, 'log'))).toBe(ErrorCode.CORRUPT_MESSAGE);
    // Compaction leaves gaps in a stored batch's offsets.
    const gaps = encodeBatch({
      records: [{ value: Buffer.from('a') }, { value: Buffer.from('b'), offsetDelta: 1 }, { value: Buffer.from('c'), offsetDelta: 5 }],
      lastOffsetDelta: 2,
    });
    expect(validateBatches(gaps, 'log')).toHaveLength(1);
    // A produced batch's records are checked later, by produced-records.ts.
    expect(validateBatches(more, 'client')).toHaveLength(1);
  });

  it('holds produced batches to the client rules', () => {
    const expectInvalid = (bytes: Buffer, origin: BatchOrigin = 'client') =>
      expect(errorCodeOf(() => validateBatches(bytes, origin))).toBe(ErrorCode.INVALID_RECORD);
    const marker = encodeBatch(endTxnMarkerBatch({ commit: true, producerId: 1n, producerEpoch: 0, coordinatorEpoch: 0, timestamp: T0 }));
    expectInvalid(marker);
    expect(validateBatches(marker, 'log')[0]).toMatchObject({ isControl: true });
    expectInvalid(encodeBatch({ records: [] }));
    expectInvalid(encodeBatch({ records: records(2), lastOffsetDelta: 5, compression: 'lz4' }));
    expectInvalid(encodeBatch({ records: records(2), producerId: 5n, baseSequence: -1 }));
    expectInvalid(encodeMessageSet({ magic: 1, messages: [{ offset: 0n, value: Buffer.alloc(30) }] }));
  });

  it('answers UNSUPPORTED_COMPRESSION_TYPE for codes 5-7 without decompressing', () => {
    const bytes = patched(encodeBatch({ records: records(1), compression: 'gzip' }), (b) => b.writeInt16BE(7, BATCH.ATTRIBUTES));
    expect(errorCodeOf(() => validateBatches(bytes, 'client'))).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  });

  it('does not look inside compressed batches', () => {
    // Garbage where the compressed records would be, with a valid CRC: only consumers notice.
    const garbage = patched(encodeBatch({ records: records(2), compression: 'snappy' }), (b) => b.fill(0xaa, BATCH.HEADER_SIZE));
    expect(validateBatches(garbage, 'client')).toHaveLength(1);
  });
});

describe('validateProduceRecords', () => {
  it('requires exactly one batch and zstd only from v7', () => {
    const one = encodeBatch({ records: records(2), compression: 'zstd' });
    expect(validateProduceRecords(one, 9).recordsCount).toBe(2);
    expect(errorCodeOf(() => validateProduceRecords(one, 6))).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
    expect(errorCodeOf(() => validateProduceRecords(Buffer.concat([one, one]), 9))).toBe(ErrorCode.INVALID_RECORD);
    expect(errorCodeOf(() => validateProduceRecords(Buffer.alloc(0), 9))).toBe(ErrorCode.INVALID_RECORD);
  });
});
