/**
 * dump-log on segments Apache Kafka wrote. No Kafka runs here, so the segments are rebuilt from
 * kafka-dump-log.sh output that people published: every field of a batch and of its records is in
 * those lines (offsets, producer, sequence, flags, timestamps, keys and values — decoded for the
 * internal topics), and the batch's printed CRC-32C covers everything from its attributes to its
 * end. kts's own encoders rebuild each batch from the printed fields; its CRC equal to Kafka's
 * proves the bytes are the ones Kafka wrote, and so that kts writes `__consumer_offsets` records
 * byte for byte as Kafka does. `kts dump-log`, run with the options Kafka's command was run with,
 * must then print Kafka's lines.
 *
 * Sources (the printed lines are used as data, verbatim):
 * - fvaleri/strimzi-debugging, sessions/010/README.md ("Running Transactional Applications", commit
 *   0edc117d): a Strimzi Kafka 3.9-era cluster, March 2025.
 * - ableasdale/kafka-transactions, README.md ("Transaction Log Decoder: Aborted Transactions", commit
 *   e1970cdc): Confluent Platform 7.3.3 (Apache Kafka 3.3), April 2023.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offsetCommitRecord } from '../../../src/broker/group/coordinator-records.js';
import { endTxnMarkerBatch } from '../../../src/protocol/records/control-record.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import type { RecordInput } from '../../../src/protocol/records/record.js';
import { runKts } from '../../helpers/kts.js';

type Decoder = 'data' | 'offsets';

interface KafkaDump {
  /** The partition directory the segment was in. */
  partition: string;
  /** How Kafka's command was run (besides --files). */
  options: string[];
  decoder: Decoder;
  /** Its stdout after the `Dumping <path>` line. */
  lines: string[];
}

const STRIMZI: KafkaDump[] = [
  {
    partition: 'output-topic-0',
    options: ['--deep-iteration', '--print-data-log'],
    decoder: 'data',
    lines: [
      'Log starting offset: 0',
      'baseOffset: 0 lastOffset: 0 count: 1 baseSequence: 0 lastSequence: 0 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1742739702864 size: 82 magic: 2 compresscodec: none crc: 758896000 isvalid: true',
      '| offset: 0 CreateTime: 1742739702864 keySize: -1 valueSize: 14 sequence: 0 headerKeys: [] payload: tset a si siht',
      'baseOffset: 1 lastOffset: 1 count: 1 baseSequence: -1 lastSequence: -1 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: true deleteHorizonMs: OptionalLong.empty position: 82 CreateTime: 1742739703234 size: 78 magic: 2 compresscodec: none crc: 2557578104 isvalid: true',
      '| offset: 1 CreateTime: 1742739703234 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 0',
    ],
  },
  {
    // Kafka's dump shows only offsets 7-8 of this segment (at positions 1974 and 2095): they are
    // written as a segment of their own, so their positions are 0 and 121 here — the only change.
    partition: '__consumer_offsets-12',
    options: ['--deep-iteration', '--print-data-log', '--offsets-decoder'],
    decoder: 'offsets',
    lines: [
      'Log starting offset: 0',
      'baseOffset: 7 lastOffset: 7 count: 1 baseSequence: 0 lastSequence: 0 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: 1974 CreateTime: 1742739703027 size: 121 magic: 2 compresscodec: none crc: 4292816145 isvalid: true',
      '| offset: 7 CreateTime: 1742739703027 keySize: 29 valueSize: 24 sequence: 0 headerKeys: [] key: {"type":"1","data":{"group":"my-group","topic":"input-topic","partition":0}} payload: {"version":"3","data":{"offset":1,"leaderEpoch":-1,"metadata":"","commitTimestamp":1742739702993}}',
      'baseOffset: 8 lastOffset: 8 count: 1 baseSequence: -1 lastSequence: -1 producerId: 1 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: true deleteHorizonMs: OptionalLong.empty position: 2095 CreateTime: 1742739703213 size: 78 magic: 2 compresscodec: none crc: 1231080676 isvalid: true',
      '| offset: 8 CreateTime: 1742739703213 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 0',
    ].map((l) => l.replace('position: 1974 ', 'position: 0 ').replace('position: 2095 ', 'position: 121 ')),
  },
];

const CONFLUENT: KafkaDump[] = [
  {
    // A producer's batch of five records with their own timestamps, then its ABORT marker.
    partition: 'transaction-topic-0',
    options: ['--deep-iteration', '--print-data-log'],
    decoder: 'data',
    lines: [
      'Log starting offset: 0',
      'baseOffset: 0 lastOffset: 4 count: 5 baseSequence: 0 lastSequence: 4 producerId: 0 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1681914675249 size: 146 magic: 2 compresscodec: none crc: 2793359289 isvalid: true',
      '| offset: 0 CreateTime: 1681914675233 keySize: 1 valueSize: 9 sequence: 0 headerKeys: [] key: 0 payload: 634012095',
      '| offset: 1 CreateTime: 1681914675247 keySize: 1 valueSize: 9 sequence: 1 headerKeys: [] key: 1 payload: 113774401',
      '| offset: 2 CreateTime: 1681914675249 keySize: 1 valueSize: 9 sequence: 2 headerKeys: [] key: 2 payload: 872843037',
      '| offset: 3 CreateTime: 1681914675249 keySize: 1 valueSize: 9 sequence: 3 headerKeys: [] key: 3 payload: 820325428',
      '| offset: 4 CreateTime: 1681914675249 keySize: 1 valueSize: 9 sequence: 4 headerKeys: [] key: 4 payload: 827499884',
      'baseOffset: 5 lastOffset: 5 count: 1 baseSequence: -1 lastSequence: -1 producerId: 0 producerEpoch: 0 partitionLeaderEpoch: 0 isTransactional: true isControl: true deleteHorizonMs: OptionalLong.empty position: 146 CreateTime: 1681914675317 size: 78 magic: 2 compresscodec: none crc: 1108291434 isvalid: true',
      '| offset: 5 CreateTime: 1681914675317 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: ABORT coordinatorEpoch: 0',
    ],
  },
];

