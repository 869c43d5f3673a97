import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH, type CompressionName, computeBatchCrc } from '../../../../src/protocol/records/batch-header.js';
import { iterateBatches } from '../../../../src/protocol/records/batch-iterator.js';
import { decompress } from '../../../../src/protocol/records/compression.js';
import { crc32 } from '../../../../src/protocol/records/crc.js';
import { RecordsError } from '../../../../src/protocol/records/errors.js';
import { downConvert } from '../../../../src/protocol/records/legacy-conversion.js';
import { decodeMessageSet, encodeMessageSet } from '../../../../src/protocol/records/legacy-message-set.js';
import { type RecordInput, skipRecords } from '../../../../src/protocol/records/record.js';
import { RecordStream } from '../../../../src/protocol/records/record-stream.js';
import { ProtocolError } from '../../../../src/protocol/primitives/protocol-error.js';
import { decodeBatch, encodeBatch } from '../../../../src/protocol/records/record-batch.js';
import { type ProducedRecordRules, checkProducedRecordsWithin } from '../../../../src/protocol/records/produced-records.js';
import { validateBatches, validateProduceRecords } from '../../../../src/protocol/records/validate.js';

const CODECS: CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const LIMIT = { maxDecompressedBytes: 1 << 20 };
// Bounded: a few hundred cases per property keeps the file to a second or two; FUZZ_RUNS=20000
// runs a longer search locally.
const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 300) };
const FRAMING_ONLY: ProducedRecordRules = {
  partition: 't-0',
  requireKeys: false,
  timestampType: 'CreateTime',
  timestampWindow: null,
  maxMessageBytes: 2 ** 30,
};
/** Every per-record rule switched on. */
const ALL_RULES: ProducedRecordRules = {
  ...FRAMING_ONLY,
  requireKeys: true,
  timestampWindow: { now: 2 ** 49, beforeMaxMs: 2 ** 48, afterMaxMs: 2 ** 48 },
};

/** False when the records take more than the limit decompressed (the decoder's limit error). */
function validateProduced(bytes: Buffer, rules: ProducedRecordRules): boolean {
  return checkProducedRecordsWithin(bytes, validateProduceRecords(bytes, 11), rules, LIMIT.maxDecompressedBytes) !== undefined;
}

/** Every reader entry point; each may only fail with a RecordsError (a Kafka error code). */
function readAll(bytes: Buffer): void {
  const attempts = [
    () => validateBatches(bytes, 'client'),
    () => validateBatches(bytes, 'log'),
    () => validateProduced(bytes, ALL_RULES),
    () => {
      for (const b of iterateBatches(bytes)) decodeBatch(b, LIMIT);
    },
    () => decodeMessageSet(bytes, { ...LIMIT, partialTail: 'ignore' }),
    () => downConvert(bytes, 1, LIMIT),
  ];
  for (const attempt of attempts) {
    try {
      attempt();
    } catch (err) {
      if (!(err instanceof RecordsError)) throw err;
    }
  }
}

const bytesArb = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
const nullableBytes = fc.option(bytesArb(40), { nil: null });
const recordArb: fc.Arbitrary<RecordInput> = fc.record({
  key: nullableBytes,
  value: nullableBytes,
  timestamp: fc.bigInt({ min: -1n, max: 2n ** 50n }),
  headers: fc.array(fc.record({ key: fc.string({ maxLength: 10 }), value: nullableBytes }), { maxLength: 3 }),
});
const batchArb = fc.record({
  records: fc.array(recordArb, { maxLength: 8 }),
  compression: fc.constantFrom(...CODECS),
  producerId: fc.bigInt({ min: -1n, max: 2n ** 62n }),
  baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  transactional: fc.boolean(),
});

