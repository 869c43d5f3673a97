import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { needs } from '../../helpers/requirements.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

/** Every byte value, so nothing is lost to text decoding on either side. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** Splits kcat/kts output of the format `%K,%S:%k%s` per record into key and value (null for length -1). */
function splitSized(out: Buffer): { key: Buffer | null; value: Buffer | null }[] {
  const records: { key: Buffer | null; value: Buffer | null }[] = [];
  let at = 0;
  while (at < out.length) {
    const colon = out.indexOf(':', at);
    const [keyLength, valueLength] = out.subarray(at, colon).toString().split(',').map(Number) as [number, number];
    at = colon + 1;
    const take = (n: number): Buffer | null => (n < 0 ? null : out.subarray(at, (at += n)));
    records.push({ key: take(keyLength), value: take(valueLength) });
  }
  return records;
}

describe("kts and kcat read each other's records byte for byte", needs('kcat'), () => {
  let broker: StartedBroker;
  let tools: Tools;
  let dir: string;

  beforeAll(async () => {
    broker = await startBroker();
    tools = toolsAgainst(broker);
    dir = mkdtempSync(join(tmpdir(), 'kts-kcat-'));
  });

  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kts console-producer lines (headers, keys, null markers, UTF-8) as kcat sees them', async () => {
    const input = ['h1:v1,h2:\tk1\tone', 'NULL\tNULL\ttwo', 'h3:x,hn:NULL\tk3\tNULL', 'h4:\t\t', 'hz:é\tké\tvé', ''].join('\n');
    const props = ['parse.key=true', 'parse.headers=true', 'null.marker=NULL'].flatMap((p) => ['--property', p]);
    expect(await tools.kts(['console-producer', '--topic', 'from-kts', ...props], input)).toMatchObject({ code: 0, stdout: '' });

    const read = await tools.kcat(['-C', '-t', 'from-kts', '-e', '-q', '-f', '%K|%k|%S|%s|%h|\n']);
    expect(read.code).toBe(0);
    expect(read.stdout.toString()).toBe(
      ['2|k1|3|one|h1=v1,h2=|', '-1||3|two||', '2|k3|-1||h3=x,hn=NULL|', '0||0||h4=|', '3|ké|3|vé|hz=é|', ''].join('\n'),
    );
    // %h cannot tell a null header value from the text NULL; kcat's JSON can.
    const json = await tools.kcat(['-C', '-t', 'from-kts', '-o', '2', '-c', '1', '-q', '-J']);
    expect(JSON.parse(json.stdout.toString()).headers).toEqual(['h3', 'x', 'hn', null]);
  });

  it('kts console-producer value lines from a file of several read chunks, as kcat sees them, with the time they were read', async () => {
    // Over 1 MiB (the file's read chunk): lines span chunks. Line ends vary, NULL is the null
    // marker, one chunk holds invalid UTF-8 (its lines are decoded and re-encoded, as Kafka does).
    const lines: Buffer[] = [];
    for (let i = 0; lines.length < 30_000; i++) {
      lines.push(Buffer.from(i % 997 === 0 ? 'NULL' : `${i}:`.padEnd(i % 120, 'abcdefgh'[i % 8])));
      if (i === 12_345) lines.push(Buffer.alloc(300_000, 'L'), Buffer.from([0x61, 0xff, 0x62]));
    }
    const ends = ['\n', '\r\n', '\r'];
    const file = join(dir, 'value-lines.txt');
    writeFileSync(file, Buffer.concat(lines.flatMap((line, i) => [line, Buffer.from(ends[i % 3]!)])));
    expect((await tools.kts(['topics', '--create', '--topic', 'value-lines', '--partitions', '1'])).code).toBe(0);
    const before = Date.now();
    const r = await tools.kts(['console-producer', '--topic', 'value-lines', '--file', file, '--property', 'null.marker=NULL']);
    const after = Date.now();
    expect([r.code, r.stderr]).toEqual([0, '']);

    const read = await tools.kcat(['-C', '-t', 'value-lines', '-e', '-q', '-f', '%K,%S:%k%s']);
    const expected = lines.map((line) => (line.toString() === 'NULL' ? null : Buffer.from(line.toString())));
    expect(splitSized(read.stdout).map((rec) => rec.value)).toEqual(expected);
    const timestamps = (await tools.kcat(['-C', '-t', 'value-lines', '-e', '-q', '-f', '%T\n'])).stdout
      .toString()
      .trim()
      .split('\n')
      .map(Number);
    expect(timestamps).toHaveLength(lines.length);
    expect(timestamps.every((t) => t >= before && t <= after)).toBe(true);
  });

  it('kts JSON input with binary keys, values and header values as kcat sees them', async () => {
    const reversed = Buffer.from(ALL_BYTES).reverse();
    // No NUL byte: kcat's %h prints header values as C strings.
    const headerValue = Buffer.from([0xff, 0x80, 0x0a, 0x01]);
    const records = [
      {
        key: ALL_BYTES.toString('base64'),
        keyEncoding: 'base64',
        value: reversed.toString('base64'),
        valueEncoding: 'base64',
        headers: [],
      },
      { key: null, value: '', headers: [{ key: 'bin', value: headerValue.toString('base64'), valueEncoding: 'base64' }] },
    ];
    const input = records.map((r) => JSON.stringify(r)).join('\n');
    expect((await tools.kts(['console-producer', '--topic', 'bin-kts', '--input-format', 'json'], input)).code).toBe(0);

    const sized = await tools.kcat(['-C', '-t', 'bin-kts', '-e', '-q', '-f', '%K,%S:%k%s']);
    expect(splitSized(sized.stdout)).toEqual([
      { key: ALL_BYTES, value: reversed },
      { key: null, value: Buffer.alloc(0) },
    ]);
    const headers = await tools.kcat(['-C', '-t', 'bin-kts', '-o', '1', '-e', '-q', '-f', '%h']);
    expect(headers.stdout).toEqual(Buffer.concat([Buffer.from('bin='), headerValue]));
  });

  it('kcat-produced keys, null markers and headers through kts formatters', async () => {
    const produced = await tools.kcat(['-P', '-t', 'from-kcat', '-K', ':', '-Z', '-H', 'a=1', '-H', 'b='], 'k1:v1\n:v2\nk3:\nk4:v:4\n');
    expect(produced.code).toBe(0);

    const props = ['print.key=true', 'print.headers=true', 'print.offset=true', 'null.literal=<null>'].flatMap((p) => ['--property', p]);
    const text = await tools.consume('from-kcat', ...props);
    expect(text).toMatchObject({ code: 0, stderr: 'Processed a total of 4 messages\n' });
    expect(text.stdout).toBe(
      ['Offset:0\ta:1,b:\tk1\tv1', 'Offset:1\ta:1,b:\t<null>\tv2', 'Offset:2\ta:1,b:\tk3\t<null>', 'Offset:3\ta:1,b:\tk4\tv:4', ''].join(
        '\n',
      ),
    );

    const json = (await tools.consume('from-kcat', '--output', 'json')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(json.map(({ key, value, headers }) => ({ key, value, headers }))).toEqual(
      [
        ['k1', 'v1'],
        [null, 'v2'],
        ['k3', null],
        ['k4', 'v:4'],
      ].map(([key, value]) => ({
        key,
        value,
        headers: [
          { key: 'a', value: '1' },
          { key: 'b', value: '' },
        ],
      })),
    );
  });

  it('a kcat-produced binary file comes out of kts unchanged, raw and as base64 JSON', async () => {
    const file = join(dir, 'payload.bin');
    writeFileSync(file, ALL_BYTES);
    expect((await tools.kcat(['-P', '-t', 'bin-kcat', '-k', 'file-key', file])).code).toBe(0);

    const raw = await tools.ktsRaw([
      'console-consumer',
      '--topic',
      'bin-kcat',
      '--from-beginning',
      '--exit-at-end',
      '--format',
      '%K,%S:%k%s',
    ]);
    expect(raw.code).toBe(0);
    expect(splitSized(raw.stdout)).toEqual([{ key: Buffer.from('file-key'), value: ALL_BYTES }]);

    const [record] = (await tools.consume('bin-kcat', '--output', 'json')).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(record).toMatchObject({ key: 'file-key', valueEncoding: 'base64', headers: [] });
    expect(Buffer.from(record.value, 'base64')).toEqual(ALL_BYTES);
  });

  it.each([
    ['gzip', ['-z', 'gzip']],
    ['snappy', ['-z', 'snappy']],
    ['lz4', ['-z', 'lz4']],
    ['zstd', ['-X', 'compression.codec=zstd']],
  ])('kcat %s-compressed batches read by kts', async (codec, flags) => {
    const topic = `kcat-${codec}`;
    const lines = Array.from({ length: 40 }, (_, i) => `${codec} ${i} ${'y'.repeat(i * 3)}`);
    expect((await tools.kcat(['-P', '-t', topic, ...flags], `${lines.join('\n')}\n`)).code).toBe(0);
    const read = await tools.consume(topic);
    expect(read).toMatchObject({ code: 0, stdout: `${lines.join('\n')}\n`, stderr: 'Processed a total of 40 messages\n' });
  });
});
