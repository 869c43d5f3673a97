import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from '../../../../src/protocol/records/crc.js';
import { endTxnMarkerBatch } from '../../../../src/protocol/records/control-record.js';
import { encodeMessageSet } from '../../../../src/protocol/records/legacy-message-set.js';
import { encodeBatch, type BatchInput } from '../../../../src/protocol/records/record-batch.js';
import { dumpLog, type DumpLogJob } from '../../../../src/tools/dump-log/dump-log.js';
import { decoderFor, decoderParser } from '../../../../src/tools/dump-log/message-parsers.js';

const v = (s: string) => Buffer.from(s);

/** The batches of segment 0, each with the position it lands at. */
const BATCHES: BatchInput[] = [
  {
    baseOffset: 0n,
    partitionLeaderEpoch: 5,
    records: [
      {
        key: v('k'),
        value: v('v'),
        timestamp: 1000n,
        headers: [
          { key: 'h1', value: v('x') },
          { key: 'h2', value: null },
        ],
      },
    ],
  },
  {
    baseOffset: 1n,
    compression: 'gzip',
    records: [
      { value: v('a'), timestamp: 2000n },
      { value: v('b'), timestamp: 2001n },
    ],
  },
  {
    baseOffset: 3n,
    producerId: 77n,
    producerEpoch: 1,
    baseSequence: 10,
    timestampType: 'LogAppendTime',
    maxTimestamp: 5000n,
    records: [{ value: v('c'), timestamp: 3000n }],
  },
  {
    baseOffset: 4n,
    transactional: true,
    producerId: 88n,
    producerEpoch: 0,
    baseSequence: 0,
    records: [
      { value: v('t1'), timestamp: 4000n },
      { value: v('t2'), timestamp: 4001n },
    ],
  },
  { ...endTxnMarkerBatch({ commit: true, producerId: 88n, producerEpoch: 0, coordinatorEpoch: 3, timestamp: 4002n }), baseOffset: 6n },
  { baseOffset: 8n, deleteHorizon: 9000n, records: [{ key: v('dead'), value: null, timestamp: 8000n }] },
];

