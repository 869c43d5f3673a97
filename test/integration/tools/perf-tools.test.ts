import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import {
  defaultFetchRequest,
  defaultFetchRequestFetchPartition,
  defaultFetchRequestFetchTopic,
} from '../../../src/protocol/generated/apis/fetch.js';
import { ATTR, readBatchHeader } from '../../../src/protocol/records/batch-header.js';
import { iterateBatches } from '../../../src/protocol/records/batch-iterator.js';
import { runKts } from '../../helpers/kts.js';
import { startMockCluster, type MockCluster } from '../../helpers/librdkafka-mock.js';
import { needs } from '../../helpers/requirements.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

/** ProducerPerformance's final line. */
const PRODUCER_TOTAL =
  /^(\d+) records sent, \d+\.\d{6} records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d{2} ms avg latency, \d+\.00 ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$/;
const CONSUMER_HEADER =
  'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
const DATE = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}';
const CONSUMER_TOTAL = new RegExp(
  `^${DATE}, ${DATE}, (\\d+\\.\\d{4}), \\d+\\.\\d{4}, (\\d+), \\d+\\.\\d{4}, \\d+, -?\\d+, -?\\d+\\.\\d{4}|Infinity, -?\\d+\\.\\d{4}|Infinity$`,
);

describe('producer-perf-test, consumer-perf-test and e2e-latency against the embedded broker', () => {
  let broker: StartedBroker;
  let tools: Tools;
  let dir: string;
  const endOffsetSum = async (topic: string) => {
    const r = await tools.kts(['get-offsets', '--topic', topic]);
    return r.stdout
      .trim()
      .split('\n')
      .reduce((sum, line) => sum + Number(line.split(':')[2]), 0);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kts-perf-tools-'));
    broker = await startBroker({ config: { 'group.initial.rebalance.delay.ms': '0' } });
    tools = toolsAgainst(broker);
    expect((await tools.kts(['topics', '--create', '--topic', 'perf', '--partitions', '3'])).code).toBe(0);
  });

  afterAll(async () => {
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("producer-perf-test sends every record (random A-Z payloads of the size asked) and prints Kafka's total line", async () => {
    const r = await tools.kts([
      'producer-perf-test',
      '--topic',
      'perf',
      '--num-records',
      '20000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
    ]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(PRODUCER_TOTAL);
    expect(PRODUCER_TOTAL.exec(lines.at(-1)!)![1]).toBe('20000');
    expect(await endOffsetSum('perf')).toBe(20000);
    const consumed = await tools.kts(['console-consumer', '--topic', 'perf', '--from-beginning', '--max-messages', '50']);
    for (const value of consumed.stdout.trim().split('\n')) expect(value).toMatch(/^[A-Z]{100}$/);
  });

  it("--payload-monotonic, and --payload-file split by --payload-delimiter with Kafka's two lines about it", async () => {
    await tools.kts(['topics', '--create', '--topic', 'mono']);
    expect(
      (await tools.kts(['producer-perf-test', '--topic', 'mono', '--num-records', '5', '--payload-monotonic', '--throughput', '-1'])).code,
    ).toBe(0);
    const values = (await tools.consume('mono')).stdout.trim().split('\n');
    expect(values).toEqual(['0', '1', '2', '3', '4']);

    const file = join(dir, 'payloads.txt');
    await writeFile(file, 'alpha;beta;gamma');
    const r = await tools.kts([
      'producer-perf-test',
      '--topic',
      'filed',
      '--num-records',
      '30',
      '--payload-file',
      file,
      '--payload-delimiter',
      ';',
      '--throughput',
      '-1',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([`Reading payloads from: ${file}`, 'Number of messages read: 3']);
    const sent = new Set((await tools.consume('filed')).stdout.trim().split('\n'));
    for (const v of sent) expect(['alpha', 'beta', 'gamma']).toContain(v);
  });

  it("--print-metrics adds Kafka's metrics table; --output json prints the summary instead", async () => {
    const r = await tools.kts([
      'producer-perf-test',
      '--topic',
      'perf',
      '--num-records',
      '100',
      '--record-size',
      '10',
      '--throughput',
      '-1',
      '--print-metrics',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) => /^Metric Name {3,}Value$/.test(l.replace(/ {2,}/, '   ')));
    expect(lines[header - 1]).toBe('');
    expect(lines[header + 1]).toMatch(/^producer-metrics:batch-size-avg:\{client-id=perf-producer-client\} +: \d+\.\d{3}$/);
    expect(r.stdout).toMatch(/producer-metrics:record-send-total:\{client-id=perf-producer-client\} +: 100\.000\n/);

    const json = await tools.kts([
      'producer-perf-test',
      '--topic',
      'perf',
      '--num-records',
      '100',
      '--record-size',
      '10',
      '--throughput',
      '-1',
      '--output',
      'json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({ records: 100, p50Ms: expect.any(Number), recordsPerSec: expect.any(Number) });
  });

  it('--transaction-duration-ms against the kts broker: every record committed in transactions', async () => {
    const r = await tools.kts([
      'producer-perf-test',
      '--topic',
      'perf',
      '--num-records',
      '10',
      '--record-size',
      '10',
      '--throughput',
      '-1',
      '--transaction-duration-ms',
      '100',
    ]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^10 records sent, /m);
  });

  it.each([
    [['--record-size', '10'], "error: required option '--num-records <n>' not specified"],
    [['--num-records', '5'], 'Error: one of the arguments --record-size --payload-file --payload-monotonic is required'],
    [
      ['--num-records', '5', '--record-size', '5', '--payload-monotonic'],
      'Error: argument --payload-monotonic: not allowed with argument --record-size',
    ],
    [['--num-records', 'x', '--record-size', '5'], "Error: argument --num-records: could not convert 'x' to Long"],
    [['--num-records', '5', '--record-size', '5', '--producer-props', 'a=b=c'], 'Error: Invalid property: a=b=c'],
  ])('usage errors are one line and exit 2: %s', async (args, message) => {
    const r = await tools.kts(['producer-perf-test', '--topic', 'perf', '--throughput', '-1', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(message);
  });

  it("consumer-perf-test consumes as a group member and prints Kafka's CSV header and totals", async () => {
    await tools.kts(['topics', '--create', '--topic', 'reads', '--partitions', '2']);
    expect(
      (await tools.kts(['producer-perf-test', '--topic', 'reads', '--num-records', '20000', '--record-size', '100', '--throughput', '-1']))
        .code,
    ).toBe(0);
    const r = await tools.kts(['consumer-perf-test', '--topic', 'reads', '--messages', '20000', '--group', 'perf-readers']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const [header, total, ...rest] = r.stdout.trim().split('\n');
    expect(header).toBe(CONSUMER_HEADER);
    expect(rest).toEqual([]);
    const m = CONSUMER_TOTAL.exec(total!);
    expect(m, total).not.toBeNull();
    expect(m![2]).toBe('20000');
    // 100-byte values, no keys: the MB column counts them (MiB).
    expect(Number(m![1])).toBeCloseTo((20000 * 100) / 1024 / 1024, 3);
    // The group committed its positions on the way out.
    const described = await tools.kts(['consumer-groups', '--describe', '--group', 'perf-readers']);
    expect(described.stdout).toMatch(/perf-readers +reads +0 +(\d+) +\1 +0 /);
  });

  it('consumer-perf-test --timeout: a WARNING line when fewer messages came; --hide-header and detailed stats', async () => {
    const r = await tools.kts(['consumer-perf-test', '--topic', 'mono', '--messages', '1000', '--timeout', '500', '--hide-header']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'WARNING: Exiting before consuming the expected number of messages: timeout (500 ms) exceeded. You can use the --timeout option to increase the timeout.',
    );
    expect(lines[1]).toMatch(new RegExp(`^${DATE}, ${DATE}, 0\\.0000, \\d+\\.\\d{4}, 5, `));
    const detailed = await tools.kts(['consumer-perf-test', '--topic', 'mono', '--messages', '5', '--show-detailed-stats']);
    expect(detailed.stdout.trim().split('\n')).toEqual([
      'time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec',
    ]);
  });

  it("e2e-latency round trips messages one at a time and prints Kafka's lines; a missing topic is created", async () => {
    const r = await runKts(['e2e-latency', broker.bootstrapServers, 'latency', '1001', 'all', '20'], {
      timeoutMs: 60_000,
      env: { NO_COLOR: '1' },
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('Topic "latency" does not exist. Will create topic with 1 partition(s) and replication factor = 1');
    expect(lines[1]).toMatch(/^0\t\d+\.\d+(E-?\d+)?$/);
    expect(lines[2]).toMatch(/^1000\t\d+\.\d+(E-?\d+)?$/);
    expect(lines[3]).toMatch(/^Avg latency: \d+\.\d{4} ms$/);
    expect(lines[4]).toMatch(/^Percentiles: 50th = \d+, 99th = \d+, 99\.9th = \d+$/);
    expect(await endOffsetSum('latency')).toBe(1001);
    // Every message is 20 copies of one letter.
    const values = (await tools.consume('latency', '--max-messages', '10')).stdout.trim().split('\n');
    for (const v of values) expect(v).toMatch(/^([A-Z])\1{19}$/);
    const groups = await tools.kts(['consumer-groups', '--list']);
    expect(groups.stdout).toMatch(/^test-group-\d+$/m);
  });

  it("e2e-latency usage: Kafka's USAGE line and its acks rule", async () => {
    const usage = await runKts(['e2e-latency', broker.bootstrapServers, 'latency']);
    expect(usage).toMatchObject({
      code: 2,
      stderr: 'USAGE: kts e2e-latency broker_list topic num_messages producer_acks message_size_bytes [optional] properties_file\n',
    });
    const acks = await runKts(['e2e-latency', broker.bootstrapServers, 'latency', '10', '0', '10']);
    expect(acks).toMatchObject({ code: 2, stderr: 'Error: Latency testing requires synchronous acknowledgement. Please use 1 or all\n' });
  });
});

describe('producer-perf-test transactions against a broker that has them (librdkafka mock cluster)', needs('confluent-kafka'), () => {
  let mock: MockCluster;

  beforeAll(async () => {
    mock = await startMockCluster();
  });

  afterAll(async () => {
    await mock?.stop();
  });

  it('commits a transaction every --transaction-duration-ms: the batches are transactional', async () => {
    const r = await runKts(
      [
        'producer-perf-test',
        '--topic',
        'txn',
        '--num-records',
        '200',
        '--record-size',
        '10',
        '--throughput',
        '-1',
        '--transaction-duration-ms',
        '1',
        '--transactional-id',
        'perf-tx',
        '--bootstrap-server',
        mock.bootstrap,
      ],
      { timeoutMs: 30_000 },
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^200 records sent, /m);
    const [host, port] = mock.bootstrap.split(':') as [string, string];
    const conn = await RawKafkaConnection.open(host, Number(port), { negotiateVersions: true });
    try {
      let records = 0;
      // The mock answers a Fetch with one message set at a time: read each partition batch by batch.
      for (let partition = 0; partition < 4; partition++) {
        for (let fetchOffset = 0n; ; ) {
          const response = await conn.request(ApiKey.Fetch, 11, {
            ...defaultFetchRequest(),
            maxBytes: 1 << 20,
            topics: [
              {
                ...defaultFetchRequestFetchTopic(),
                topic: 'txn',
                partitions: [{ ...defaultFetchRequestFetchPartition(), partition, fetchOffset, partitionMaxBytes: 1 << 20 }],
              },
            ],
          });
          const next = fetchOffset;
          for (const batch of iterateBatches(response.responses[0]!.partitions[0]!.records ?? Buffer.alloc(0))) {
            const header = readBatchHeader(batch);
            fetchOffset = header.baseOffset + BigInt(header.lastOffsetDelta) + 1n;
            if (header.attributes & ATTR.CONTROL) continue;
            expect(header.attributes & ATTR.TRANSACTIONAL).toBe(ATTR.TRANSACTIONAL);
            expect(header.producerId).toBeGreaterThanOrEqual(0n);
            records += header.recordsCount;
          }
          if (fetchOffset === next) break;
        }
      }
      expect(records).toBe(200);
    } finally {
      conn.close();
    }
  });
});
