import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

const ERROR = 'Error while executing topic command : ';

describe("kafka-topics' messages and console-consumer's text layouts, against the embedded broker", () => {
  let broker: StartedBroker;
  let tools: Tools;
  /** A failed topics run: exit code and its one stderr line. */
  const topicsFailure = async (...args: string[]) => {
    const r = await tools.kts(['topics', ...args]);
    return { code: r.code, stdout: r.stdout, error: r.stderr.trim().split('\n').at(-1) };
  };

  beforeAll(async () => {
    // As the bundled server.properties: retention set in hours is still no topic override.
    broker = await startBroker({ config: { 'log.retention.hours': '168' } });
    tools = toolsAgainst(broker);
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it("topics: exists, partitions only grow, RF above the broker count, with Kafka's exact messages", async () => {
    expect(await tools.kts(['topics', '--create', '--topic', 'errs', '--partitions', '3'])).toMatchObject({
      code: 0,
      stdout: 'Created topic errs.\n',
    });
    expect(await topicsFailure('--create', '--topic', 'errs')).toEqual({
      code: 1,
      stdout: '',
      error: `${ERROR}Topic 'errs' already exists.`,
    });
    expect(await tools.kts(['topics', '--create', '--topic', 'errs', '--if-not-exists'])).toMatchObject({
      code: 0,
      stdout: '',
      stderr: '',
    });

    expect(await topicsFailure('--alter', '--topic', 'errs', '--partitions', '2')).toEqual({
      code: 1,
      stdout: '',
      error: `${ERROR}The topic errs currently has 3 partition(s); 2 would not be an increase.`,
    });
    expect(await topicsFailure('--alter', '--topic', 'errs', '--partitions', '3')).toMatchObject({
      code: 1,
      error: `${ERROR}Topic already has 3 partition(s).`,
    });

    // The broker's words, as Kafka's tool prints them: a ZooKeeper-mode broker's (a KRaft controller says
    // "Unable to replicate the partition 3 time(s): ..." instead).
    expect(await topicsFailure('--create', '--topic', 'wide', '--replication-factor', '3')).toEqual({
      code: 1,
      stdout: '',
      error: `${ERROR}Replication factor: 3 larger than available brokers: 1.`,
    });
  });

  it('topics: a missing topic is an error unless --if-exists', async () => {
    // Kafka prints `Topic 'Optional[nope]' ...` (a formatted java.util.Optional); kts names the topic plainly.
    for (const action of [['--alter', '--partitions', '4'], ['--delete'], ['--describe']]) {
      expect(await topicsFailure(...action, '--topic', 'nope')).toMatchObject({
        code: 1,
        error: `${ERROR}Topic 'nope' does not exist as expected`,
      });
      expect(await tools.kts(['topics', ...action, '--topic', 'nope', '--if-exists'])).toMatchObject({ code: 0, stdout: '' });
    }
  });

  it('topics: name rules and the "." / "_" collision', async () => {
    expect(await topicsFailure('--create', '--topic', 'bad!')).toMatchObject({
      code: 2,
      error: `${ERROR}Topic name is invalid: 'bad!' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`,
    });
    expect(await topicsFailure('--create', '--topic', 'zero', '--partitions', '0')).toMatchObject({
      code: 2,
      error: 'The partitions must be greater than 0',
    });

    const warning =
      "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.";
    expect(await tools.kts(['topics', '--create', '--topic', 'a_b'])).toMatchObject({
      code: 0,
      stdout: 'Created topic a_b.\n',
      stderr: `${warning}\n`,
    });
    expect(await topicsFailure('--create', '--topic', 'a.b')).toEqual({
      code: 1,
      stdout: '',
      error: `${ERROR}Topic 'a.b' collides with existing topics: a_b`,
    });
  });

  it('topics --list: sorted names, one per line; an empty match is an empty line', async () => {
    for (const topic of ['list-b', 'list-a', 'list-c']) await tools.kts(['topics', '--create', '--topic', topic]);
    expect((await tools.kts(['topics', '--list', '--topic', 'list-.*'])).stdout).toBe('list-a\nlist-b\nlist-c\n');
    expect((await tools.kts(['topics', '--list', '--topic', 'list-[ac]'])).stdout).toBe('list-a\nlist-c\n');
    expect(await tools.kts(['topics', '--list', '--topic', 'none-.*'])).toMatchObject({ code: 0, stdout: '\n' });
  });

  it('topics --describe: summary line with non-default configs, then one line per partition', async () => {
    const create = [
      '--create',
      '--topic',
      'described',
      '--partitions',
      '2',
      '--config',
      'retention.ms=60000',
      '--config',
      'cleanup.policy=compact',
    ];
    expect((await tools.kts(['topics', ...create])).code).toBe(0);
    expect((await tools.kts(['topics', '--create', '--topic', 'plain'])).code).toBe(0);
    const describe = async (topic: string) => {
      const r = await tools.kts(['topics', '--describe', '--topic', topic]);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      // Kafka prints the broker's topic id after the name: required, then set aside to compare the rest.
      expect(r.stdout).toMatch(/^Topic: \S+\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: /);
      return r.stdout.replace(/\tTopicId: [A-Za-z0-9_-]{22}\t/, '\t');
    };
    // DescribeTopicPartitions carries the ELR lists: empty, as on a KRaft broker without ELR.
    const partition = (topic: string, p: number) =>
      `\tTopic: ${topic}\tPartition: ${p}\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: \tLastKnownElr: \n`;
    expect(await describe('described')).toBe(
      'Topic: described\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: cleanup.policy=compact,retention.ms=60000\n' +
        partition('described', 0) +
        partition('described', 1),
    );
    expect(await describe('plain')).toBe(`Topic: plain\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: \n${partition('plain', 0)}`);
    expect((await tools.kts(['topics', '--describe', '--topics-with-overrides', '--topic', 'plain|described'])).stdout).toMatch(
      /^Topic: described\t[^\n]*\n$/,
    );
    // Kafka's own lines for a retention nobody set on the topic.
    const all = (await tools.kts(['configs', '--describe', '--all', '--topic', 'plain'])).stdout.split('\n');
    expect(all).toContain('  retention.ms=604800000 sensitive=false synonyms={}');
    expect(all).toContain('  segment.ms=604800000 sensitive=false synonyms={}');
  });

  it("console-consumer's DefaultMessageFormatter layout, field by field", async () => {
    const records = [
      {
        key: 'k1',
        value: 'v1',
        headers: [
          { key: 'h1', value: 'x' },
          { key: 'h2', value: '' },
        ],
        timestamp: 1000,
      },
      { key: null, value: null, headers: [], timestamp: 2000 },
      { key: '', value: 'v3', headers: [{ key: 'h', value: null }], timestamp: 3000 },
    ];
    const input = records.map((r) => JSON.stringify(r)).join('\n');
    expect((await tools.kts(['console-producer', '--topic', 'layout', '--input-format', 'json'], input)).code).toBe(0);
    const read = async (...props: string[]) => {
      const r = await tools.consume('layout', ...props.flatMap((p) => ['--property', p]));
      expect(r).toMatchObject({ code: 0, stderr: 'Processed a total of 3 messages\n' });
      return r.stdout;
    };

    const all = ['print.timestamp', 'print.partition', 'print.offset', 'print.headers', 'print.key'].map((p) => `${p}=true`);
    expect(await read(...all)).toBe(
      'CreateTime:1000\tPartition:0\tOffset:0\th1:x,h2:\tk1\tv1\n' +
        'CreateTime:2000\tPartition:0\tOffset:1\tNO_HEADERS\tnull\tnull\n' +
        'CreateTime:3000\tPartition:0\tOffset:2\th:null\t\tv3\n',
    );
    expect(
      await read(...all, 'key.separator= | ', 'line.separator=;\n', 'headers.separator=&', 'null.literal=NULL', 'print.value=false'),
    ).toBe(
      'CreateTime:1000 | Partition:0 | Offset:0 | h1:x&h2: | k1;\n' +
        'CreateTime:2000 | Partition:0 | Offset:1 | NO_HEADERS | NULL;\n' +
        'CreateTime:3000 | Partition:0 | Offset:2 | h:NULL | ;\n',
    );
    expect(await read('print.offset=true', 'print.value=false')).toBe('Offset:0\nOffset:1\nOffset:2\n');
    expect(await read()).toBe('v1\nnull\nv3\n');
  });
});
