import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { needs } from '../../helpers/requirements.js';
import { KTS_BIN } from '../../helpers/kts.js';
import { runProcess, type ProcessResult } from '../../helpers/process.js';

/** Every field kcat can print, binary-safe: lengths tell null (-1) from empty. */
const FORMAT = '%t|%p|%o|%T|%K|%S|%k|%s|%h\n';

/**
 * Lines `key<TAB>value` with bytes that are not UTF-8, an empty key and an empty value (sent as
 * null by kcat -Z), and many records so batches are large enough to compress.
 */
function inputLines(count: number): Buffer {
  const lines: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const key = i % 7 === 1 ? Buffer.alloc(0) : Buffer.from(`key-${i}`);
    const value =
      i % 11 === 2
        ? Buffer.alloc(0)
        : Buffer.concat([
            Buffer.from(`value ${i} `),
            Buffer.from([0xff, 0x00, 0xc3, 0x28, i % 256 === 10 ? 11 : i % 256]),
            Buffer.from('x'.repeat(i % 50)),
          ]);
    lines.push(key, Buffer.from('\t'), value, Buffer.from('\n'));
  }
  return Buffer.concat(lines);
}

describe('console-consumer without --group (native fetcher) against the embedded broker', needs('kcat'), () => {
  let broker: StartedBroker;
  let dir: string;
  const kts = (args: string[], timeoutMs = 30_000): Promise<ProcessResult> =>
    runProcess(KTS_BIN, ['console-consumer', '--bootstrap-server', broker.bootstrapServers, ...args], { timeoutMs });
  const kcat = (args: string[], input?: Buffer): Promise<ProcessResult> =>
    runProcess('kcat', ['-b', broker.bootstrapServers, ...args], { input, timeoutMs: 30_000 });
  const createTopic = async (topic: string, partitions: number) => {
    const r = await runProcess(KTS_BIN, [
      'topics',
      '--create',
      '--topic',
      topic,
      '--partitions',
      String(partitions),
      '--bootstrap-server',
      broker.bootstrapServers,
    ]);
    expect(r.code).toBe(0);
  };
  const produceLines = async (topic: string, lines: string[], partition?: number) => {
    const r = await kcat(
      ['-P', '-t', topic, ...(partition === undefined ? [] : ['-p', String(partition)])],
      Buffer.from(lines.map((l) => `${l}\n`).join('')),
    );
    expect(r.code).toBe(0);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kts-console-consumer-'));
    broker = await startBroker({ config: { 'num.partitions': '3' } });
  });

  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])('prints what kcat -P sent (%s), byte for byte as kcat -C does', async (codec) => {
    const topic = `kcat-${codec}`;
    const file = join(dir, `${topic}.txt`);
    writeFileSync(file, inputLines(2000));
    const headers = ['-H', 'h1=v1', '-H', 'hnull', '-H', 'empty=', '-H', 'h1=again'];
    const produced = await kcat(['-P', '-t', topic, '-z', codec, '-K', '\t', '-Z', ...headers, '-l', file]);
    expect(produced.code).toBe(0);

    const [ours, theirs] = await Promise.all([
      kts(['--topic', topic, '--from-beginning', '--exit-at-end', '--format', FORMAT]),
      kcat(['-C', '-t', topic, '-e', '-q', '-f', FORMAT]),
    ]);
    expect(ours.code).toBe(0);
    expect(ours.stderr).toBe('Processed a total of 2000 messages\n');
    // Same records, same bytes; partitions may interleave differently between the two clients.
    const lines = (b: Buffer) =>
      b
        .toString('latin1')
        .split('\n')
        .filter((l) => l !== '')
        .sort();
    expect(lines(ours.stdout)).toEqual(lines(theirs.stdout));
    expect(lines(ours.stdout)).toHaveLength(2000);
    expect(ours.stdout.toString('latin1')).toContain('|-1|');
    expect(ours.stdout.toString('latin1')).toContain('h1=v1,hnull=NULL,empty=,h1=again');
  });

  it("prints Kafka's default format with keys, headers and nulls", async () => {
    const topic = 'kafka-format';
    await createTopic(topic, 1);
    const produced = await kcat(['-P', '-t', topic, '-K', ':', '-Z', '-H', 'a=1', '-H', 'b'], Buffer.from('k1:v1\n:no key\nk3:\n'));
    expect(produced.code).toBe(0);
    const props = ['print.key', 'print.headers', 'print.offset', 'print.partition'].flatMap((p) => ['--property', `${p}=true`]);
    const r = await kts(['--topic', topic, '--from-beginning', '--exit-at-end', ...props]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(
      'Partition:0\tOffset:0\ta:1,b:null\tk1\tv1\n' +
        'Partition:0\tOffset:1\ta:1,b:null\tnull\tno key\n' +
        'Partition:0\tOffset:2\ta:1,b:null\tk3\tnull\n',
    );
    const json = await kts(['--topic', topic, '--from-beginning', '--exit-at-end', '--output', 'json']);
    const first = JSON.parse(json.stdout.toString().split('\n')[0]!);
    expect(first).toMatchObject({
      topic,
      partition: 0,
      offset: 0,
      timestampType: 'CreateTime',
      key: 'k1',
      value: 'v1',
      headers: [
        { key: 'a', value: '1' },
        { key: 'b', value: null },
      ],
    });
    expect(first.timestamp).toBeGreaterThan(0);
  });

  it('starts where told: --partition with --offset N, earliest, latest; out of range follows auto.offset.reset', async () => {
    const topic = 'positions';
    await createTopic(topic, 2);
    await produceLines(topic, ['a', 'b', 'c', 'd'], 0);
    await produceLines(topic, ['other'], 1);
    const at = (offset: string, ...extra: string[]) => kts(['--topic', topic, '--partition', '0', '--offset', offset, ...extra]);

    expect((await at('2', '--exit-at-end')).stdout.toString()).toBe('c\nd\n');
    expect((await at('earliest', '--exit-at-end')).stdout.toString()).toBe('a\nb\nc\nd\n');
    const latest = await at('latest', '--exit-at-end');
    expect([latest.code, latest.stdout.toString(), latest.stderr]).toEqual([0, '', 'Processed a total of 0 messages\n']);
    // Offset 99 is past the end: the broker answers OFFSET_OUT_OF_RANGE and the fetcher resets.
    const early = await at('99', '--consumer-property', 'auto.offset.reset=earliest', '--max-messages', '4');
    expect(early.stdout.toString()).toBe('a\nb\nc\nd\n');
    const late = await at('99', '--timeout-ms', '1000', '--verbose');
    expect([late.code, late.stdout.toString()]).toEqual([0, '']);
    expect(late.stderr).toContain('offset 99 is out of range for positions-0: resetting to the latest offset');

    const missing = await kts(['--topic', topic, '--partition', '5']);
    expect([missing.code, missing.stderr.trim().split('\n').at(-1)]).toEqual([1, "Error: topic 'positions' has no partition 5 (it has 2)"]);
  });

  it('without --from-beginning reads only what arrives after it started', async () => {
    const topic = 'tail';
    await createTopic(topic, 1);
    await produceLines(topic, ['old']);
    const consumer = kts(['--topic', topic, '--max-messages', '1'], 20_000);
    // The consumer's start (latest) is unknown from here: keep producing until it has read one.
    let done = false;
    void consumer.finally(() => (done = true));
    for (let i = 0; i < 100 && !done; i++) {
      await produceLines(topic, ['new']);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const r = await consumer;
    expect([r.code, r.stdout.toString()]).toEqual([0, 'new\n']);
  });

  it('--exit-at-end over several partitions, empty ones included; --max-messages stops exactly', async () => {
    const topic = 'spread';
    await createTopic(topic, 4);
    await produceLines(
      topic,
      Array.from({ length: 30 }, (_, i) => `p0-${i}`),
      0,
    );
    await produceLines(
      topic,
      Array.from({ length: 20 }, (_, i) => `p2-${i}`),
      2,
    );
    const all = await kts(['--topic', topic, '--from-beginning', '--exit-at-end']);
    expect(all.code).toBe(0);
    const lines = all.stdout.toString().trim().split('\n');
    expect(lines.sort()).toEqual(
      [...Array.from({ length: 30 }, (_, i) => `p0-${i}`), ...Array.from({ length: 20 }, (_, i) => `p2-${i}`)].sort(),
    );
    // Per partition, in offset order.
    expect(lines.filter((l) => l.startsWith('p0-'))).toEqual(Array.from({ length: 30 }, (_, i) => `p0-${i}`).sort());

    const some = await kts(['--topic', topic, '--from-beginning', '--max-messages', '7']);
    expect([some.code, some.stdout.toString().trim().split('\n').length, some.stderr]).toEqual([0, 7, 'Processed a total of 7 messages\n']);

    await createTopic('nothing', 2);
    const empty = await kts(['--topic', 'nothing', '--from-beginning', '--exit-at-end']);
    expect([empty.code, empty.stdout.toString(), empty.stderr]).toEqual([0, '', 'Processed a total of 0 messages\n']);
  });

  it('--include reads every matching topic; --timeout-ms ends an idle consumer', async () => {
    await produceLines('inc-a', ['from a']);
    await produceLines('inc-b', ['from b']);
    await produceLines('other-c', ['from c']);
    const r = await kts(['--include', 'inc-.*', '--from-beginning', '--timeout-ms', '1500']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString().trim().split('\n').sort()).toEqual(['from a', 'from b']);
    expect(r.stderr).toBe('Processed a total of 2 messages\n');
  });

  it('stops quietly when its output is closed (| head)', async () => {
    const topic = 'many';
    await createTopic(topic, 1);
    await produceLines(
      topic,
      Array.from({ length: 50_000 }, (_, i) => `line ${i}`),
    );
    const r = await runProcess(
      'bash',
      [
        '-c',
        `set -o pipefail; "${KTS_BIN}" console-consumer --bootstrap-server ${broker.bootstrapServers} --topic ${topic} --from-beginning | head -n 3`,
      ],
      {
        timeoutMs: 30_000,
      },
    );
    expect([r.code, r.stdout.toString(), r.stderr]).toEqual([0, 'line 0\nline 1\nline 2\n', '']);
  });

  it('SIGINT ends it with exit 0 and the total printed', async () => {
    const topic = 'signal';
    await createTopic(topic, 1);
    await produceLines(topic, ['one', 'two']);
    const child = spawn(KTS_BIN, ['console-consumer', '--bootstrap-server', broker.bootstrapServers, '--topic', topic, '--from-beginning']);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      for (let i = 0; i < 200 && Buffer.concat(out).toString() !== 'one\ntwo\n'; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(Buffer.concat(out).toString()).toBe('one\ntwo\n');
      expect(Buffer.concat(err).toString()).toBe('Processed a total of 2 messages\n');
    } finally {
      clearTimeout(timer);
      child.kill('SIGKILL');
    }
  });

  it('--group joins the group as a member', async () => {
    const topic = 'grouped';
    await produceLines(topic, ['g1', 'g2']);
    const r = await kts(['--topic', topic, '--group', 'native-test-group', '--from-beginning', '--exit-at-end']);
    expect([r.code, r.stdout.toString().split('\n').filter(Boolean).sort()]).toEqual([0, ['g1', 'g2']]);
    const described = await runProcess(KTS_BIN, ['consumer-groups', '--bootstrap-server', broker.bootstrapServers, '--list']);
    expect(described.stdout.toString()).toContain('native-test-group');
  });
});
