import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import { ATTR, BATCH, type CompressionName, computeBatchCrc } from '../../../../src/protocol/records/batch-header.js';
import { RecordsError } from '../../../../src/protocol/records/errors.js';
import {
  type ProducedRecordRules,
  checkProducedRecordsInSlices,
  checkProducedRecordsWithin,
} from '../../../../src/protocol/records/produced-records.js';
import type { RecordInput } from '../../../../src/protocol/records/record.js';
import { type BatchInput, encodeBatch } from '../../../../src/protocol/records/record-batch.js';
import { validateProduceRecords } from '../../../../src/protocol/records/validate.js';
import { readVarint, writeVarint } from '../../../../src/protocol/records/varint.js';
import { DecompressionLimitError } from '../../../../src/protocol/records/bounded-output.js';
import { decompress } from '../../../../src/protocol/records/compression.js';
import { withRecordBytes } from './crafted-batch.js';

const CODECS: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const NOW = 1_700_000_000_000;
const RULES: ProducedRecordRules = {
  partition: 't-0',
  requireKeys: false,
  timestampType: 'CreateTime',
  timestampWindow: null,
  maxMessageBytes: 1 << 20,
};
const LIMIT = 1 << 20;

function records(n: number, extra: (i: number) => Partial<RecordInput> = () => ({})): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    key: Buffer.from(`k${i}`),
    value: Buffer.alloc(40, i),
    timestamp: BigInt(NOW + i),
    ...extra(i),
  }));
}

type Mode = 'at once' | 'in slices';
const MODES: Mode[] = ['at once', 'in slices'];

/**
 * Header-validates `bytes` as Produce v11 does, then checks its records all at once (within
 * LIMIT decompressed) or in 7-byte slices; resolves to the bytes the records take.
 */
async function check(mode: Mode, bytes: Buffer, rules: Partial<ProducedRecordRules> = {}, limit = LIMIT): Promise<number> {
  const batch = validateProduceRecords(bytes, 11);
  if (mode === 'in slices') return checkProducedRecordsInSlices(bytes, batch, { ...RULES, ...rules }, limit, 7, async () => {});
  const taken = checkProducedRecordsWithin(bytes, batch, { ...RULES, ...rules }, limit);
  if (taken === undefined) throw new Error('over the limit');
  return taken;
}

async function rejection(checking: Promise<unknown>): Promise<RecordsError> {
  try {
    await checking;
  } catch (err) {
    expect(err).toBeInstanceOf(RecordsError);
    return err as RecordsError;
  }
  return expect.fail('no error thrown');
}

