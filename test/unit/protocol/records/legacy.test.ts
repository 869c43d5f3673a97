import { describe, expect, it } from 'vitest';
import { BATCH, type CompressionName } from '../../../../src/protocol/records/batch-header.js';
import { endTxnMarkerBatch } from '../../../../src/protocol/records/control-record.js';
import { compress } from '../../../../src/protocol/records/compression.js';
import { crc32 } from '../../../../src/protocol/records/crc.js';
import { ErrorCode } from '../../../../src/protocol/errors.js';
import { downConvert, upConvert } from '../../../../src/protocol/records/legacy-conversion.js';
import { type LegacyMagic, decodeMessageSet, encodeMessageSet } from '../../../../src/protocol/records/legacy-message-set.js';
import { decodeBatch, encodeBatch } from '../../../../src/protocol/records/record-batch.js';
import { validateBatches } from '../../../../src/protocol/records/validate.js';
import { KafkajsDecoder, MessageSet, decodeKafkajsMessageSet, gzipCodec } from './kafkajs.js';
import { errorCodeOf } from './records-error.js';

const T0 = 1_700_000_000_000n;
const LIMIT = { maxDecompressedBytes: 1 << 20 };
const FETCH = { ...LIMIT, partialTail: 'ignore' } as const;
const PRODUCE = { ...LIMIT, partialTail: 'reject' } as const;

const MESSAGES = [
  { offset: 40n, timestamp: T0, key: Buffer.from('k0'), value: Buffer.from('v0') },
  { offset: 41n, timestamp: T0 + 5n, key: null, value: Buffer.from('v1') },
  { offset: 45n, timestamp: T0 + 2n, key: Buffer.from('k2'), value: null },
];

/** Sets a single message's attributes byte and fixes its CRC. */
function withAttributes(entry: Buffer, attributes: number): Buffer {
  const b = Buffer.from(entry);
  b[BATCH.MAGIC + 1] = attributes;
  b.writeUInt32BE(crc32(b.subarray(BATCH.MAGIC)), BATCH.LOG_OVERHEAD);
  return b;
}

const simplify = (ms: ReturnType<typeof decodeMessageSet>) =>
  ms.map((m) => [m.offset, m.timestamp, m.key?.toString() ?? null, m.value?.toString() ?? null]);