describe('kafka-dump-log on files in Kafka formats', () => {
  let dir: string;
  const positions: number[] = [];
  const batches: Buffer[] = [];

  const run = (files: string[], options: Partial<DumpLogJob> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    dumpLog({
      files: files.map((f) => join(dir, f)),
      printData: false,
      deepIteration: false,
      parser: decoderParser(
        decoderFor('org.apache.kafka.tools.api.StringDecoder', () => {}),
        decoderFor('org.apache.kafka.tools.api.StringDecoder', () => {}),
      ),
      skipRecordMetadata: false,
      maxBytes: 2 ** 31 - 1,
      sanityOnly: false,
      verifyOnly: false,
      maxMessageSize: 5 * 1024 * 1024,
      ...options,
      print: (l) => out.push(l),
      printError: (l) => err.push(l),
    });
    return { out, err };
  };
  const crc = (i: number) => batches[i]!.readUInt32BE(17);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kts-dump-log-'));
    let position = 0;
    for (const b of BATCHES) {
      const bytes = encodeBatch(b);
      batches.push(bytes);
      positions.push(position);
      position += bytes.length;
    }
    writeFileSync(join(dir, '00000000000000000000.log'), Buffer.concat([...batches, Buffer.from([1, 2, 3, 4, 5])]));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one line per batch, as DumpLogSegments does, and the bytes that are not a batch', () => {
    const { out, err } = run(['00000000000000000000.log']);
    const p = positions;
    expect(out).toEqual([
      `Dumping ${join(dir, '00000000000000000000.log')}`,
      'Log starting offset: 0',
      `baseOffset: 0 lastOffset: 0 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 5 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 0 CreateTime: 1000 size: ${batches[0]!.length} magic: 2 compresscodec: none crc: ${crc(0)} isvalid: true`,
      `baseOffset: 1 lastOffset: 2 count: 2 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: -1 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: ${p[1]} CreateTime: 2001 size: ${batches[1]!.length} magic: 2 compresscodec: gzip crc: ${crc(1)} isvalid: true`,
      `baseOffset: 3 lastOffset: 3 count: 1 baseSequence: 10 lastSequence: 10 producerId: 77 producerEpoch: 1 partitionLeaderEpoch: -1 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: ${p[2]} LogAppendTime: 5000 size: ${batches[2]!.length} magic: 2 compresscodec: none crc: ${crc(2)} isvalid: true`,
      `baseOffset: 4 lastOffset: 5 count: 2 baseSequence: 0 lastSequence: 1 producerId: 88 producerEpoch: 0 partitionLeaderEpoch: -1 isTransactional: true isControl: false deleteHorizonMs: OptionalLong.empty position: ${p[3]} CreateTime: 4001 size: ${batches[3]!.length} magic: 2 compresscodec: none crc: ${crc(3)} isvalid: true`,
      `baseOffset: 6 lastOffset: 6 count: 1 baseSequence: -1 lastSequence: -1 producerId: 88 producerEpoch: 0 partitionLeaderEpoch: -1 isTransactional: true isControl: true deleteHorizonMs: OptionalLong.empty position: ${p[4]} CreateTime: 4002 size: ${batches[4]!.length} magic: 2 compresscodec: none crc: ${crc(4)} isvalid: true`,
      `baseOffset: 8 lastOffset: 8 count: 1 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: -1 isTransactional: false isControl: false deleteHorizonMs: OptionalLong[9000] position: ${p[5]} CreateTime: 8000 size: ${batches[5]!.length} magic: 2 compresscodec: none crc: ${crc(5)} isvalid: true`,
      'Found 5 invalid bytes at the end of 00000000000000000000.log',
    ]);
    expect(err).toEqual([]);
  });

  it('--print-data-log: every record (through compression), control markers, and the offsets that do not follow each other', () => {
    const { out, err } = run(['00000000000000000000.log'], { printData: true, deepIteration: true });
    expect(out.filter((l) => l.startsWith('|'))).toEqual([
      '| offset: 0 CreateTime: 1000 keySize: 1 valueSize: 1 sequence: -1 headerKeys: [h1,h2] key: k payload: v',
      '| offset: 1 CreateTime: 2000 keySize: -1 valueSize: 1 sequence: -1 headerKeys: [] payload: a',
      '| offset: 2 CreateTime: 2001 keySize: -1 valueSize: 1 sequence: -1 headerKeys: [] payload: b',
      '| offset: 3 LogAppendTime: 5000 keySize: -1 valueSize: 1 sequence: 10 headerKeys: [] payload: c',
      '| offset: 4 CreateTime: 4000 keySize: -1 valueSize: 2 sequence: 0 headerKeys: [] payload: t1',
      '| offset: 5 CreateTime: 4001 keySize: -1 valueSize: 2 sequence: 1 headerKeys: [] payload: t2',
      '| offset: 6 CreateTime: 4002 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 3',
      '| offset: 8 CreateTime: 8000 keySize: 4 valueSize: -1 sequence: -1 headerKeys: [] key: dead',
    ]);
    expect(err).toEqual([`Non-consecutive offsets in ${join(dir, '00000000000000000000.log')}`, '  6 is followed by 8']);
  });

  it('--skip-record-metadata prints only keys and payloads; --max-bytes stops at the last whole batch within the limit', () => {
    const skipped = run(['00000000000000000000.log'], { printData: true, deepIteration: true, skipRecordMetadata: true }).out;
    expect(
      skipped.filter((l) => !l.startsWith('baseOffset') && !l.startsWith('Dumping') && !l.startsWith('Log') && !l.startsWith('Found')),
    ).toEqual(['| key: k payload: v', ' payload: a', ' payload: b', ' payload: c', ' payload: t1', ' payload: t2', '', '| key: dead']);
    const limited = run(['00000000000000000000.log'], { maxBytes: positions[2]! + 10 }).out;
    expect(limited.filter((l) => l.startsWith('baseOffset')).length).toBe(2);
    expect(limited.some((l) => l.startsWith('Found'))).toBe(false);
  });

  it('a batch whose CRC does not match is shown as invalid, records and all', () => {
    const damaged = Buffer.from(batches[0]!);
    damaged[damaged.length - 3]! ^= 0xff;
    writeFileSync(join(dir, '00000000000000000040.log'), damaged);
    const { out } = run(['00000000000000000040.log'], { deepIteration: true });
    expect(out[2]).toMatch(/ crc: \d+ isvalid: false$/);
    expect(out[3]).toMatch(/^\| offset: 0 CreateTime: 1000 keySize: 1 valueSize: 1 sequence: -1 headerKeys: \[h1,/);
  });

  it('magic 0 and 1 message sets, compressed wrappers included', () => {
    const legacy = Buffer.concat([
      encodeMessageSet({ magic: 1, messages: [{ offset: 20n, timestamp: 100n, key: v('a'), value: v('b') }] }),
      encodeMessageSet({
        magic: 1,
        compression: 'gzip',
        messages: [
          { offset: 21n, timestamp: 200n, value: v('c') },
          { offset: 22n, timestamp: 201n, value: v('d') },
        ],
      }),
      encodeMessageSet({ magic: 0, messages: [{ offset: 23n, value: v('e') }] }),
    ]);
    writeFileSync(join(dir, '00000000000000000020.log'), legacy);
    const { out } = run(['00000000000000000020.log'], { printData: true, deepIteration: true });
    const at = (i: number) => legacy.readUInt32BE(i + 12);
    const first = 12 + 4 + 1 + 1 + 8 + (4 + 1) + (4 + 1); // offset, size, crc, magic, attributes, timestamp, key 'a', value 'b'
    const crc = (e: Buffer) => e.readUInt32BE(12);
    const inner = (offset: number) => out.find((l) => l.startsWith(`| offset: ${offset} `))!;
    expect(out[2]).toBe(`offset: 20 position: 0 CreateTime: 100 size: ${first} magic: 1 compresscodec: none crc: ${at(0)} isvalid: true`);
    expect(out[3]).toBe(`| offset: 20 CreateTime: 100 keySize: 1 valueSize: 1 isValid: true crc: ${at(0)}} key: a payload: b`);
    expect(out[4]).toMatch(
      new RegExp(
        `^offset: 22 position: ${first} CreateTime: 201 size: \\d+ magic: 1 compresscodec: gzip crc: ${crc(legacy.subarray(first))} isvalid: true$`,
      ),
    );
    expect(inner(21)).toMatch(/^\| offset: 21 CreateTime: 200 keySize: -1 valueSize: 1 isValid: true crc: \d+\} payload: c$/);
    expect(inner(23)).toMatch(/^\| offset: 23 NoTimestampType: -1 keySize: -1 valueSize: 1 isValid: true crc: \d+\} payload: e$/);
    expect(out.find((l) => l.startsWith('offset: 23'))).toMatch(
      /^offset: 23 position: \d+ NoTimestampType: -1 size: \d+ magic: 0 compresscodec: none crc: \d+ isvalid: true$/,
    );
  });

  it('.index and .timeindex entries, checked against the segment; a zero entry after the first ends the file', () => {
    const index = Buffer.alloc(8 * 4);
    index.writeInt32BE(2, 0); // batch 1 ends at offset 2: fine
    index.writeInt32BE(positions[1]!, 4);
    index.writeInt32BE(4, 8); // names offset 4, but the batch at that position ends at 3
    index.writeInt32BE(positions[2]!, 12);
    // Two zero entries: preallocated space.
    writeFileSync(join(dir, '00000000000000000000.index'), index);
    const time = Buffer.alloc(12 * 3);
    time.writeBigInt64BE(2001n, 0);
    time.writeInt32BE(2, 8);
    time.writeBigInt64BE(5000n, 12);
    time.writeInt32BE(3, 20);
    time.writeBigInt64BE(4000n, 24); // batch 3's records go up to 4001, and 4000 < 5000
    time.writeInt32BE(5, 32);
    writeFileSync(join(dir, '00000000000000000000.timeindex'), time);

    const { out, err } = run(['00000000000000000000.index', '00000000000000000000.timeindex']);
    expect(out).toEqual([
      `Dumping ${join(dir, '00000000000000000000.index')}`,
      `offset: 2 position: ${positions[1]}`,
      `offset: 4 position: ${positions[2]}`,
      `Dumping ${join(dir, '00000000000000000000.timeindex')}`,
      'timestamp: 2001 offset: 2',
      'timestamp: 5000 offset: 3',
      'timestamp: 4000 offset: 5',
    ]);
    expect(err).toEqual([
      `Mismatches in :${join(dir, '00000000000000000000.index')}`,
      '  Index offset: 4, log offset: 3',
      `Found timestamp mismatch in :${join(dir, '00000000000000000000.timeindex')}`,
      '  Index timestamp: 4000, log timestamp: 4001',
      `Found out of order timestamp in :${join(dir, '00000000000000000000.timeindex')}`,
      '  Index timestamp: 4000, Previously indexed timestamp: 5000',
    ]);
    expect(run(['00000000000000000000.index'], { verifyOnly: true }).out).toEqual([`Dumping ${join(dir, '00000000000000000000.index')}`]);
    expect(run(['00000000000000000000.index'], { sanityOnly: true }).out[1]).toBe(
      `${join(dir, '00000000000000000000.index')} passed sanity check.`,
    );
    writeFileSync(join(dir, '00000000000000000000.index'), Buffer.alloc(9));
    expect(() => run(['00000000000000000000.index'], { sanityOnly: true })).toThrow(
      `Error: Index file ${join(dir, '00000000000000000000.index')} is corrupt, found 9 bytes which is neither positive nor a multiple of 8`,
    );
    writeFileSync(join(dir, '00000000000000000000.index'), Buffer.alloc(0));
    expect(run(['00000000000000000000.index']).out[1]).toBe(`${join(dir, '00000000000000000000.index')} is empty.`);
  });

  it('.txnindex: one line per aborted transaction (34-byte entries)', () => {
    const entry = (producerId: bigint, first: bigint, last: bigint, lso: bigint) => {
      const b = Buffer.alloc(34);
      b.writeInt16BE(0, 0);
      b.writeBigInt64BE(producerId, 2);
      b.writeBigInt64BE(first, 10);
      b.writeBigInt64BE(last, 18);
      b.writeBigInt64BE(lso, 26);
      return b;
    };
    writeFileSync(
      join(dir, '00000000000000000000.txnindex'),
      Buffer.concat([entry(88n, 4n, 6n, 7n), entry(99n, 10n, 12n, 13n), Buffer.alloc(5)]),
    );
    expect(run(['00000000000000000000.txnindex']).out.slice(1)).toEqual([
      'version: 0 producerId: 88 firstOffset: 4 lastOffset: 6 lastStableOffset: 7',
      'version: 0 producerId: 99 firstOffset: 10 lastOffset: 12 lastStableOffset: 13',
    ]);
  });

  it('producer .snapshot: one line per producer; a bad CRC or version is reported on stderr', () => {
    const entry = (
      pid: bigint,
      epoch: number,
      lastSeq: number,
      lastOffset: bigint,
      delta: number,
      ts: bigint,
      coordinatorEpoch: number,
      txn: bigint,
    ) => {
      const b = Buffer.alloc(46);
      b.writeBigInt64BE(pid, 0);
      b.writeInt16BE(epoch, 8);
      b.writeInt32BE(lastSeq, 10);
      b.writeBigInt64BE(lastOffset, 14);
      b.writeInt32BE(delta, 22);
      b.writeBigInt64BE(ts, 26);
      b.writeInt32BE(coordinatorEpoch, 34);
      b.writeBigInt64BE(txn, 38);
      return b;
    };
    const entries = [
      entry(77n, 1, 10, 3n, 0, 5000n, -1, -1n),
      entry(88n, 0, 1, 5n, 1, 4001n, 3, 4n),
      entry(99n, 2, -1, -1n, 0, 7n, -1, -1n),
    ];
    const body = Buffer.concat([Buffer.from([0, 0, 0, 3]), ...entries]);
    const snapshot = Buffer.alloc(6 + body.length);
    snapshot.writeInt16BE(1, 0);
    body.copy(snapshot, 6);
    snapshot.writeUInt32BE(crc32c(snapshot.subarray(6)), 2);
    writeFileSync(join(dir, '00000000000000000009.snapshot'), snapshot);
    expect(run(['00000000000000000009.snapshot']).out.slice(1)).toEqual([
      'producerId: 77 producerEpoch: 1 coordinatorEpoch: -1 currentTxnFirstOffset: OptionalLong.empty lastTimestamp: 5000 firstSequence: 10 lastSequence: 10 lastOffset: 3 offsetDelta: 0 timestamp: 5000',
      'producerId: 88 producerEpoch: 0 coordinatorEpoch: 3 currentTxnFirstOffset: OptionalLong[4] lastTimestamp: 4001 firstSequence: 0 lastSequence: 1 lastOffset: 5 offsetDelta: 1 timestamp: 4001',
      'producerId: 99 producerEpoch: 2 coordinatorEpoch: -1 currentTxnFirstOffset: OptionalLong.empty lastTimestamp: 7 ',
    ]);
    const stored = snapshot.readUInt32BE(2);
    snapshot[10]! ^= 1;
    writeFileSync(join(dir, '00000000000000000009.snapshot'), snapshot);
    const bad = run(['00000000000000000009.snapshot']);
    expect(bad.out.length).toBe(1);
    expect(bad.err).toEqual([
      `Snapshot is corrupt (CRC is no longer valid). Stored crc: ${stored}. Computed crc: ${crc32c(snapshot.subarray(6))}`,
    ]);
    writeFileSync(join(dir, '00000000000000000009.snapshot'), Buffer.from([0, 1, 0]));
    expect(run(['00000000000000000009.snapshot']).err).toEqual([
      "Snapshot failed schema validation: Error reading field 'crc': java.nio.BufferUnderflowException",
    ]);
  });

  it('unknown files are skipped with a line on stderr; a missing segment is one error line', () => {
    writeFileSync(join(dir, 'notes.txt'), 'x');
    expect(run(['notes.txt']).err).toEqual([`Ignoring unknown file ${join(dir, 'notes.txt')}`]);
    expect(() => run(['00000000000000000099.log'])).toThrow(`Error: ${join(dir, '00000000000000000099.log')} (No such file or directory)`);
  });
});