describe.each(MODES.flatMap((mode) => CODECS.map((codec) => [mode, codec] as const)))('checking records %s, %s', (mode, codec) => {
  const batch = (input: Omit<BatchInput, 'compression'>) => encodeBatch({ ...input, compression: codec });

  it('accepts well-formed records', async () => {
    await expect(check(mode, batch({ records: records(5) }), { requireKeys: true })).resolves.toBeGreaterThan(0);
    await expect(
      check(
        mode,
        withRecordBytes(codec, records(3), (raw) => raw),
      ),
    ).resolves.toBeGreaterThan(0);
  });

  it('refuses a record count that does not match the records', async () => {
    const more = await rejection(
      check(
        mode,
        withRecordBytes(codec, records(3), (raw) => raw, 4),
      ),
    );
    expect(more).toMatchObject({ errorCode: ErrorCode.INVALID_RECORD, recordErrors: [] });
    expect(more.message).toContain('declares 4 records but holds 3');
    const fewer = await rejection(
      check(
        mode,
        withRecordBytes(codec, records(3), (raw) => raw, 2),
      ),
    );
    expect(fewer.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(fewer.message).toContain('bytes left over after 2 records');
  });

  it('refuses truncated and malformed records', async () => {
    const truncated = withRecordBytes(codec, records(3), (raw) => raw.subarray(0, raw.length - 5));
    expect((await rejection(check(mode, truncated))).errorCode).toBe(ErrorCode.INVALID_RECORD);
    // The first record claims a negative header count.
    const badHeaders = withRecordBytes(codec, records(2), (raw) => {
      const firstEnd = 1 + raw[0]! / 2;
      writeVarint(raw, firstEnd - 1, -3);
      return raw;
    });
    expect((await rejection(check(mode, badHeaders))).message).toContain('invalid header count -3');
  });

  it('refuses offset deltas other than 0..n-1', async () => {
    const shuffled = batch({ records: records(3, (i) => ({ offsetDelta: [0, 2, 1][i] })), lastOffsetDelta: 2 });
    const error = await rejection(check(mode, shuffled));
    expect(error.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(error.message).toContain('record 1 has offset delta 2, expected 1');
  });

  it('refuses keyless records on compacted topics, naming each', async () => {
    const keyless = batch({ records: records(6, (i) => (i % 2 === 1 ? { key: null } : {})) });
    await expect(check(mode, keyless)).resolves.toBeGreaterThan(0);
    const error = await rejection(check(mode, keyless, { requireKeys: true }));
    const message = 'Compacted topic cannot accept message without key in topic partition t-0';
    expect(error.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(error.recordErrors).toEqual([1, 3, 5].map((batchIndex) => ({ batchIndex, message })));
    expect(error.message).toBe(
      `One or more records have been rejected due to 3 record errors in total, and only showing the first three errors at most: [RecordError(batchIndex=1, message='${message}'), RecordError(batchIndex=3, message='${message}'), RecordError(batchIndex=5, message='${message}')]`,
    );
  });

  it('checks every CreateTime timestamp, not only the first and largest', async () => {
    const hourAgo = BigInt(NOW - 3_600_000);
    const input = batch({ records: records(3, (i) => (i === 1 ? { timestamp: hourAgo } : {})) });
    const window = { now: NOW + 2, beforeMaxMs: 60_000, afterMaxMs: 1_000 };
    const error = await rejection(check(mode, input, { timestampWindow: window }));
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
    await expect(check(mode, input, { timestampWindow: { ...window, beforeMaxMs: 3_600_002 } })).resolves.toBeGreaterThan(0);
    await expect(check(mode, input, { timestampWindow: window, timestampType: 'LogAppendTime' })).resolves.toBeGreaterThan(0);
    const noTimestamp = batch({ records: records(2, () => ({ timestamp: -1n })) });
    await expect(check(mode, noTimestamp, { timestampWindow: window })).resolves.toBeGreaterThan(0);
  });

  it('refuses a producer-set LogAppendTime as Kafka does', async () => {
    const appendTime = batch({ records: records(2), timestampType: 'LogAppendTime', maxTimestamp: BigInt(NOW) });
    expect(appendTime.readUInt16BE(BATCH.ATTRIBUTES) & ATTR.TIMESTAMP_LOG_APPEND).not.toBe(0);
    const onAppendTimeTopic = await rejection(check(mode, appendTime, { timestampType: 'LogAppendTime' }));
    expect(onAppendTimeTopic.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
    expect(onAppendTimeTopic.recordErrors.map((e) => e.batchIndex)).toEqual([0, 1]);
    expect(onAppendTimeTopic.recordErrors[0]!.message).toContain('Producer should not set timestamp type to LogAppendTime');
    // On a CreateTime topic the records' time is the batch's maxTimestamp, held to the window.
    await expect(check(mode, appendTime)).resolves.toBeGreaterThan(0);
    const window = { now: NOW + 10 * 60_000, beforeMaxMs: 60_000, afterMaxMs: 60_000 };
    expect((await rejection(check(mode, appendTime, { timestampWindow: window }))).errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
  });

  it('reports a key error before a timestamp error for the same record', async () => {
    const input = batch({ records: records(2, (i) => (i === 0 ? { key: null, timestamp: 0n } : { timestamp: 0n })) });
    const error = await rejection(check(mode, input, { requireKeys: true, timestampWindow: { now: NOW, beforeMaxMs: 1, afterMaxMs: 1 } }));
    expect(error.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
    expect(error.recordErrors.map((e) => [e.batchIndex, e.message.split(' ')[0]])).toEqual([
      [0, 'Compacted'],
      [1, 'Timestamp'],
    ]);
  });
});

describe.each(MODES)('checking compressed records %s', (mode) => {
  const compressed = CODECS.filter((c) => c !== 'none');

  it.each(compressed)('answers INVALID_RECORD for %s data that will not decompress', async (codec) => {
    const garbage = encodeBatch({ records: records(2), compression: codec });
    garbage.fill(0xa5, BATCH.HEADER_SIZE);
    garbage.writeUInt32BE(computeBatchCrc(garbage, 0, garbage.length), BATCH.CRC);
    expect((await rejection(check(mode, garbage))).errorCode).toBe(ErrorCode.INVALID_RECORD);
  });

  it.each(compressed)('stops decompressing %s at the limit', async (codec) => {
    const bomb = encodeBatch({ records: records(1, () => ({ value: Buffer.alloc(1 << 20) })), compression: codec });
    expect(bomb.length).toBeLessThan(64 << 10);
    const big = { maxMessageBytes: 2 << 20 };
    if (mode === 'at once') {
      await expect(check(mode, bomb, big, 64 << 10)).rejects.toThrow('over the limit');
    } else {
      const error = await rejection(check(mode, bomb, big, 64 << 10));
      expect(error).toBeInstanceOf(DecompressionLimitError);
      expect(error.message).toContain('exceeds the 65536-byte limit');
    }
    await expect(check(mode, bomb, big, 2 << 20)).resolves.toBeGreaterThan(1 << 20);
  });
});

describe.each(MODES.flatMap((mode) => CODECS.map((codec) => [mode, codec] as const)))('record sizes, %s, %s', (mode, codec) => {
  it('refuses a record larger than an uncompressed batch of its own could be under max.message.bytes', async () => {
    const input = encodeBatch({ records: records(3, (i) => (i === 2 ? { value: Buffer.alloc(3000) } : {})), compression: codec });
    const sizes = recordSizes(input);
    const limit = sizes[2]! + BATCH.HEADER_SIZE;
    await expect(check(mode, input, { maxMessageBytes: limit })).resolves.toBeGreaterThan(3000);
    const error = await rejection(check(mode, input, { maxMessageBytes: limit - 1 }));
    expect(error.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(error.message).toBe(
      `The record at batch index 2 in the append to t-0 is ${sizes[2]} bytes decompressed, which exceeds what a record batch of its own may hold under the maximum configured value of ${limit - 1}.`,
    );
  });
});

describe('a decompression bomb of zeros', () => {
  it.each(CODECS.filter((c) => c !== 'none'))('is refused in its first slice (%s), however far it would inflate', async (codec) => {
    const zeros = Buffer.alloc(16 << 20);
    const bomb = withRecordBytes(codec, records(300), () => zeros);
    expect(bomb.length).toBeLessThan(1 << 20);
    let pauses = 0;
    const checking = checkProducedRecordsInSlices(bomb, validateProduceRecords(bomb, 11), RULES, 256 << 20, 1 << 20, async () => {
      pauses++;
    });
    const error = await rejection(checking);
    expect(error.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(error.message).toContain('invalid record length 0 in record 0');
    expect(pauses).toBe(0);
  });
});

/** Each record's size, length prefix included, in an uncompressed copy of `batch`'s records. */
function recordSizes(batch: Buffer): number[] {
  const raw = decodedRecordBytes(batch);
  const sizes: number[] = [];
  for (let at = 0; at < raw.length; ) {
    const cursor = { buf: raw, pos: at, end: raw.length };
    const size = readVarint(cursor);
    sizes.push(cursor.pos - at + size);
    at = cursor.pos + size;
  }
  return sizes;
}

function decodedRecordBytes(batch: Buffer): Buffer {
  const summary = validateProduceRecords(batch, 11);
  return decompress(summary.compression, batch.subarray(BATCH.HEADER_SIZE), 1 << 24);
}
