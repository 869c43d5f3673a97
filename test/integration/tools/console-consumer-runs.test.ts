import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { KTS_BIN } from '../../helpers/kts.js';
import { needs, PYTHON } from '../../helpers/requirements.js';
import { runProcess } from '../broker/helpers.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

/** A group's committed offsets and the cluster's groups, as kafka-python's admin client sees them. */
const GROUP_STATE = `
import json, sys
from kafka import KafkaAdminClient
admin = KafkaAdminClient(bootstrap_servers=sys.argv[1])
offsets = admin.list_consumer_group_offsets(sys.argv[2])
print(json.dumps({
  'offsets': {f'{tp.topic}:{tp.partition}': meta.offset for tp, meta in offsets.items()},
  'groups': sorted(g for g, _ in admin.list_consumer_groups()),
}))
admin.close()
`;

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${from + i}\n`).join('');

describe('console-consumer runs against the embedded broker', () => {
  let broker: StartedBroker;
  let tools: Tools;
  const produce = async (topic: string, input: string, ...extra: string[]) =>
    expect((await tools.kts(['console-producer', '--topic', topic, ...extra], input)).code).toBe(0);

  beforeAll(async () => {
    broker = await startBroker();
    tools = toolsAgainst(broker);
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('--group commits what was printed: the next run with the group continues after it', async () => {
    await produce('grouped', lines(1, 10));
    const run = (...extra: string[]) =>
      tools.kts(['console-consumer', '--topic', 'grouped', '--group', 'billing', '--from-beginning', ...extra]);
    expect(await run('--max-messages', '3')).toMatchObject({ code: 0, stdout: lines(1, 3), stderr: 'Processed a total of 3 messages\n' });
    expect(await run('--max-messages', '3')).toMatchObject({ code: 0, stdout: lines(4, 6) });
    expect(await run('--exit-at-end')).toMatchObject({ code: 0, stdout: lines(7, 10), stderr: 'Processed a total of 4 messages\n' });
    expect(await run('--exit-at-end')).toMatchObject({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' });
    await produce('grouped', lines(11, 12));
    expect(await run('--exit-at-end')).toMatchObject({ code: 0, stdout: lines(11, 12) });
  });

  it("kafka-python's admin client sees a group's commits, and no group of a run without --group", needs('kafka-python'), async () => {
    await produce('audited', lines(1, 5));
    const run = (...extra: string[]) =>
      tools.kts(['console-consumer', '--topic', 'audited', '--from-beginning', '--exit-at-end', ...extra]);
    expect(await run('--group', 'audit')).toMatchObject({ code: 0, stdout: lines(1, 5) });
    expect(await run()).toMatchObject({ code: 0, stdout: lines(1, 5) });
    const state = await runProcess(PYTHON, ['-c', GROUP_STATE, broker.bootstrapServers, 'audit']);
    expect(state.code, state.stderr).toBe(0);
    const { offsets, groups } = JSON.parse(state.stdout.toString()) as { offsets: Record<string, number>; groups: string[] };
    expect(offsets).toEqual({ 'audited:0': 5 });
    // Runs without --group use a generated group that commits nothing and is deleted at exit.
    expect(groups).toContain('audit');
    expect(groups.filter((g) => g.startsWith('console-consumer'))).toEqual([]);
  });

  it('--include reads every matching topic and never internal ones', async () => {
    await produce('inc-a', 'a1\na2\n');
    await produce('inc-b', 'b1\n');
    await produce('other', 'o1\n');
    // The group run above created __consumer_offsets, which the pattern below would match.
    expect((await tools.kts(['topics', '--list'])).stdout).toContain('__consumer_offsets\n');
    const r = await tools.kts([
      'console-consumer',
      '--include',
      'inc-.*|__.*',
      '--from-beginning',
      '--exit-at-end',
      '--format',
      '%t:%s\\n',
    ]);
    expect(r).toMatchObject({ code: 0, stderr: 'Processed a total of 3 messages\n' });
    expect(r.stdout.trim().split('\n').sort()).toEqual(['inc-a:a1', 'inc-a:a2', 'inc-b:b1']);

    // Kafka's own formatter cannot tell the topics apart; print.topic (KIP-829) can.
    const named = await tools.kts([
      'console-consumer',
      '--include',
      'inc-.*',
      '--from-beginning',
      '--exit-at-end',
      '--property',
      'print.topic=true',
    ]);
    expect(named.code).toBe(0);
    expect(named.stdout.trim().split('\n').sort()).toEqual(['Topic:inc-a\ta1', 'Topic:inc-a\ta2', 'Topic:inc-b\tb1']);
  });

  it('--include without --group waits for a matching topic, until --timeout-ms if given', async () => {
    const none = await tools.kts(['console-consumer', '--include', 'absent-.*', '--timeout-ms', '500']);
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' });

    const waiting = tools.kts([
      'console-consumer',
      '--include',
      'late-.*',
      '--from-beginning',
      '--max-messages',
      '1',
      '--consumer-property',
      'metadata.max.age.ms=200',
    ]);
    // Gives the consumer time to find no match first (had it not, the topic is found at once and this still holds).
    await sleep(500);
    expect((await tools.kts(['topics', '--create', '--topic', 'late-a'])).code).toBe(0);
    await produce('late-a', 'arrived\n');
    expect(await waiting).toMatchObject({ code: 0, stdout: 'arrived\n', stderr: 'Processed a total of 1 messages\n' });

    // Topics created while others are read are picked up too.
    const both = tools.kts([
      'console-consumer',
      '--include',
      'late-.*',
      '--from-beginning',
      '--max-messages',
      '2',
      '--consumer-property',
      'metadata.max.age.ms=200',
    ]);
    await sleep(500);
    await produce('late-b', 'later\n');
    const read = await both;
    expect(read).toMatchObject({ code: 0, stderr: 'Processed a total of 2 messages\n' });
    expect(read.stdout.split('\n').sort()).toEqual(['', 'arrived', 'later']);
  });

  it('--exit-at-end stops at the end each partition had at start, empty partitions included', async () => {
    expect((await tools.kts(['topics', '--create', '--topic', 'sparse', '--partitions', '3'])).code).toBe(0);
    expect(await tools.consume('sparse')).toMatchObject({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' });
    const records = [0, 2].map((partition) => JSON.stringify({ key: null, value: `p${partition}`, headers: [], partition }));
    await produce('sparse', `${records.join('\n')}\n`, '--input-format', 'json');
    const r = await tools.consume('sparse', '--property', 'print.partition=true');
    expect(r).toMatchObject({ code: 0, stderr: 'Processed a total of 2 messages\n' });
    expect(r.stdout.trim().split('\n').sort()).toEqual(['Partition:0\tp0', 'Partition:2\tp2']);
  });

  it('| head: a closed stdout ends an unbounded run quietly with exit 0', async () => {
    await produce('long', lines(1, 20_000));
    const consumer = [KTS_BIN, 'console-consumer', '--topic', 'long', '--from-beginning', '--bootstrap-server', broker.bootstrapServers];
    const quoted = consumer.map((a) => `'${a}'`).join(' ');
    // pipefail: the pipeline's status is the consumer's, not head's.
    const r = await runProcess('bash', ['-c', `set -o pipefail; ${quoted} | head -n 2`]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.toString()).toBe('1\n2\n');
  });
});