const BATCH_LINE =
  /^baseOffset: (\d+) lastOffset: \d+ count: \d+ baseSequence: (-?\d+) lastSequence: -?\d+ producerId: (-?\d+) producerEpoch: (-?\d+) partitionLeaderEpoch: (\d+) isTransactional: (true|false) isControl: (true|false) .* crc: (\d+) isvalid: true$/;
const RECORD_LINE = /^\| offset: \d+ CreateTime: (\d+) keySize: (-?\d+) valueSize: -?\d+ sequence: -?\d+ headerKeys: \[\] (.*)$/;
const MARKER = /^endTxnMarker: (COMMIT|ABORT) coordinatorEpoch: (\d+)$/;

/** A batch rebuilt with kts's encoders, and the CRC Kafka printed for it. */
interface Rebuilt {
  bytes: Buffer;
  kafkaCrc: number;
}

/** Each batch line with its record lines, as kts's encoders write them. */
function rebuild(dump: KafkaDump): Rebuilt[] {
  const batches: Rebuilt[] = [];
  for (let i = 0; i < dump.lines.length; i++) {
    const b = BATCH_LINE.exec(dump.lines[i]!);
    if (b === null) continue;
    const records: RecordInput[] = [];
    let marker: { commit: boolean; coordinatorEpoch: number; timestamp: bigint } | undefined;
    for (let r = RECORD_LINE.exec(dump.lines[i + 1] ?? ''); r !== null; r = RECORD_LINE.exec(dump.lines[i + 1] ?? '')) {
      i++;
      const timestamp = BigInt(r[1]!);
      const m = MARKER.exec(r[3]!);
      if (m !== null) marker = { commit: m[1] === 'COMMIT', coordinatorEpoch: Number(m[2]), timestamp };
      else records.push({ ...recordOf(dump.decoder, r[3]!, Number(r[2])), timestamp });
    }
    const producer = { producerId: BigInt(b[3]!), producerEpoch: Number(b[4]) };
    const placed = { baseOffset: BigInt(b[1]!), partitionLeaderEpoch: Number(b[5]) };
    const bytes =
      b[7] === 'true'
        ? encodeBatch({ ...endTxnMarkerBatch({ ...producer, ...marker!, timestamp: marker!.timestamp }), ...placed })
        : encodeBatch({ records, ...producer, ...placed, baseSequence: Number(b[2]), transactional: b[6] === 'true' });
    batches.push({ bytes, kafkaCrc: Number(b[8]) });
  }
  return batches;
}

/** A record's key and value from what Kafka printed of them. */
function recordOf(decoder: Decoder, printed: string, keySize: number): RecordInput {
  switch (decoder) {
    case 'data': {
      const [, key, value] = /^(?:key: (.*) )?payload: (.*)$/.exec(printed)!;
      if ((key === undefined) !== (keySize === -1)) throw new Error(`cannot tell the key of: ${printed}`);
      return { key: key === undefined ? null : Buffer.from(key), value: Buffer.from(value!) };
    }
    case 'offsets': {
      const [, key, value] = /^key: (\{.*\}) payload: (\{.*\})$/.exec(printed)!;
      const k = JSON.parse(key!) as { type: string; data: { group: string; topic: string; partition: number } };
      const v = JSON.parse(value!) as { data: { offset: number; leaderEpoch: number; metadata: string; commitTimestamp: number } };
      if (k.type !== '1') throw new Error(`not an offset commit: ${printed}`);
      return offsetCommitRecord(k.data.group, k.data.topic, k.data.partition, {
        offset: BigInt(v.data.offset),
        leaderEpoch: v.data.leaderEpoch,
        metadata: v.data.metadata,
        commitTimestamp: v.data.commitTimestamp,
        expireTimestamp: -1,
      });
    }
  }
}

describe('dump-log on segments Apache Kafka wrote (rebuilt from published kafka-dump-log.sh output)', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'kts-dump-log-kafka-'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  for (const [source, title, dumps] of [
    ['strimzi', 'Strimzi, Kafka 3.9 era (fvaleri/strimzi-debugging)', STRIMZI],
    ['confluent', 'Confluent Platform 7.3.3, Kafka 3.3 (ableasdale/kafka-transactions)', CONFLUENT],
  ] as const) {
    for (const dump of dumps) {
      it(`${title}: ${dump.partition} (${dump.options.join(' ')})`, async () => {
        const batches = rebuild(dump);
        expect(batches).toHaveLength(dump.lines.filter((l) => l.startsWith('baseOffset: ')).length);
        // (a) kts's bytes are Kafka's: the CRC over everything but the offset, length, leader epoch and magic.
        expect(batches.map((b) => b.bytes.readUInt32BE(17))).toEqual(batches.map((b) => b.kafkaCrc));

        const dir = join(work, source, dump.partition);
        await mkdir(dir, { recursive: true });
        const segment = join(dir, '00000000000000000000.log');
        await writeFile(segment, Buffer.concat(batches.map((b) => b.bytes)));
        // (b) kts prints Kafka's lines for them.
        const r = await runKts(['dump-log', ...dump.options, '--files', segment], { timeoutMs: 30_000 });
        expect(r).toMatchObject({ code: 0, stderr: '' });
        expect(r.stdout.split('\n')).toEqual([`Dumping ${segment}`, ...dump.lines, '']);
      });
    }
  }
});
