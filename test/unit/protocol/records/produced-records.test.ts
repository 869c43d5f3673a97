import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import { ATTR, BATCH, type CompressionName, computeBatchCrc } from '../../../../src/protocol/records/batch-header.js';
import { RecordsError } from '../../../../src/protocol/records/errors.js';
import { type ProducedRecordRules, validateProducedRecords } from '../../../../src/protocol/records/produced-records.js';
import type { RecordInput } from '../../../../src/protocol/records/record.js';
import { type BatchInput, encodeBatch } from '../../../../src/protocol/records/record-batch.js';
import { validateProduceRecords } from '../../../../src/protocol/records/validate.js';
import { writeVarint } from '../../../../src/protocol/records/varint.js';
import { withRecordBytes } from './crafted-batch.js';

const CODECS: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const NOW = 1_700_000_000_000;
const RULES: ProducedRecordRules = {
  partition: 't-0',
  requireKeys: false,
  timestampType: 'CreateTime',
  timestampWindow: null,
  maxDecompressedBytes: 1 << 20,
};

function records(n: number, extra: (i: number) => Partial<RecordInput> = () => ({})): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    key: Buffer.from(`k${i}`),
    value: Buffer.alloc(40, i),
    timestamp: BigInt(NOW + i),
    ...extra(i),
  }));
}

/** Header-validates `bytes` as Produce v11 does, then checks its records. */
function validate(bytes: Buffer, rules: Partial<ProducedRecordRules> = {}): void {
  validateProducedRecords(bytes, validateProduceRecords(bytes, 11), { ...RULES, ...rules });
}

function rejection(fn: () => void): RecordsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RecordsError);
    return err as RecordsError;
  }
  return expect.fail('no error thrown');
}

