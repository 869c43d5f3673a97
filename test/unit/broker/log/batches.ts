import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** kafkajs's own v2 RecordBatch encoder and decoder: an implementation independent of ours. */
const require = createRequire(import.meta.url);
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const RecordBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
const Decoder = require('kafkajs/src/protocol/decoder.js');
const Long = require('kafkajs/src/utils/long.js');

export const T0 = 1_700_000_000_000;

export interface BatchSpec {
  /** Record values; each record's timestamp is `timestamp + i` unless `timestamps` is given. */
  values: string[];
  timestamp?: number;
  timestamps?: number[];
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
}

/** One v2 batch as a producer sends it: base offset 0, offsets assigned by the log. */
export async function makeBatch(spec: BatchSpec): Promise<Buffer> {
  const first = spec.timestamp ?? T0;
  const timestamps = spec.timestamps ?? spec.values.map((_, i) => first + i);
  const records = spec.values.map((value, i) =>
    Record({ offsetDelta: i, timestampDelta: timestamps[i]! - timestamps[0]!, key: null, value: Buffer.from(value) }),
  );
  const encoder = await RecordBatch({
    records,
    firstTimestamp: timestamps[0],
    maxTimestamp: Math.max(...timestamps),
    lastOffsetDelta: records.length - 1,
    producerId: Long.fromString(String(spec.producerId ?? -1n)),
    producerEpoch: spec.producerEpoch ?? -1,
    firstSequence: spec.baseSequence ?? -1,
    transactional: spec.transactional ?? false,
  });
  return Buffer.from(encoder.buffer);
}

/** `n` batches of `perBatch` records whose values are `v<offset>` counting from `from`. */
export async function makeBatches(n: number, perBatch: number, from = 0, timestamp = T0): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let b = 0; b < n; b++) {
    const values = Array.from({ length: perBatch }, (_, i) => `v${from + b * perBatch + i}`);
    out.push(await makeBatch({ values, timestamp: timestamp + b * perBatch }));
  }
  return out;
}

export interface DecodedRecord {
  offset: bigint;
  timestamp: number;
  value: string;
}

/** Decodes fetched bytes with kafkajs; throws on a torn batch. */
export async function decodeRecords(data: Buffer): Promise<DecodedRecord[]> {
  const decoder = new Decoder(data);
  const out: DecodedRecord[] = [];
  while (decoder.offset < data.length) {
    const batch = await RecordBatchDecoder(decoder);
    for (const r of batch.records) {
      out.push({ offset: BigInt(r.offset), timestamp: Number(r.timestamp), value: r.value.toString() });
    }
  }
  return out;
}

/** A fresh temp dir and its removal. */
export function tempDir(prefix = 'kts-log-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
