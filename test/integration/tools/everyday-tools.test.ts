import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { needs } from '../../helpers/requirements.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

describe('everyday tools against the embedded broker', () => {
  let broker: StartedBroker;
  let kts: Tools['kts'];
  let consume: Tools['consume'];
  let kcat: Tools['kcat'];

  beforeAll(async () => {
    broker = await startBroker();
    ({ kts, consume, kcat } = toolsAgainst(broker));
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('topics: create, list, describe, alter, delete (errors: text-layouts.test.ts)', async () => {
    const created = await kts(['topics', '--create', '--topic', 'orders', '--partitions', '2', '--config', 'retention.ms=60000']);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic orders.\n' });

    expect((await kts(['topics', '--create', '--topic', 'alpha'])).code).toBe(0);
    const list = await kts(['topics', '--list', '--exclude-internal']);
    expect(list.stdout).toBe('alpha\norders\n');

    const describe = await kts(['topics', '--describe', '--topic', 'orders']);
    expect(describe.code).toBe(0);
    const lines = describe.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Topic: orders\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: (.*,)?retention\.ms=60000(,.*)?$/,
    );
    expect(lines[1]).toMatch(/^\tTopic: orders\tPartition: 0\tLeader: \d+\tReplicas: \d+\tIsr: \d+\tElr: \tLastKnownElr: $/);
    expect(lines[2]).toMatch(/^\tTopic: orders\tPartition: 1\t/);

    expect((await kts(['topics', '--alter', '--topic', 'orders', '--partitions', '3'])).code).toBe(0);
    const json = JSON.parse((await kts(['topics', '--describe', '--topic', 'orders', '--output', 'json'])).stdout);
    expect(json[0]).toMatchObject({ name: 'orders', partitionCount: 3, configs: { 'retention.ms': '60000' } });

    expect(await kts(['topics', '--delete', '--topic', 'alpha'])).toMatchObject({ code: 0, stdout: '' });
    expect((await kts(['topics', '--list', '--exclude-internal'])).stdout).toBe('orders\n');
  });

  it('console-producer lines with keys and headers come back through console-consumer in Kafka format', async () => {
    expect((await kts(['topics', '--create', '--topic', 'lines', '--partitions', '1'])).code).toBe(0);
    const input = 'h1:v1,h2:v2\tk1\tone\nh3:x\tk2\tNULL\n';
    const produced = await kts(
      [
        'console-producer',
        '--topic',
        'lines',
        '--property',
        'parse.key=true',
        '--property',
        'parse.headers=true',
        '--property',
        'null.marker=NULL',
      ],
      input,
    );
    expect(produced).toMatchObject({ code: 0, stdout: '' });

    const props = ['print.key', 'print.offset', 'print.partition', 'print.headers'].flatMap((p) => ['--property', `${p}=true`]);
    const consumed = await consume('lines', ...props);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toBe('Partition:0\tOffset:0\th1:v1,h2:v2\tk1\tone\nPartition:0\tOffset:1\th3:x\tk2\tnull\n');
    expect(consumed.stderr).toBe('Processed a total of 2 messages\n');

    const offsets = await kts(['get-offsets', '--topic', 'lines']);
    expect(offsets.stdout).toBe('lines:0:2\n');
    expect((await kts(['get-offsets', '--topic', 'lines', '--time', 'earliest'])).stdout).toBe('lines:0:0\n');
  });

  it('reports a rejected line after sending the lines before it, with exit 1', async () => {
    const r = await kts(['console-producer', '--topic', 'strict', '--property', 'parse.key=true'], 'a\tb\nno-separator\nc\td\n');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("Error: No key separator found on line number 2: 'no-separator'");
    expect((await kts(['get-offsets', '--topic', 'strict'])).stdout).toBe('strict:0:1\n');
  });

  it('JSON lines round-trip binary values, null keys and headers between topics', async () => {
    const records = [
      { key: null, value: 'AP8B', valueEncoding: 'base64', headers: [{ key: 'h', value: 'x' }] },
      { key: 'k', value: null, headers: [] },
      { key: '', value: 'plain', headers: [] },
    ];
    const input = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
    expect((await kts(['console-producer', '--topic', 'json-a', '--input-format', 'json'], input)).code).toBe(0);
    const first = await consume('json-a', '--output', 'json');
    expect((await kts(['console-producer', '--topic', 'json-b', '--input-format', 'json'], first.stdout)).code).toBe(0);
    const second = await consume('json-b', '--output', 'json');
    const strip = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((l) => {
          const { topic: _t, timestamp: _ts, ...rest } = JSON.parse(l);
          return rest;
        });
    expect(strip(second.stdout)).toEqual(strip(first.stdout));
    expect(strip(first.stdout)).toMatchObject([
      { key: null, value: 'AP8B', valueEncoding: 'base64', headers: [{ key: 'h', value: 'x' }] },
      { key: 'k', value: null },
      { key: '', value: 'plain' },
    ]);
  });

  const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'];
  const codecLines = Array.from({ length: 50 }, (_, i) => `line ${i} ${'x'.repeat(i)}`);
  const produceCompressed = async (topic: string, codec: string) => {
    const produced = await kts(['console-producer', '--topic', topic, '--compression-codec', codec], `${codecLines.join('\n')}\n`);
    expect(produced.code).toBe(0);
  };

  it.each(CODECS)('produces and consumes %s-compressed batches', async (codec) => {
    await produceCompressed(`codec-${codec}`, codec);
    const consumed = await consume(`codec-${codec}`, '--format', '%s\\n');
    expect(consumed.stdout).toBe(`${codecLines.join('\n')}\n`);
  });

  it.each(CODECS)('produces %s-compressed batches kcat (librdkafka) reads', needs('kcat'), async (codec) => {
    await produceCompressed(`kcat-codec-${codec}`, codec);
    const k = await kcat(['-C', '-t', `kcat-codec-${codec}`, '-e', '-q', '-f', '%s\n']);
    expect(k.stdout.toString()).toBe(`${codecLines.join('\n')}\n`);
  });

  it('console-consumer --partition --offset and --max-messages', async () => {
    await kts(['console-producer', '--topic', 'pick'], 'a\nb\nc\nd\n');
    const r = await kts(['console-consumer', '--topic', 'pick', '--partition', '0', '--offset', '1', '--max-messages', '2']);
    expect(r).toMatchObject({ code: 0, stdout: 'b\nc\n', stderr: 'Processed a total of 2 messages\n' });
  });
});
