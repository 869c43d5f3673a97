import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { KTS_BIN } from '../../helpers/kts.js';
import { waitUntil } from '../../helpers/wait.js';
import { RunningProcess } from './running-process.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

interface Event {
  timestamp: number;
  name: string;
  [field: string]: unknown;
}

const events = (stdout: string): Event[] =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Event);

function verifiable(tool: 'producer' | 'consumer', bootstrap: string, args: string[]): RunningProcess {
  const argv = [`verifiable-${tool}`, '--bootstrap-server', bootstrap, ...args];
  return new RunningProcess(tool, spawn(KTS_BIN, argv, { env: { ...process.env, NO_COLOR: '1' } }));
}

describe('verifiable-producer and verifiable-consumer against the embedded broker', () => {
  let broker: StartedBroker;
  let tools: Tools;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kts-verifiable-'));
    broker = await startBroker({ config: { 'group.initial.rebalance.delay.ms': '0' } });
    tools = toolsAgainst(broker);
    expect((await tools.kts(['topics', '--create', '--topic', 'checks', '--partitions', '2'])).code).toBe(0);
  });

  afterAll(async () => {
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("prints Kafka's events, in Jackson's field order, for every acknowledged message", async () => {
    const r = await tools.kts([
      'verifiable-producer',
      '--topic',
      'checks',
      '--max-messages',
      '10',
      '--value-prefix',
      '7',
      '--repeating-keys',
      '3',
    ]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\{"timestamp":\d+,"name":"startup_complete"\}$/);
    const sends = lines.slice(1, 11);
    for (const line of sends) {
      expect(line).toMatch(
        /^\{"timestamp":\d+,"name":"producer_send_success","key":"[012]","value":"7\.\d","topic":"checks","partition":[01],"offset":\d+\}$/,
      );
    }
    expect(
      sends
        .map((l) => JSON.parse(l) as { value: string })
        .map((e) => e.value)
        .sort(),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `7.${i}`));
    expect(lines[11]).toMatch(/^\{"timestamp":\d+,"name":"shutdown_complete"\}$/);
    expect(lines[12]).toMatch(
      /^\{"timestamp":\d+,"name":"tool_data","sent":10,"acked":10,"target_throughput":-1,"avg_throughput":\d+\.\d+(E\d+)?\}$/,
    );
    expect(lines).toHaveLength(13);
  });

  it('producer_send_error names the Java exception, and tool_data counts only what was acknowledged', async () => {
    const config = join(dir, 'small.properties');
    await writeFile(config, 'max.request.size=50\n');
    const r = await tools.kts(['verifiable-producer', '--topic', 'checks', '--max-messages', '2', '--producer.config', config]);
    expect(r.code).toBe(0);
    const [start, e1, e2, shutdown, data] = events(r.stdout);
    expect(start!.name).toBe('startup_complete');
    for (const e of [e1!, e2!]) {
      expect(e).toMatchObject({
        name: 'producer_send_error',
        key: null,
        topic: 'checks',
        exception: 'class org.apache.kafka.common.errors.RecordTooLargeException',
      });
      expect(e.message).toMatch(
        /^The message is \d+ bytes when serialized which is larger than 50, which is the value of the max.request.size configuration\.$/,
      );
    }
    expect(shutdown!.name).toBe('shutdown_complete');
    expect(data).toMatchObject({ name: 'tool_data', sent: 2, acked: 0 });
  });

  it('runs until SIGTERM without --max-messages, then flushes and reports', async () => {
    const p = verifiable('producer', broker.bootstrapServers, ['--topic', 'checks', '--throughput', '200']);
    await waitUntil(
      () => p.lines.filter((l) => l.includes('producer_send_success')).length >= 20,
      () => p.describe(),
      20_000,
    );
    expect(await p.stop('SIGTERM')).toBe(0);
    const all = p.lines.map((l) => JSON.parse(l) as Event);
    expect(all.at(-2)!.name).toBe('shutdown_complete');
    const data = all.at(-1)!;
    expect(data).toMatchObject({ name: 'tool_data', target_throughput: 200 });
    expect(data.acked).toBe(data.sent);
    expect(data.acked).toBe(all.filter((e) => e.name === 'producer_send_success').length);
  });

  it('the consumer reports assignments, batches and synchronous commits, and commits what it reports', async () => {
    await tools.kts(['topics', '--create', '--topic', 'reads', '--partitions', '2']);
    expect((await tools.kts(['verifiable-producer', '--topic', 'reads', '--max-messages', '20'])).code).toBe(0);
    const r = await tools.kts(['verifiable-consumer', '--topic', 'reads', '--group-id', 'checkers', '--max-messages', '20', '--verbose']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const all = events(r.stdout);
    expect(all[0]!.name).toBe('startup_complete');
    expect(all[1]).toMatchObject({
      name: 'partitions_assigned',
      partitions: [
        { topic: 'reads', partition: 0 },
        { topic: 'reads', partition: 1 },
      ],
    });
    const batches = all.filter((e) => e.name === 'records_consumed') as Array<
      Event & { count: number; partitions: Array<{ partition: number; count: number; minOffset: number; maxOffset: number }> }
    >;
    expect(batches.reduce((n, b) => n + b.count, 0)).toBe(20);
    expect(all.filter((e) => e.name === 'record_data')).toHaveLength(20);
    for (const b of batches) {
      const [p] = b.partitions;
      expect(p!.maxOffset - p!.minOffset + 1).toBe(p!.count);
      // Each batch is committed right after, up to the offset after its last record.
      const commit = all[all.indexOf(b) + 1]!;
      expect(commit).toEqual({
        timestamp: expect.any(Number),
        name: 'offsets_committed',
        offsets: [{ topic: 'reads', partition: p!.partition, offset: p!.maxOffset + 1 }],
        success: true,
      });
    }
    expect(r.stdout).toMatch(
      /^\{"timestamp":\d+,"name":"records_consumed","count":\d+,"partitions":\[\{"topic":"reads","partition":\d,"count":\d+,"minOffset":\d+,"maxOffset":\d+\}\]\}$/m,
    );
    expect(r.stdout).toMatch(
      /^\{"timestamp":\d+,"name":"record_data","key":null,"value":"\d+","topic":"reads","partition":\d,"offset":\d+\}$/m,
    );
    expect(all.at(-2)).toMatchObject({
      name: 'partitions_revoked',
      partitions: [
        { topic: 'reads', partition: 0 },
        { topic: 'reads', partition: 1 },
      ],
    });
    expect(all.at(-1)!.name).toBe('shutdown_complete');
    // Every partition that had records is committed at its end (lag 0).
    const described = await tools.kts(['consumer-groups', '--describe', '--group', 'checkers']);
    for (const partition of new Set(batches.map((b) => b.partitions[0]!.partition))) {
      expect(described.stdout).toMatch(new RegExp(`checkers +reads +${partition} +(\\d+) +\\1 +0 `));
    }
  });

  it('a second member makes the first give up its partitions and take its share again', async () => {
    const a = verifiable('consumer', broker.bootstrapServers, ['--topic', 'reads', '--group-id', 'pair', '--enable-autocommit']);
    await waitUntil(
      () => a.lines.some((l) => l.includes('"partitions_assigned"')),
      () => a.describe(),
      20_000,
    );
    const b = verifiable('consumer', broker.bootstrapServers, ['--topic', 'reads', '--group-id', 'pair', '--enable-autocommit']);
    try {
      await waitUntil(
        () =>
          a.lines.filter((l) => l.includes('"partitions_assigned"')).length === 2 &&
          b.lines.some((l) => l.includes('"partitions_assigned"')),
        () => `${a.describe()} / ${b.describe()}`,
        20_000,
      );
      const aEvents = a.lines.map((l) => JSON.parse(l) as Event);
      const revoked = aEvents.findIndex((e) => e.name === 'partitions_revoked');
      expect(aEvents[revoked]!.partitions).toEqual([
        { topic: 'reads', partition: 0 },
        { topic: 'reads', partition: 1 },
      ]);
      const second = aEvents.filter((e) => e.name === 'partitions_assigned')[1]!;
      const theirs = (JSON.parse(b.lines.find((l) => l.includes('"partitions_assigned"'))!) as Event).partitions as unknown[];
      expect([...(second.partitions as unknown[]), ...theirs]).toHaveLength(2);
      // With auto-commit there are no offsets_committed events.
      expect(aEvents.some((e) => e.name === 'offsets_committed')).toBe(false);
    } finally {
      expect(await a.stop('SIGTERM')).toBe(0);
      expect(await b.stop('SIGTERM')).toBe(0);
    }
    expect(JSON.parse(a.lines.at(-1)!).name).toBe('shutdown_complete');
  });

  it('refuses the KIP-848 consumer group protocol in one line', async () => {
    const r = await tools.kts(['verifiable-consumer', '--topic', 'reads', '--group-id', 'x', '--group-protocol', 'consumer']);
    expect(r).toMatchObject({
      code: 2,
      stderr: 'Error: --group-protocol consumer is not supported: kts speaks the classic group protocol only\n',
    });
  });
});