describe.each(CODECS)('validateProducedRecords, %s', (codec) => {
  const batch = (input: Omit<BatchInput, 'compression'>) => encodeBatch({ ...input, compression: codec });

  it('accepts well-formed records', () => {
    expect(() => validate(batch({ records: records(5) }), { requireKeys: true })).not.toThrow();
    expect(() => validate(withRecordBytes(codec, records(3), (raw) => raw))).not.toThrow();
  });

  it('refuses a record count that does not match the records', () => {
    const more = rejection(() => validate(withRecordBytes(codec, records(3), (raw) => raw, 4)));
    expect(more).toMatchObject({ errorCode: ErrorCode.INVALID_RECORD, recordErrors: [] });
    expect(more.message).toContain('declares 4 records but holds 3');
    const fewer = rejection(() => validate(withRecordBytes(codec, records(3), (raw) => raw, 2)));
    expect(fewer.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(fewer.message).toContain('bytes left over after 2 records');
  });

  it('refuses truncated and malformed records', () => {
    const truncated = withRecordBytes(codec, records(3), (raw) => raw.subarray(0, raw.length - 5));
    expect(rejection(() => validate(truncated)).errorCode).toBe(ErrorCode.INVALID_RECORD);
    // The first record claims a negative header count.
    const badHeaders = withRecordBytes(codec, records(2), (raw) => {
      const firstEnd = 1 + raw[0]! / 2;
      writeVarint(raw, firstEnd - 1, -3);
      return raw;
    });
    expect(rejection(() => validate(badHeaders)).message).toContain('invalid header count -3');
  });

  it('refuses offset deltas other than 0..n-1', () => {
    const shuffled = batch({ records: records(3, (i) => ({ offsetDelta: [0, 2, 1][i] })), lastOffsetDelta: 2 });
    const error = rejection(() => validate(shuffled));
    expect(error.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(error.message).toContain('record 1 has offset delta 2, expected 1');
  });

  it('refuses keyless records on compacted topics, naming each', () => {
    const keyless = batch({ records: records(6, (i) => (i % 2 === 1 ? { key: null } : {})) });
    expect(() => validate(keyless)).not.toThrow();
    const error = rejection(() => validate(keyless, { requireKeys: true }));
    const message = 'Compacted topic cannot accept message without key in topic partition t-0';
    expect(error.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(error.recordErrors).toEqual([1, 3, 5].map((batchIndex) => ({ batchIndex, message })));
    expect(error.message).toBe(
      `One or more records have been rejected due to 3 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=1, message='${message}'), RecordError(batchIndex=3, message='${message}'), RecordError(batchIndex=5, message='${message}')]`,
    );
  });

  it('checks every CreateTime timestamp, not only the first and largest', () => {
    const hourAgo = BigInt(NOW - 3_600_000);
    const input = batch({ records: records(3, (i) => (i === 1 ? { timestamp: hourAgo } : {})) });
    const window = { now: NOW + 2, beforeMaxMs: 60_000, afterMaxMs: 1_000 };
    const error = rejection(() => validate(input, { timestampWindow: window }));
    expect(error).toMatchObject({
      errorCode: ErrorCode.INVALID_TIMESTAMP,
      message: 'One or more records have been rejected due to invalid timestamp',
    });
    expect(error.recordErrors).toEqual([
      {
        batchIndex: 1,
        message: `Timestamp ${hourAgo} of message with offset 1 is out of range. The timestamp should be within [${NOW + 2 - 60_000}, ${NOW + 2 + 1_000}]`,
      },
    ]);
    expect(() => validate(input, { timestampWindow: { ...window, beforeMaxMs: 3_600_002 } })).not.toThrow();
    expect(() => validate(input, { timestampWindow: window, timestampType: 'LogAppendTime' })).not.toThrow();
    const noTimestamp = batch({ records: records(2, () => ({ timestamp: -1n })) });
    expect(() => validate(noTimestamp, { timestampWindow: window })).not.toThrow();
  });

  it('refuses a producer-set LogAppendTime as Kafka does', () => {
    const appendTime = batch({ records: records(2), timestampType: 'LogAppendTime', maxTimestamp: BigInt(NOW) });
    expect(appendTime.readUInt16BE(BATCH.ATTRIBUTES) & ATTR.TIMESTAMP_LOG_APPEND).not.toBe(0);
    const onAppendTimeTopic = rejection(() => validate(appendTime, { timestampType: 'LogAppendTime' }));
    expect(onAppendTimeTopic.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
    expect(onAppendTimeTopic.recordErrors.map((e) => e.batchIndex)).toEqual([0, 1]);
    expect(onAppendTimeTopic.recordErrors[0]!.message).toContain('Producer should not set timestamp type to LogAppendTime');
    // On a CreateTime topic the records' time is the batch's maxTimestamp, held to the window.
    expect(() => validate(appendTime)).not.toThrow();
    const window = { now: NOW + 10 * 60_000, beforeMaxMs: 60_000, afterMaxMs: 60_000 };
    expect(rejection(() => validate(appendTime, { timestampWindow: window })).errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
  });

  it('reports a key error before a timestamp error for the same record', () => {
    const input = batch({ records: records(2, (i) => (i === 0 ? { key: null, timestamp: 0n } : { timestamp: 0n })) });
    const error = rejection(() => validate(input, { requireKeys: true, timestampWindow: { now: NOW, beforeMaxMs: 1, afterMaxMs: 1 } }));
    expect(error.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
    expect(error.recordErrors.map((e) => [e.batchIndex, e.message.split(' ')[0]])).toEqual([
      [0, 'Compacted'],
      [1, 'Timestamp'],
    ]);
  });
});

describe('validateProducedRecords, compressed data', () => {
  it.each(CODECS.filter((c) => c !== 'none'))('answers INVALID_RECORD for %s data that will not decompress', (codec) => {
    const garbage = encodeBatch({ records: records(2), compression: codec });
    garbage.fill(0xa5, BATCH.HEADER_SIZE);
    garbage.writeUInt32BE(computeBatchCrc(garbage, 0, garbage.length), BATCH.CRC);
    expect(rejection(() => validate(garbage)).errorCode).toBe(ErrorCode.INVALID_RECORD);
  });

  it.each(CODECS.filter((c) => c !== 'none'))('stops decompressing %s at the limit', (codec) => {
    const bomb = encodeBatch({ records: records(1, () => ({ value: Buffer.alloc(1 << 20) })), compression: codec });
    expect(bomb.length).toBeLessThan(64 << 10);
    const error = rejection(() => validate(bomb, { maxDecompressedBytes: 64 << 10 }));
    expect(error.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(error.message).toContain('exceeds the 65536-byte limit');
    expect(() => validate(bomb, { maxDecompressedBytes: 2 << 20 })).not.toThrow();
  });
});
