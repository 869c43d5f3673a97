import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

const ERROR = 'Error while executing topic command : ';
/** An id no topic has (valid form: the last character carries only 2 bits). */
const UNKNOWN_ID = 'c29tZS1vdGhlci10b3BpYw';

describe("kts topics: topic ids and the broker's own error texts, against the embedded broker", () => {
  let broker: StartedBroker;
  let tools: Tools;
  const idOf = (topic: string): string => broker.broker.metadata.topic(topic)!.topicId;
  /** A failed run: exit code, stdout, and the last stderr line. */
  const failure = async (...args: string[]) => {
    const r = await tools.kts(['topics', ...args]);
    return { code: r.code, stdout: r.stdout, error: r.stderr.trim().split('\n').at(-1) };
  };

  beforeAll(async () => {
    broker = await startBroker();
    tools = toolsAgainst(broker);
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it("--describe prints the broker's TopicId, and --topic-id describes that topic alone", async () => {
    expect((await tools.kts(['topics', '--create', '--topic', 'ids', '--partitions', '2'])).code).toBe(0);
    expect((await tools.kts(['topics', '--create', '--topic', 'ids-other'])).code).toBe(0);
    const id = idOf('ids');
    // By name through DescribeTopicPartitions (empty ELR lists); by id through Metadata (N/A), as Kafka's admin client.
    const partition = (p: number, elr: string) =>
      `\tTopic: ids\tPartition: ${p}\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: ${elr}\tLastKnownElr: ${elr}\n`;
    const summary = `Topic: ids\tTopicId: ${id}\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: \n`;
    const byName = `${summary}${partition(0, '')}${partition(1, '')}`;
    const expected = `${summary}${partition(0, 'N/A')}${partition(1, 'N/A')}`;

    expect(await tools.kts(['topics', '--describe', '--topic', 'ids'])).toMatchObject({ code: 0, stdout: byName, stderr: '' });
    expect(await tools.kts(['topics', '--describe', '--topic-id', id])).toMatchObject({ code: 0, stdout: expected, stderr: '' });
    const json = JSON.parse((await tools.kts(['topics', '--describe', '--topic-id', id, '--output', 'json'])).stdout);
    expect(json).toMatchObject([
      {
        name: 'ids',
        topicId: id,
        partitionCount: 2,
        partitions: [
          { elr: null, lastKnownElr: null },
          { elr: null, lastKnownElr: null },
        ],
      },
    ]);

    // The id wins over --topic, with Kafka's note.
    expect(await tools.kts(['topics', '--describe', '--topic', 'ids-other', '--topic-id', id])).toMatchObject({
      code: 0,
      stdout: expected,
      stderr: 'Only topic id will be used when both --topic and --topic-id are specified and topicId is not Uuid.ZERO_UUID\n',
    });
  });

  it('an unknown id is an error unless --if-exists; a malformed id or --topic-id elsewhere is a usage error', async () => {
    expect(await failure('--describe', '--topic-id', UNKNOWN_ID)).toEqual({
      code: 1,
      stdout: '',
      error: `${ERROR}TopicId '${UNKNOWN_ID}' does not exist as expected`,
    });
    expect(await tools.kts(['topics', '--describe', '--topic-id', UNKNOWN_ID, '--if-exists'])).toMatchObject({ code: 0, stdout: '' });
    expect(await failure('--delete', '--topic-id', UNKNOWN_ID)).toMatchObject({
      code: 1,
      error: `${ERROR}TopicId '${UNKNOWN_ID}' does not exist as expected`,
    });

    expect((await failure('--describe', '--topic-id', 'not-an-id')).code).toBe(2);
    expect(await failure('--create', '--topic', 'x', '--topic-id', UNKNOWN_ID)).toMatchObject({
      code: 2,
      error: 'Option "[topic-id]" can\'t be used with option "[create]"',
    });
    expect(await failure('--describe', '--if-exists')).toMatchObject({
      code: 2,
      error: '--topic or --topic-id is required to describe a topic',
    });
  });

  it('--delete --topic-id deletes exactly that topic', async () => {
    expect((await tools.kts(['topics', '--create', '--topic', 'doomed'])).code).toBe(0);
    expect((await tools.kts(['topics', '--create', '--topic', 'kept'])).code).toBe(0);
    const id = idOf('doomed');
    expect(await tools.kts(['topics', '--delete', '--topic-id', id])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(broker.broker.metadata.topic('doomed')).toBeUndefined();
    expect(broker.broker.metadata.topic('kept')).toBeDefined();
    expect(await failure('--describe', '--topic-id', id)).toMatchObject({
      code: 1,
      error: `${ERROR}TopicId '${id}' does not exist as expected`,
    });
  });

  it("an invalid --config value fails with the broker's exact text, and nothing is created", async () => {
    expect(await failure('--create', '--topic', 'bad-config', '--config', 'retention.ms=abc')).toEqual({
      code: 1,
      stdout: '',
      error: `${ERROR}Invalid value abc for configuration retention.ms: Not a number of type LONG`,
    });
    expect(broker.broker.metadata.topic('bad-config')).toBeUndefined();
    expect(await failure('--create', '--topic', 'bad-policy', '--config', 'cleanup.policy=sometimes')).toMatchObject({
      code: 1,
      error: expect.stringMatching(/^Error while executing topic command : Invalid value sometimes for configuration cleanup\.policy: /),
    });
  });
});
