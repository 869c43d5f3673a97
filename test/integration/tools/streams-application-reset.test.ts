import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { waitUntil } from '../../helpers/wait.js';
import { RunningProcess } from './running-process.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

const INTERNAL = [
  'app-KSTREAM-AGGREGATE-STATE-STORE-0000000003-changelog',
  'app-KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition',
  'app-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000005-topic',
];
const NOT_INTERNAL = ['app-output', 'other-changelog'];

describe('streams-application-reset against the embedded broker', () => {
  let broker: StartedBroker;
  let tools: Tools;
  let dir: string;

  /** The group's committed offset of each partition, from consumer-groups --describe. */
  const committed = async (group: string): Promise<Record<string, string>> => {
    const r = await tools.kts(['consumer-groups', '--describe', '--group', group]);
    const out: Record<string, string> = {};
    for (const line of r.stdout.split('\n')) {
      const [g, topic, partition, current] = line.trim().split(/\s+/);
      if (g === group && topic !== undefined) out[`${topic}-${partition}`] = current!;
    }
    return out;
  };
  const topics = async () => (await tools.kts(['topics', '--list'])).stdout.trim().split('\n');
  const reset = (...args: string[]) => tools.kts(['streams-application-reset', '--application-id', 'app', ...args]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kts-streams-reset-'));
    broker = await startBroker({ config: { 'group.initial.rebalance.delay.ms': '0' } });
    tools = toolsAgainst(broker);
    expect((await tools.kts(['topics', '--create', '--topic', 'input', '--partitions', '2'])).code).toBe(0);
    for (const t of ['words', ...INTERNAL, ...NOT_INTERNAL]) await tools.kts(['topics', '--create', '--topic', t]);
    await tools.kts(['console-producer', '--topic', 'input', '--partition', '0'], 'a\nb\nc\nd\ne\nf\n');
    await tools.kts(['console-producer', '--topic', 'input', '--partition', '1'], 'g\nh\ni\nj\n');
    await tools.kts(['console-producer', '--topic', 'words'], 'x\ny\nz\n');
    // The application read everything once.
    expect(
      (await tools.kts(['console-consumer', '--topic', 'input', '--group', 'app', '--from-beginning', '--max-messages', '10'])).code,
    ).toBe(0);
  });

  afterAll(async () => {
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("--dry-run prints Kafka's plan and changes nothing", async () => {
    const r = await reset('--input-topics', 'input', '--intermediate-topics', 'words', '--dry-run');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.split('\n')).toEqual([
      '----Dry run displays the actions which will be performed when running Streams Reset Tool----',
      'Reset-offsets for input topics [input]',
      'Seek-to-end for intermediate topics [words]',
      'Following input topics offsets will be reset to (for consumer group app)',
      'Topic: input Partition: 0 Offset: 0',
      'Topic: input Partition: 1 Offset: 0',
      'Following intermediate topics offsets will be reset to end (for consumer group app)',
      'Topic: words',
      'Done.',
      `Deleting inferred internal topics [${[...INTERNAL].sort().join(', ')}]`,
      'Done.',
      '',
    ]);
    expect(await committed('app')).toEqual({ 'input-0': '6', 'input-1': '4' });
    expect(await topics()).toEqual(expect.arrayContaining([...INTERNAL, ...NOT_INTERNAL]));
  });

  it("--to-offset clamps into the log with Kafka Streams' words; --execute commits and deletes only the internal topics", async () => {
    const r = await reset('--input-topics', 'input', '--intermediate-topics', 'words', '--to-offset', '5', '--execute');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        'Following input topics offsets will be reset to (for consumer group app)',
        'New offset (5) is higher than latest offset. Value will be set to 4',
        'Topic: input Partition: 0 Offset: 5',
        'Topic: input Partition: 1 Offset: 4',
      ].join('\n'),
    );
    expect(await committed('app')).toEqual({ 'input-0': '5', 'input-1': '4', 'words-0': '3' });
    const left = await topics();
    for (const t of INTERNAL) expect(left).not.toContain(t);
    expect(left).toEqual(expect.arrayContaining(NOT_INTERNAL));
  });

  it('--shift-by moves from the committed offsets; --to-earliest is the default', async () => {
    expect((await reset('--input-topics', 'input', '--shift-by', '-2')).code).toBe(0);
    expect(await committed('app')).toMatchObject({ 'input-0': '3', 'input-1': '2' });
    expect((await reset('--input-topics', 'input')).code).toBe(0);
    expect(await committed('app')).toMatchObject({ 'input-0': '0', 'input-1': '0' });
  });

  it('--to-datetime after the last record falls back to the end; --from-file takes a CSV plan', async () => {
    const later = await reset('--input-topics', 'input', '--to-datetime', '2999-01-01T00:00:00.000');
    expect(later.stdout).toContain(
      'Partition 0 from topic input is empty, without a committed record. Falling back to latest known offset.',
    );
    expect(await committed('app')).toMatchObject({ 'input-0': '6', 'input-1': '4' });
    const plan = join(dir, 'plan.csv');
    await writeFile(plan, 'input,0,1\ninput,1,2\n');
    expect((await reset('--input-topics', 'input', '--from-file', plan)).code).toBe(0);
    expect(await committed('app')).toMatchObject({ 'input-0': '1', 'input-1': '2' });
  });

  it('topics that do not exist are listed and make the exit code 1', async () => {
    const r = await reset('--input-topics', 'input,nope', '--intermediate-topics', 'gone', '--dry-run');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'Following input topics are not found, skipping them\nTopic: nope\nFollowing intermediate topics are not found, skipping them\nTopic:gone\n',
    );
  });

  it('refuses while the application has members; --force removes them first', async () => {
    const member = RunningProcess.consoleConsumer('member', broker.bootstrapServers, ['--topic', 'input', '--group', 'app']);
    try {
      await waitUntil(
        () => member.assignment,
        () => member.describe(),
        20_000,
      );
      const refused = await reset('--input-topics', 'input');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^ERROR: Consumer group 'app' is still active and has following members: \[\(memberId=\S+, groupInstanceId=null, clientId=\S+, host=\S+\)\]\. Make sure to stop all running application instances before running the reset tool\. You can use option '--force' to remove active members from the group\.\n$/,
      );
      const forced = await reset('--input-topics', 'input', '--force', '--dry-run');
      expect(forced.code).toBe(0);
      expect(forced.stdout.split('\n')[0]).toBe('Force deleting all active members in the group: app');
    } finally {
      await member.stop();
    }
  });

  it('reset options exclude each other, as Kafka checks them', async () => {
    const r = await reset('--input-topics', 'input', '--to-offset', '1', '--to-latest');
    expect(r).toMatchObject({ code: 2, stderr: 'Option "[to-offset]" can\'t be used with option "[to-latest]"\n' });
    expect(await tools.kts(['streams-application-reset'])).toMatchObject({
      code: 2,
      stderr: 'Missing required argument "[application-id]"\n',
    });
  });
});
