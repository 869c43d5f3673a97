import { copyFileSync, readdirSync, statSync } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { endTxnMarkerBatch } from '../../../src/protocol/records/control-record.js';
import { encodeBatch } from '../../../src/protocol/records/record-batch.js';
import { runKts } from '../../helpers/kts.js';
import { needs } from '../../helpers/requirements.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const PER_CODEC = 20;

/** What kcat sends for one codec: `key:value` lines with compressible values. */
const lines = (codec: string) => Array.from({ length: PER_CODEC }, (_, i) => `${codec}-key:${codec}-${i}-${'abc'.repeat(60)}`);

describe('dump-log on segments the embedded broker wrote from kcat-produced data', needs('kcat'), () => {
  let logDir: string;
  let work: string;
  let broker: StartedBroker;
  let tools: Tools;
  const segment = () => join(logDir, 'kcat-0', '00000000000000000000.log');
  const dump = (...args: string[]) => runKts(['dump-log', ...args], { timeoutMs: 30_000 });

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'kts-dump-log-broker-'));
    work = await mkdtemp(join(tmpdir(), 'kts-dump-log-work-'));
    broker = await startBroker({ logDir, config: { 'group.initial.rebalance.delay.ms': '0' } });
    tools = toolsAgainst(broker);
    // An index entry for every batch, so the indexes have something to check.
    const created = await tools.kts(['topics', '--create', '--topic', 'kcat', '--partitions', '1', '--config', 'index.interval.bytes=1']);
    expect(created.code).toBe(0);
    // librdkafka leaves a batch uncompressed when compressing does not make it smaller: give it text that compresses.
    for (const codec of CODECS) {
      const r = await tools.kcat(['-P', '-t', 'kcat', '-z', codec, '-K', ':'], lines(codec).join('\n'));
      expect(r.code, r.stderr).toBe(0);
    }
    expect(
      (await tools.kts(['console-consumer', '--topic', 'kcat', '--group', 'dumpers', '--from-beginning', '--max-messages', '100'])).code,
    ).toBe(0);
  });

  afterAll(async () => {
    await broker?.stop();
    await rm(logDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it("kcat's batches with their codecs, and every record through decompression, in Kafka's lines", async () => {
    const r = await dump('--files', segment(), '--print-data-log');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const out = r.stdout.trim().split('\n');
    expect(out.slice(0, 2)).toEqual([`Dumping ${segment()}`, 'Log starting offset: 0']);
    const batches = out.filter((l) => l.startsWith('baseOffset: '));
    for (const l of batches) {
      expect(l).toMatch(
        /^baseOffset: \d+ lastOffset: \d+ count: \d+ baseSequence: -?\d+ lastSequence: -?\d+ producerId: -?\d+ producerEpoch: -?\d+ partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: \d+ CreateTime: \d+ size: \d+ magic: 2 compresscodec: (none|gzip|snappy|lz4|zstd) crc: \d+ isvalid: true$/,
      );
    }
    expect(new Set(batches.map((l) => / compresscodec: (\w+) /.exec(l)![1]))).toEqual(new Set(CODECS));
    const records = out.filter((l) => l.startsWith('| '));
    const expected = CODECS.flatMap((codec) => lines(codec));
    expect(records).toHaveLength(expected.length);
    records.forEach((l, offset) => {
      const [key, value] = expected[offset]!.split(':') as [string, string];
      expect(l).toMatch(
        new RegExp(
          `^\\| offset: ${offset} CreateTime: \\d+ keySize: ${key.length} valueSize: ${value.length} sequence: -?\\d+ headerKeys: \\[\\] key: ${key} payload: ${value}$`,
        ),
      );
    });
  });

  it("the broker's .index and .timeindex match its segment (--verify-index-only prints no problem)", async () => {
    const dir = join(logDir, 'kcat-0');
    const index = join(dir, '00000000000000000000.index');
    const timeindex = join(dir, '00000000000000000000.timeindex');
    const listed = await dump('--files', index);
    const entries = listed.stdout.trim().split('\n').slice(1);
    // Kafka's rule, which the broker follows: no entry for a segment's first batch, one after every index.interval.bytes.
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e).toMatch(/^offset: \d+ position: \d+$/);
    const verified = await dump('--files', `${index},${timeindex}`, '--verify-index-only');
    expect(verified).toMatchObject({ code: 0, stderr: '', stdout: `Dumping ${index}\nDumping ${timeindex}\n` });
    expect((await dump('--files', timeindex, '--index-sanity-check')).stdout).toBe(
      `Dumping ${timeindex}\n${timeindex} passed sanity check.\n`,
    );
  });

  it('transactional batches and their COMMIT marker appended to a copy of the segment', async () => {
    const copy = join(work, '00000000000000000000.log');
    copyFileSync(segment(), copy);
    const txn = { transactional: true, producerId: 4000n, producerEpoch: 3, baseSequence: 0 };
    await appendFile(
      copy,
      Buffer.concat([
        encodeBatch({
          ...txn,
          baseOffset: 100n,
          compression: 'zstd',
          records: [{ value: Buffer.from('in-txn-1') }, { value: Buffer.from('in-txn-2') }],
        }),
        encodeBatch({
          ...endTxnMarkerBatch({ commit: true, producerId: 4000n, producerEpoch: 3, coordinatorEpoch: 7, timestamp: 1n }),
          baseOffset: 102n,
        }),
      ]),
    );
    const r = await dump('--files', copy, '--deep-iteration');
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split('\n');
    expect(out.at(-5)).toMatch(
      /^baseOffset: 100 lastOffset: 101 count: 2 baseSequence: 0 lastSequence: 1 producerId: 4000 producerEpoch: 3 partitionLeaderEpoch: -1 isTransactional: true isControl: false .* compresscodec: zstd crc: \d+ isvalid: true$/,
    );
    expect(out.at(-1)).toMatch(
      /^\| offset: 102 CreateTime: 1 keySize: 4 valueSize: 6 sequence: -1 headerKeys: \[\] endTxnMarker: COMMIT coordinatorEpoch: 7$/,
    );
    expect(out.at(-2)).toMatch(/^baseOffset: 102 lastOffset: 102 count: 1 .* isTransactional: true isControl: true /);
  });

  it("--offsets-decoder shows the group's commits in __consumer_offsets as JSON", async () => {
    const partitions = readdirSync(logDir).filter(
      (d) => d.startsWith('__consumer_offsets-') && statSync(join(logDir, d, '00000000000000000000.log')).size > 0,
    );
    const outputs = await Promise.all(
      partitions.map((d) => dump('--files', join(logDir, d, '00000000000000000000.log'), '--offsets-decoder')),
    );
    const all = outputs.map((o) => o.stdout).join('');
    expect(all).toMatch(/ key: \{"type":"2","data":\{"group":"dumpers"\}\} payload: \{"version":"\d","data":\{"protocolType":"consumer",/);
    expect(all).toMatch(
      / key: \{"type":"1","data":\{"group":"dumpers","topic":"kcat","partition":0\}\} payload: \{"version":"\d","data":\{"offset":100,/,
    );
    // Batches framed as Kafka 3.9's GroupMetadataManager frames them: offset commits with
    // baseSequence 0 (though no producer wrote them), the group's metadata without a sequence.
    const lines = all.split('\n');
    const batchOf = (record: RegExp) => {
      const at = lines.findIndex((l) => record.test(l));
      return lines.slice(0, at).findLast((l) => l.startsWith('baseOffset: '));
    };
    expect(batchOf(/ key: \{"type":"1","data":\{"group":"dumpers"/)).toMatch(
      / baseSequence: 0 lastSequence: \d+ producerId: -1 producerEpoch: -1 /,
    );
    expect(batchOf(/ key: \{"type":"2","data":\{"group":"dumpers"/)).toMatch(
      / baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 /,
    );
  });

  it('usage errors and unreadable files are one line', async () => {
    expect(await dump()).toMatchObject({ code: 2, stderr: 'Missing required argument "[files]"\n' });
    const missing = join(work, '00000000000000000077.log');
    expect(await dump('--files', missing)).toMatchObject({
      code: 1,
      stdout: `Dumping ${missing}\nLog starting offset: 77\n`,
      stderr: `Error: ${missing} (No such file or directory)\n`,
    });
  });
});