describe('fuzz', () => {
  it('round-trips arbitrary batches', () => {
    fc.assert(
      fc.property(batchArb, (input) => {
        const batch = decodeBatch(encodeBatch(input), LIMIT);
        expect(batch.records.map((r) => [r.key, r.value, r.timestamp, r.headers])).toEqual(
          input.records.map((r) => [r.key, r.value, r.timestamp, r.headers]),
        );
      }),
      RUNS,
    );
  });

  it('random bytes only ever raise RecordsErrors', () => {
    fc.assert(
      fc.property(bytesArb(300), (bytes) => readAll(bytes)),
      RUNS,
    );
  });

  it('random bytes behind a plausible v2 header only raise RecordsErrors', () => {
    fc.assert(
      fc.property(batchArb, bytesArb(200), fc.integer({ min: 0, max: 7 }), (input, tail, codec) => {
        const good = encodeBatch(input);
        const b = Buffer.concat([good.subarray(0, BATCH.HEADER_SIZE), tail]);
        b.writeInt32BE(b.length - BATCH.LOG_OVERHEAD, BATCH.LENGTH);
        b.writeInt16BE(codec, BATCH.ATTRIBUTES);
        b.writeUInt32BE(computeBatchCrc(b, 0, b.length), BATCH.CRC);
        readAll(b);
      }),
      RUNS,
    );
  });

  it('mutated batches (CRC fixed up) only raise RecordsErrors', () => {
    fc.assert(
      fc.property(
        batchArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (input, edits) => {
          const b = encodeBatch(input);
          for (const [at, value] of edits) b[BATCH.ATTRIBUTES + (at % (b.length - BATCH.ATTRIBUTES))] = value;
          b.writeUInt32BE(computeBatchCrc(b, 0, b.length), BATCH.CRC);
          readAll(b);
        },
      ),
      RUNS,
    );
  });

  it('the validator accepts exactly the uncompressed batches the decoder accepts', () => {
    const outcome = (fn: () => unknown) => {
      try {
        fn();
        return 'ok';
      } catch (err) {
        if (!(err instanceof RecordsError)) throw err;
        return 'error';
      }
    };
    fc.assert(
      fc.property(
        batchArb.filter((b) => b.records.length > 0),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        (input, edits) => {
          const b = encodeBatch({ ...input, compression: 'none' });
          const body = b.length - BATCH.HEADER_SIZE;
          for (const [at, value] of edits) b[BATCH.HEADER_SIZE + (at % body)] = value;
          b.writeUInt32BE(computeBatchCrc(b, 0, b.length), BATCH.CRC);
          expect(outcome(() => validateBatches(b, 'log'))).toBe(outcome(() => decodeBatch(b, LIMIT)));
        },
      ),
      RUNS,
    );
  });

  it('the produce validator accepts exactly the produced batches the decoder reads as 0..n-1, whatever the codec', () => {
    const outcome = (fn: () => unknown) => {
      try {
        return fn() === false ? 'error' : 'ok';
      } catch (err) {
        if (!(err instanceof RecordsError)) throw err;
        return 'error';
      }
    };
    fc.assert(
      fc.property(
        batchArb.filter((b) => b.records.length > 0),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        (input, edits) => {
          const b = encodeBatch({ ...input, producerId: -1n, baseSequence: -1 });
          const body = b.length - BATCH.HEADER_SIZE;
          for (const [at, value] of edits) b[BATCH.HEADER_SIZE + (at % body)] = value;
          b.writeUInt32BE(computeBatchCrc(b, 0, b.length), BATCH.CRC);
          const dense = () => decodeBatch(b, LIMIT).records.every((r, i) => r.offset === BigInt(i));
          expect(outcome(() => validateProduced(b, FRAMING_ONLY))).toBe(outcome(dense));
        },
      ),
      RUNS,
    );
  });

  it('records walked as a stream, cut anywhere, get the verdict of the walk over the whole', () => {
    const verdict = (walk: () => void) => {
      try {
        walk();
        return 'ok';
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        return err instanceof RecordsError ? `records ${err.errorCode}` : 'framing';
      }
    };
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer({ min: 0, max: 10 }),
        (records, edits, cuts, countChange) => {
          const batch = encodeBatch({ records });
          const raw = Buffer.from(batch.subarray(BATCH.HEADER_SIZE));
          for (const [at, value] of edits) if (raw.length > 0) raw[at % raw.length] = value;
          const count = Math.max(0, records.length + countChange - 5);
          const whole = verdict(() => skipRecords(raw, 0, raw.length, count, true));
          const points = [...new Set(cuts.map((c) => c % (raw.length + 1)))].sort((a, b) => a - b);
          const stream = new RecordStream({ count, dense: true, limit: { maxBytes: 1 << 30, tooLarge: () => 'too large' } });
          const streamed = verdict(() => {
            let from = 0;
            for (const to of [...points, raw.length]) {
              stream.push(raw.subarray(from, to));
              from = to;
            }
            stream.end();
          });
          expect(streamed).toBe(whole);
        },
      ),
      RUNS,
    );
  });

  it('mutated legacy message sets (CRC fixed up) only raise RecordsErrors', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { minLength: 1, maxLength: 5 }),
        fc.constantFrom<CompressionName>('none', 'gzip', 'snappy', 'lz4'),
        fc.constantFrom<0 | 1>(0, 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (records, compression, magic, edits) => {
          const messages = records.map((r, i) => ({ ...r, offset: BigInt(i) }));
          const b = encodeMessageSet({ magic, compression, messages });
          const first = b.readInt32BE(BATCH.LENGTH) + BATCH.LOG_OVERHEAD;
          for (const [at, value] of edits) b[BATCH.MAGIC + 1 + (at % (first - BATCH.MAGIC - 1))] = value;
          b.writeUInt32BE(crc32(b.subarray(BATCH.MAGIC, first)), BATCH.LOG_OVERHEAD);
          readAll(b);
        },
      ),
      RUNS,
    );
  });

  it('decompressors only raise RecordsErrors on garbage', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CODECS), bytesArb(500), (codec, bytes) => {
        try {
          decompress(codec, bytes, 4096);
        } catch (err) {
          if (!(err instanceof RecordsError)) throw err;
        }
      }),
      RUNS,
    );
  });
});