describe('legacy message sets', () => {
  for (const magic of [0, 1] as LegacyMagic[]) {
    for (const codec of ['none', 'gzip', 'snappy', 'lz4'] as CompressionName[]) {
      it(`round-trip magic ${magic} with ${codec}`, () => {
        const bytes = encodeMessageSet({ magic, compression: codec, messages: MESSAGES });
        const decoded = decodeMessageSet(bytes, PRODUCE);
        expect(simplify(decoded)).toEqual(
          MESSAGES.map((m) => [m.offset, magic === 1 ? m.timestamp : -1n, m.key?.toString() ?? null, m.value?.toString() ?? null]),
        );
        expect(decoded.every((m) => m.magic === magic && m.compression === codec)).toBe(true);
        if (codec !== 'none') expect(bytes.readBigInt64BE(0)).toBe(45n); // the wrapper holds the last offset
      });
    }
  }

  it('rejects zstd, which needs magic 2', () => {
    expect(errorCodeOf(() => encodeMessageSet({ magic: 1, compression: 'zstd', messages: MESSAGES }))).toBe(
      ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
    );
    const wrapper = withAttributes(encodeMessageSet({ magic: 1, compression: 'gzip', messages: MESSAGES }), 4);
    expect(errorCodeOf(() => decodeMessageSet(wrapper, PRODUCE))).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  });

  it('gives inner messages the wrapper timestamp with LogAppendTime', () => {
    const bytes = encodeMessageSet({ magic: 1, compression: 'gzip', timestampType: 'LogAppendTime', messages: MESSAGES });
    const decoded = decodeMessageSet(bytes, PRODUCE);
    expect(decoded.map((m) => [m.timestampType, m.timestamp])).toEqual(MESSAGES.map(() => ['LogAppendTime', T0 + 5n]));
  });

  it('rejects bad CRCs and sizes, and a truncated tail unless told to ignore it', () => {
    const bytes = encodeMessageSet({ magic: 1, messages: MESSAGES });
    const flipped = Buffer.from(bytes);
    flipped[30]! ^= 1;
    expect(errorCodeOf(() => decodeMessageSet(flipped, PRODUCE))).toBe(ErrorCode.CORRUPT_MESSAGE);
    const cut = bytes.subarray(0, bytes.length - 3);
    expect(errorCodeOf(() => decodeMessageSet(cut, PRODUCE))).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(decodeMessageSet(cut, FETCH)).toHaveLength(2);
    const tooSmall = Buffer.from(bytes);
    tooSmall.writeInt32BE(5, BATCH.LENGTH);
    expect(errorCodeOf(() => decodeMessageSet(tooSmall, FETCH))).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('rejects a compressed message inside a compressed message', () => {
    const inner = encodeMessageSet({ magic: 1, compression: 'gzip', messages: MESSAGES });
    const plain = encodeMessageSet({ magic: 1, messages: [{ offset: 0n, value: compress('gzip', inner) }] });
    expect(() => decodeMessageSet(withAttributes(plain, 1), PRODUCE)).toThrow(/nested compressed message/);
  });
});

describe('legacy message sets against kafkajs', () => {
  it('decodes kafkajs v0 and v1 message sets', async () => {
    for (const messageVersion of [0, 1]) {
      const entries = [
        { key: Buffer.from('a'), value: Buffer.from('1'), timestamp: Number(T0) },
        { key: null, value: Buffer.from('2'), timestamp: Number(T0) + 1 },
      ];
      const decoded = decodeMessageSet(MessageSet({ messageVersion, compression: 0, entries }).buffer, PRODUCE);
      expect(simplify(decoded)).toEqual([
        [-1n, messageVersion ? T0 : -1n, 'a', '1'],
        [-1n, messageVersion ? T0 + 1n : -1n, null, '2'],
      ]);
    }
  });

  it('decodes a kafkajs Produce v2 gzip wrapper (wrapper offset 0, relative inner offsets)', async () => {
    const entries = [0, 1, 2].map((i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: Number(T0) + i }));
    const inner = MessageSet({ messageVersion: 1, compression: 1, entries });
    const wrapper = MessageSet({
      messageVersion: 1,
      entries: [{ compression: 1, timestamp: Number(T0), value: await gzipCodec.compress(inner) }],
    });
    const decoded = decodeMessageSet(wrapper.buffer, PRODUCE);
    expect(simplify(decoded)).toEqual([
      [0n, T0, 'k0', 'v0'],
      [1n, T0 + 1n, 'k1', 'v1'],
      [2n, T0 + 2n, 'k2', 'v2'],
    ]);
    // Up-conversion for the log: one v2 batch a producer could have sent.
    const batch = upConvert(wrapper.buffer, LIMIT);
    expect(validateBatches(batch, 'client')[0]).toMatchObject({ recordsCount: 3, compression: 'gzip', maxTimestamp: T0 + 2n });
  });

  for (const magic of [0, 1] as LegacyMagic[]) {
    it(`kafkajs decodes our magic ${magic} gzip message sets with absolute offsets`, async () => {
      const bytes = encodeMessageSet({ magic, compression: 'gzip', messages: MESSAGES });
      const decoded = await decodeKafkajsMessageSet(new KafkajsDecoder(bytes), bytes.length);
      expect(decoded.map((m) => [m.offset, m.magicByte, m.key?.toString() ?? null, m.value?.toString() ?? null])).toEqual(
        MESSAGES.map((m) => [String(m.offset), magic, m.key?.toString() ?? null, m.value?.toString() ?? null]),
      );
    });
  }
});

describe('conversion between formats', () => {
  const batches = [
    encodeBatch({
      baseOffset: 0n,
      records: [{ key: Buffer.from('a'), value: Buffer.from('1'), timestamp: T0, headers: [{ key: 'dropped', value: null }] }],
    }),
    encodeBatch(endTxnMarkerBatch({ commit: true, producerId: 3n, producerEpoch: 0, coordinatorEpoch: 0, timestamp: T0 })),
    encodeBatch({
      baseOffset: 2n,
      compression: 'gzip',
      records: [
        { value: Buffer.from('2'), timestamp: T0 + 1n },
        { value: Buffer.from('3'), timestamp: T0 + 2n },
      ],
    }),
    encodeBatch({
      baseOffset: 4n,
      compression: 'lz4',
      timestampType: 'LogAppendTime',
      maxTimestamp: T0 + 50n,
      records: [{ value: Buffer.from('4'), timestamp: T0 }],
    }),
    encodeBatch({ baseOffset: 9n, records: [], lastOffsetDelta: 0 }),
  ];
  const v2 = Buffer.concat(batches);

  it('down-converts v2 batches to magic 1, dropping control batches and headers', async () => {
    const set = downConvert(Buffer.concat([v2, v2.subarray(0, 30)]), 1, LIMIT);
    const decoded = decodeMessageSet(set, PRODUCE);
    expect(simplify(decoded)).toEqual([
      [0n, T0, 'a', '1'],
      [2n, T0 + 1n, null, '2'],
      [3n, T0 + 2n, null, '3'],
      [4n, T0 + 50n, null, '4'],
    ]);
    expect(decoded.map((m) => m.compression)).toEqual(['none', 'gzip', 'gzip', 'lz4']);
    expect(decoded[3]!.timestampType).toBe('LogAppendTime');
    // kafkajs cannot inflate lz4, so it checks the batches before that one.
    const gzipOnly = downConvert(Buffer.concat(batches.slice(0, 3)), 1, LIMIT);
    const viaKafkajs = await decodeKafkajsMessageSet(new KafkajsDecoder(gzipOnly), gzipOnly.length);
    expect(viaKafkajs.map((m) => [m.offset, m.timestamp, m.value?.toString()])).toEqual([
      ['0', String(T0), '1'],
      ['2', String(T0 + 1n), '2'],
      ['3', String(T0 + 2n), '3'],
    ]);
  });

  it('down-converts to magic 0 without timestamps, and legacy input passes through', () => {
    const set = downConvert(v2, 0, LIMIT);
    expect(simplify(decodeMessageSet(set, PRODUCE)).map(([o, t]) => [o, t])).toEqual([
      [0n, -1n],
      [2n, -1n],
      [3n, -1n],
      [4n, -1n],
    ]);
    expect(downConvert(set, 0, LIMIT).equals(set)).toBe(true);
    const v1 = downConvert(v2, 1, LIMIT);
    expect(downConvert(v1, 0, LIMIT).equals(set)).toBe(true);
  });

  it('refuses to down-convert zstd', () => {
    const zstd = encodeBatch({ compression: 'zstd', records: [{ value: Buffer.from('z') }] });
    expect(errorCodeOf(() => downConvert(zstd, 1, LIMIT))).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  });

  it('up-converts magic 0 and 1 sets to one v2 batch', () => {
    for (const magic of [0, 1] as LegacyMagic[]) {
      for (const compression of ['none', 'snappy'] as CompressionName[]) {
        const batch = decodeBatch(upConvert(encodeMessageSet({ magic, compression, messages: MESSAGES }), LIMIT), LIMIT);
        expect(batch).toMatchObject({ compression, recordsCount: 3, producerId: -1n, lastOffsetDelta: 2 });
        expect(batch.records.map((r) => [r.offset, r.timestamp, r.value?.toString() ?? null])).toEqual(
          MESSAGES.map((m, i) => [BigInt(i), magic ? m.timestamp : -1n, m.value?.toString() ?? null]),
        );
      }
    }
  });
});
