import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { needs } from '../../helpers/requirements.js';
import { waitUntil } from '../../helpers/wait.js';
import { RunningProcess } from './running-process.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

/** Heartbeats often, so a rebalance reaches every member within a fraction of a second. */
const QUICK = ['--consumer-property', 'heartbeat.interval.ms=200', '--from-beginning'];

/** `count` records `<prefix><i>`, spread over `partitions` partitions in turn, as console-producer JSON input. */
function records(prefix: string, from: number, count: number, partitions: number): string {
  return `${Array.from({ length: count }, (_, i) =>
    JSON.stringify({ key: null, value: `${prefix}${from + i}`, headers: [], partition: (from + i) % partitions }),
  ).join('\n')}\n`;
}

const values = (prefix: string, from: number, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${from + i}`).sort();

describe("console-consumer --group on kts's own group client", () => {
  let broker: StartedBroker;
  let tools: Tools;
  let running: RunningProcess[] = [];

  const member = (name: string, args: string[]): RunningProcess => {
    const p = RunningProcess.consoleConsumer(name, broker.bootstrapServers, args);
    running.push(p);
    return p;
  };
  const createTopic = async (topic: string, partitions: number) =>
    expect((await tools.kts(['topics', '--create', '--topic', topic, '--partitions', String(partitions)])).code).toBe(0);
  const produce = async (topic: string, input: string) =>
    expect((await tools.kts(['console-producer', '--topic', topic, '--input-format', 'json'], input)).code).toBe(0);
  const until = (check: () => boolean, what: () => string) => waitUntil(check, what, 20_000);
  const printed = (...members: RunningProcess[]) => members.flatMap((m) => m.lines).sort();

  beforeAll(async () => {
    broker = await startBroker({
      config: { 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '3', 'group.min.session.timeout.ms': '1000' },
    });
    tools = toolsAgainst(broker);
  });

  afterEach(async () => {
    await Promise.all(running.map((p) => p.stop('SIGKILL')));
    running = [];
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('shares a 4-partition topic between two members, each record printed once; one leaving hands its partitions over', async () => {
    await createTopic('shared', 4);
    const a = member('a', ['--topic', 'shared', '--group', 'pair', ...QUICK]);
    const b = member('b', ['--topic', 'shared', '--group', 'pair', ...QUICK]);
    const both = () => `${a.describe()}\n${b.describe()}`;
    await until(
      () => a.assignment?.length === 2 && b.assignment?.length === 2 && a.joins.at(-1)!.generation === b.joins.at(-1)!.generation,
      both,
    );
    expect(new Set([...a.assignment!, ...b.assignment!])).toEqual(new Set(['shared-0', 'shared-1', 'shared-2', 'shared-3']));

    await produce('shared', records('r', 0, 200, 4));
    await until(() => a.lines.length + b.lines.length >= 200, both);
    expect(printed(a, b)).toEqual(values('r', 0, 200));

    // SIGTERM: the final commit and LeaveGroup let b continue right after what a printed.
    expect(await a.stop('SIGTERM')).toBe(0);
    expect(a.stderr).toContain(`Processed a total of ${a.lines.length} messages\n`);
    await until(() => b.assignment?.length === 4, both);
    await produce('shared', records('r', 200, 100, 4));
    await until(() => a.lines.length + b.lines.length >= 300, both);
    expect(printed(a, b)).toEqual(values('r', 0, 300));
  });

  it('takes over the partitions of a member that crashed once its session timed out', async () => {
    await createTopic('crashy', 4);
    const args = ['--topic', 'crashy', '--group', 'crash', ...QUICK, '--consumer-property', 'session.timeout.ms=2000'];
    const [c, d] = [member('c', args), member('d', args)];
    const both = () => `${c.describe()}\n${d.describe()}`;
    await until(() => c.assignment?.length === 2 && d.assignment?.length === 2, both);
    c.stop('SIGKILL');
    await until(() => d.assignment?.length === 4, both);
    await produce('crashy', records('x', 0, 8, 4));
    await until(() => d.lines.length >= 8, both);
    expect(printed(d)).toEqual(values('x', 0, 8));
  });

  it(
    'shares partitions with a librdkafka member (kcat -G) by range, and consumer-groups --describe shows both',
    needs('kcat'),
    async () => {
      await createTopic('mix', 4);
      const k = member('kts', ['--topic', 'mix', '--group', 'mixed', ...QUICK]);
      const kcat = RunningProcess.kcat('kcat', broker.bootstrapServers, [
        '-G',
        'mixed',
        'mix',
        '-u',
        '-q',
        '-f',
        '%s\\n',
        '-X',
        'partition.assignment.strategy=range',
        '-X',
        'heartbeat.interval.ms=200',
        '-X',
        'auto.offset.reset=earliest',
      ]);
      running.push(kcat);
      const describeGroup = async () =>
        JSON.parse(
          (await tools.kts(['consumer-groups', '--describe', '--group', 'mixed', '--members', '--output', 'json'])).stdout,
        ) as Array<{
          members: Array<{ consumerId: string; clientId: string; assignment: Array<{ topic: string; partition: number }> }>;
        }>;
      let members: Awaited<ReturnType<typeof describeGroup>>[number]['members'] = [];
      await until(
        () => k.assignment?.length === 2,
        () => `${k.describe()}\n${kcat.describe()}`,
      );
      for (const deadline = Date.now() + 20_000; members.length !== 2 || members.some((m) => m.assignment.length !== 2); ) {
        if (Date.now() > deadline) throw new Error(`group never showed two members with two partitions each: ${JSON.stringify(members)}`);
        members = (await describeGroup())[0]?.members ?? [];
      }
      const byClient = new Map(members.map((m) => [m.clientId, m]));
      expect([...byClient.keys()].sort()).toEqual(['console-consumer', 'rdkafka']);
      // Range over members sorted by id: kts's `console-consumer-…` before librdkafka's `rdkafka-…`.
      expect(
        byClient
          .get('console-consumer')!
          .assignment.map((p) => p.partition)
          .sort(),
      ).toEqual([0, 1]);
      expect(
        byClient
          .get('rdkafka')!
          .assignment.map((p) => p.partition)
          .sort(),
      ).toEqual([2, 3]);
      expect(k.assignment).toEqual(['mix-0', 'mix-1']);

      await produce('mix', records('m', 0, 40, 4));
      await until(
        () => k.lines.length + kcat.lines.length >= 40,
        () => `${k.describe()}\n${kcat.describe()}`,
      );
      expect(printed(k, kcat)).toEqual(values('m', 0, 40));
      expect(k.lines.length).toBe(20);
    },
  );

  it('continues after the offsets it committed when stopped by a signal', async () => {
    await createTopic('resume', 2);
    await produce('resume', records('s', 0, 10, 2));
    const first = member('first', ['--topic', 'resume', '--group', 'resumers', ...QUICK]);
    await until(
      () => first.lines.length >= 10,
      () => first.describe(),
    );
    expect(await first.stop('SIGINT')).toBe(0);
    await produce('resume', records('s', 10, 4, 2));
    const again = await tools.kts(['console-consumer', '--topic', 'resume', '--group', 'resumers', '--from-beginning', '--exit-at-end']);
    expect(again).toMatchObject({ code: 0, stderr: 'Processed a total of 4 messages\n' });
    expect(again.stdout.trim().split('\n').sort()).toEqual(values('s', 10, 4));
  });

  it('auto-commits every auto.commit.interval.ms: after a crash, the next member starts after what was committed', async () => {
    await createTopic('auto', 1);
    await produce('auto', records('c', 0, 10, 1));
    const crashing = member('crashing', [
      '--topic',
      'auto',
      '--group',
      'autos',
      ...QUICK,
      '--consumer-property',
      'auto.commit.interval.ms=200',
      '--consumer-property',
      'session.timeout.ms=2000',
    ]);
    await until(
      () => crashing.lines.length >= 10,
      () => crashing.describe(),
    );
    const committed = async () => {
      const described = await tools.kts(['consumer-groups', '--describe', '--group', 'autos', '--output', 'json']);
      return (JSON.parse(described.stdout) as Array<{ partitions: Array<{ currentOffset: number | null }> }>)[0]?.partitions[0]
        ?.currentOffset;
    };
    for (const deadline = Date.now() + 20_000; (await committed()) !== 10; ) {
      if (Date.now() > deadline) throw new Error(`offset 10 never committed: ${crashing.describe()}`);
    }
    await crashing.stop('SIGKILL');
    await produce('auto', records('c', 10, 3, 1));
    const next = await tools.kts(['console-consumer', '--topic', 'auto', '--group', 'autos', '--from-beginning', '--exit-at-end']);
    expect(next).toMatchObject({ code: 0, stdout: 'c10\nc11\nc12\n' });
  });

  it('--from-beginning applies only while the group has no committed offset', async () => {
    await produce('fb', records('f', 0, 5, 1));
    const run = (group: string, ...extra: string[]) => tools.kts(['console-consumer', '--topic', 'fb', '--group', group, ...extra]);
    // Starting at the end (auto.offset.reset=latest), it prints nothing and commits the end offset on exit.
    expect(await run('late', '--timeout-ms', '1000')).toMatchObject({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' });
    expect(await run('late', '--from-beginning', '--exit-at-end')).toMatchObject({
      code: 0,
      stdout: '',
      stderr: 'Processed a total of 0 messages\n',
    });
    await produce('fb', records('f', 5, 2, 1));
    expect(await run('late', '--from-beginning', '--exit-at-end')).toMatchObject({ code: 0, stdout: 'f5\nf6\n' });
    expect(await run('early', '--from-beginning', '--exit-at-end')).toMatchObject({ code: 0, stdout: `${values('f', 0, 7).join('\n')}\n` });
  });

  it('a static member (group.instance.id) restarted within session.timeout.ms rejoins without a rebalance', async () => {
    await createTopic('static', 4);
    const base = ['--topic', 'static', '--group', 'statics', ...QUICK];
    const instance = ['--consumer-property', 'group.instance.id=reader-a', '--consumer-property', 'session.timeout.ms=20000'];
    const first = member('static', [...base, ...instance]);
    const other = member('dynamic', base);
    const both = () => `${first.describe()}\n${other.describe()}`;
    await until(
      () =>
        first.assignment?.length === 2 &&
        other.assignment?.length === 2 &&
        first.joins.at(-1)!.generation === other.joins.at(-1)!.generation,
      both,
    );
    const { generation, partitions } = first.joins.at(-1)!;
    const otherJoins = other.joins.length;

    // A static member sends no LeaveGroup: its place waits for it until its session times out.
    expect(await first.stop('SIGTERM')).toBe(0);
    const second = member('static again', [...base, ...instance]);
    await until(
      () => second.assignment !== undefined,
      () => `${second.describe()}\n${other.describe()}`,
    );
    expect(second.joins).toEqual([expect.objectContaining({ generation, partitions })]);
    expect(other.joins).toHaveLength(otherJoins);

    await produce('static', records('t', 0, 8, 4));
    await until(
      () => second.lines.length + other.lines.length >= 8,
      () => `${second.describe()}\n${other.describe()}`,
    );
    expect(printed(second, other)).toEqual(values('t', 0, 8));
  });

  it('leaves the group while its output is blocked for longer than max.poll.interval.ms, and rejoins once it can write', async () => {
    await createTopic('blocked', 1);
    const padding = 'y'.repeat(500);
    await produce('blocked', records(padding, 0, 2000, 1));
    const m = member('blocked', ['--topic', 'blocked', '--group', 'slow', ...QUICK, '--consumer-property', 'max.poll.interval.ms=1000']);
    m.pauseOutput();
    await until(
      () => m.stderr.includes('no poll for longer than max.poll.interval.ms'),
      () => m.describe(),
    );
    const state = await tools.kts(['consumer-groups', '--describe', '--group', 'slow', '--state', '--output', 'json']);
    expect(JSON.parse(state.stdout)).toEqual([expect.objectContaining({ state: 'Empty', members: 0 })]);
    m.resumeOutput();
    await until(
      () => m.joins.length === 2 && new Set(m.lines).size === 2000,
      () => m.describe(),
    );
    expect([...new Set(m.lines)].sort()).toEqual(values(padding, 0, 2000));
  });

  it('--include joins with the matching topics and picks up new ones at metadata.max.age.ms', async () => {
    await createTopic('inc-a', 1);
    await produce('inc-a', records('a', 0, 2, 1));
    const m = member('pattern', ['--include', 'inc-.*', '--group', 'patterns', ...QUICK, '--consumer-property', 'metadata.max.age.ms=300']);
    await until(
      () => m.lines.length >= 2,
      () => m.describe(),
    );
    await createTopic('inc-b', 2);
    await produce('inc-b', records('b', 0, 4, 2));
    await until(
      () => m.lines.length >= 6,
      () => m.describe(),
    );
    expect(printed(m)).toEqual([...values('a', 0, 2), ...values('b', 0, 4)]);
    expect([...m.assignment!].sort()).toEqual(['inc-a-0', 'inc-b-0', 'inc-b-1']);
  });
});
