import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import type { RawKafkaConnection } from '../../../src/client/raw-connection.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import { defaultFindCoordinatorRequest } from '../../../src/protocol/generated/apis/find-coordinator.js';
import { connect } from '../broker/helpers.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

/** `kts topics --describe` through DescribeTopicPartitions: ELR columns, paging, and every filter. */
describe('kts topics --describe with DescribeTopicPartitions', () => {
  let broker: StartedBroker;
  let conn: RawKafkaConnection;
  let tools: Tools;

  const line = (topic: string, p: number) => `\tTopic: ${topic}\tPartition: ${p}\tLeader: 0\tReplicas: 0\tIsr: 0\tElr: \tLastKnownElr: \n`;
  const describeOut = async (...args: string[]) => {
    const r = await tools.kts(['topics', '--describe', ...args]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return r.stdout.replaceAll(/\tTopicId: [A-Za-z0-9_-]{22}\t/g, '\t');
  };

  beforeAll(async () => {
    broker = await startBroker({ config: { 'offsets.topic.num.partitions': '2' } });
    tools = toolsAgainst(broker);
    conn = await connect(broker);
    expect((await tools.kts(['topics', '--create', '--topic', 'page-a', '--partitions', '3'])).code).toBe(0);
    const strict = ['--create', '--topic', 'page-b', '--partitions', '2', '--config', 'min.insync.replicas=2'];
    expect((await tools.kts(['topics', ...strict])).code).toBe(0);
    // FindCoordinator creates __consumer_offsets, an internal topic for --exclude-internal.
    await conn.request(ApiKey.FindCoordinator, 4, { ...defaultFindCoordinatorRequest(), keyType: 0, coordinatorKeys: ['g'] });
  });

  afterAll(async () => {
    conn?.close();
    await broker?.stop();
  });

  it('prints empty ELR lists, the same whatever the page size', async () => {
    const expected =
      'Topic: page-a\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: \n' +
      line('page-a', 0) +
      line('page-a', 1) +
      line('page-a', 2) +
      'Topic: page-b\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: min.insync.replicas=2\n' +
      line('page-b', 0) +
      line('page-b', 1);
    expect(await describeOut('--topic', 'page-.*')).toBe(expected);
    for (const limit of ['1', '2', '3']) {
      expect(await describeOut('--topic', 'page-.*', '--partition-size-limit-per-response', limit), `limit ${limit}`).toBe(expected);
    }
    const json = JSON.parse(
      (await tools.kts(['topics', '--describe', '--topic', 'page-b', '--output', 'json', '--partition-size-limit-per-response', '1']))
        .stdout,
    );
    expect(json).toMatchObject([
      {
        name: 'page-b',
        partitions: [
          { partition: 0, elr: [], lastKnownElr: [] },
          { partition: 1, elr: [], lastKnownElr: [] },
        ],
      },
    ]);
  });

  it('keeps the partition health filters and --topics-with-overrides', async () => {
    expect(await describeOut('--topic', 'page-.*', '--under-min-isr-partitions', '--partition-size-limit-per-response', '1')).toBe(
      line('page-b', 0) + line('page-b', 1),
    );
    expect(await describeOut('--topic', 'page-.*', '--at-min-isr-partitions')).toBe(
      line('page-a', 0) + line('page-a', 1) + line('page-a', 2),
    );
    expect(await describeOut('--topic', 'page-.*', '--under-replicated-partitions')).toBe('');
    expect(await describeOut('--topic', 'page-.*', '--unavailable-partitions')).toBe('');
    expect(await describeOut('--topic', 'page-.*', '--topics-with-overrides')).toBe(
      'Topic: page-b\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: min.insync.replicas=2\n',
    );
  });

  it('describes internal topics too, unless --exclude-internal', async () => {
    const all = await describeOut('--partition-size-limit-per-response', '2');
    expect(all).toContain(line('__consumer_offsets', 1));
    expect(all.split('\n').filter((l) => l.startsWith('Topic: '))).toEqual([
      expect.stringMatching(/^Topic: __consumer_offsets\tPartitionCount: 2\t/),
      expect.stringMatching(/^Topic: page-a\t/),
      expect.stringMatching(/^Topic: page-b\t/),
    ]);
    const external = await describeOut('--exclude-internal');
    expect(external).not.toContain('__consumer_offsets');
    expect(external).toContain(line('page-b', 1));
  });
});
