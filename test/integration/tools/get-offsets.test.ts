import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

/** Records with known CreateTime stamps: three in one batch on partition 0, one each on 1 and 10. */
const RECORDS = [
  { partition: 0, timestamp: 1000 },
  { partition: 0, timestamp: 2000 },
  { partition: 0, timestamp: 3000 },
  { partition: 1, timestamp: 2500 },
  { partition: 10, timestamp: 500 },
];

describe('get-offsets against the embedded broker', () => {
  let broker: StartedBroker;
  let tools: Tools;
  const offsets = async (...args: string[]) => {
    const r = await tools.kts(['get-offsets', '--topic', 'stamped', ...args]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return r.stdout.trim().split('\n').filter((l) => l !== '');
  };

  beforeAll(async () => {
    broker = await startBroker();
    tools = toolsAgainst(broker);
    expect((await tools.kts(['topics', '--create', '--topic', 'stamped', '--partitions', '12'])).code).toBe(0);
    const input = RECORDS.map((r, i) => JSON.stringify({ key: null, value: `v${i}`, headers: [], ...r })).join('\n');
    expect((await tools.kts(['console-producer', '--topic', 'stamped', '--input-format', 'json'], input)).code).toBe(0);
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('-1/latest and -2/earliest list every partition in Kafka\'s order (by "topic-partition" text)', async () => {
    const order = [0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9];
    const latest = order.map((p) => `stamped:${p}:${{ 0: 3, 1: 1, 10: 1 }[p] ?? 0}`);
    expect(await offsets('--time', '-1')).toEqual(latest);
    expect(await offsets()).toEqual(latest);
    const earliest = order.map((p) => `stamped:${p}:0`);
    expect(await offsets('--time', '-2')).toEqual(earliest);
    expect(await offsets('--time', 'earliest')).toEqual(earliest);
  });

  it('a timestamp gives the first offset at or after it, inside a batch, and leaves out partitions with none', async () => {
    expect(await offsets('--time', '0')).toEqual(['stamped:0:0', 'stamped:1:0', 'stamped:10:0']);
    expect(await offsets('--time', '1500')).toEqual(['stamped:0:1', 'stamped:1:0']);
    expect(await offsets('--time', '2000')).toEqual(['stamped:0:1', 'stamped:1:0']);
    expect(await offsets('--time', '2501')).toEqual(['stamped:0:2']);
    expect(await offsets('--time', '3001')).toEqual([]);
  });

  it('--partitions and --topic-partitions narrow the lookup; no match is an error', async () => {
    expect(await offsets('--partitions', '10,0')).toEqual(['stamped:0:3', 'stamped:10:1']);
    const ranged = await tools.kts(['get-offsets', '--topic-partitions', 'stamped:1-3', '--time', '-1']);
    expect(ranged.stdout).toBe('stamped:1:1\nstamped:2:0\n');
    const none = await tools.kts(['get-offsets', '--topic', 'missing']);
    expect(none).toMatchObject({ code: 1, stdout: '', stderr: 'Error occurred: Could not match any topic-partitions with the specified filters\n' });
  });
});
