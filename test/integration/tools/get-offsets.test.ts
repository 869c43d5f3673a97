import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { ErrorCode } from '../../../src/protocol/errors.js';
import { ApiKey } from '../../../src/protocol/generated/api-info.js';
import {
  defaultListOffsetsResponse,
  defaultListOffsetsResponseListOffsetsPartitionResponse,
  type ListOffsetsRequest,
} from '../../../src/protocol/generated/apis/list-offsets.js';
import {
  defaultMetadataResponse,
  defaultMetadataResponseBroker,
  defaultMetadataResponsePartition,
  defaultMetadataResponseTopic,
} from '../../../src/protocol/generated/apis/metadata.js';
import { needs } from '../../helpers/requirements.js';
import { runKts } from '../../helpers/kts.js';
import { startScriptedCluster, type ScriptedCluster } from '../consumer/scripted-cluster.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

/** Records with known CreateTime stamps: three in one batch on partition 0, one each on 1 and 10. */
const RECORDS = [
  { partition: 0, timestamp: 1000 },
  { partition: 0, timestamp: 2000 },
  { partition: 0, timestamp: 3000 },
  { partition: 1, timestamp: 2500 },
  { partition: 10, timestamp: 500 },
];

const jsonLines = (records: ReadonlyArray<{ partition: number; timestamp: number }>): string =>
  records.map((r, i) => JSON.stringify({ key: null, value: `v${i}`, headers: [], ...r })).join('\n');

describe('get-offsets against the embedded broker', () => {
  let broker: StartedBroker;
  let tools: Tools;
  let dir: string;
  const offsets = async (...args: string[]) => {
    const r = await tools.kts(['get-offsets', '--topic', 'stamped', ...args]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return r.stdout
      .trim()
      .split('\n')
      .filter((l) => l !== '');
  };
  const produce = async (topic: string, records: ReadonlyArray<{ partition: number; timestamp: number }>) => {
    expect((await tools.kts(['console-producer', '--topic', topic, '--input-format', 'json'], jsonLines(records))).code).toBe(0);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kts-get-offsets-'));
    broker = await startBroker();
    tools = toolsAgainst(broker);
    expect((await tools.kts(['topics', '--create', '--topic', 'stamped', '--partitions', '12'])).code).toBe(0);
    await produce('stamped', RECORDS);
  });

  afterAll(async () => {
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
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

  it('agrees with kcat -Q (librdkafka offsetsForTimes)', needs('kcat'), async () => {
    for (const ts of ['1500', '2500']) {
      const q = await tools.kcat(['-Q', '-t', `stamped:0:${ts}`, '-t', `stamped:1:${ts}`]);
      expect(q.code).toBe(0);
      const kcat = [...q.stdout.toString().matchAll(/^stamped \[(\d+)\] offset (-?\d+)$/gm)].map((m) => `stamped:${m[1]}:${m[2]}`).sort();
      expect(kcat).toHaveLength(2);
      const ours = await tools.kts(['get-offsets', '--topic-partitions', 'stamped:0-2', '--time', ts]);
      // kcat prints -1 where Kafka's tool prints nothing.
      expect(ours.stdout.trim().split('\n')).toEqual(kcat.filter((l) => !l.endsWith(':-1')));
    }
  });

  it('--partitions and --topic-partitions narrow the lookup; no match is an error', async () => {
    expect(await offsets('--partitions', '10,0')).toEqual(['stamped:0:3', 'stamped:10:1']);
    const ranged = await tools.kts(['get-offsets', '--topic-partitions', 'stamped:1-3', '--time', '-1']);
    expect(ranged.stdout).toBe('stamped:1:1\nstamped:2:0\n');
    const none = await tools.kts(['get-offsets', '--topic', 'missing']);
    expect(none).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'Error occurred: Could not match any topic-partitions with the specified filters\n',
    });
  });

  it('--output json carries the same offsets as numbers', async () => {
    const r = await tools.kts(['get-offsets', '--topic', 'stamped', '--partitions', '0,10', '--output', 'json']);
    expect(JSON.parse(r.stdout)).toEqual([
      { topic: 'stamped', partition: 0, offset: 3 },
      { topic: 'stamped', partition: 10, offset: 1 },
    ]);
  });

  it('-3/max-timestamp, -4/earliest-local and -5/latest-tiered with out-of-order CreateTime stamps and deleted records', async () => {
    expect((await tools.kts(['topics', '--create', '--topic', 'shuffled', '--partitions', '3'])).code).toBe(0);
    // Partition 0: 1000, 9000, 4000, then a later batch 8000, 9000 (the first 9000 wins); partition 2 stays empty.
    await produce('shuffled', [
      { partition: 0, timestamp: 1000 },
      { partition: 0, timestamp: 9000 },
      { partition: 0, timestamp: 4000 },
      { partition: 1, timestamp: 7000 },
    ]);
    await produce('shuffled', [
      { partition: 0, timestamp: 8000 },
      { partition: 0, timestamp: 9000 },
    ]);
    const shuffled = async (time: string) => {
      const r = await tools.kts(['get-offsets', '--topic', 'shuffled', '--time', time]);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      return r.stdout;
    };
    expect(await shuffled('-3')).toBe('shuffled:0:1\nshuffled:1:0\n');
    expect(await shuffled('max-timestamp')).toBe('shuffled:0:1\nshuffled:1:0\n');
    expect(await shuffled('5000')).toBe('shuffled:0:1\nshuffled:1:0\n');
    expect(await shuffled('8500')).toBe('shuffled:0:1\n');

    const file = join(dir, 'delete.json');
    await writeFile(file, JSON.stringify({ partitions: [{ topic: 'shuffled', partition: 0, offset: 2 }], version: 1 }));
    expect((await tools.kts(['delete-records', '--offset-json-file', file])).code).toBe(0);
    const earliest = 'shuffled:0:2\nshuffled:1:0\nshuffled:2:0\n';
    expect(await shuffled('-2')).toBe(earliest);
    expect(await shuffled('-4')).toBe(earliest);
    expect(await shuffled('earliest-local')).toBe(earliest);
    expect(await shuffled('-1')).toBe('shuffled:0:5\nshuffled:1:1\nshuffled:2:0\n');
    // Nothing is tiered: the broker answers -1, so every partition is left out.
    expect(await shuffled('-5')).toBe('');
    expect(await shuffled('latest-tiered')).toBe('');
  });
});

describe('get-offsets against scripted brokers', () => {
  let cluster: ScriptedCluster | undefined;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kts-get-offsets-scripted-'));
  });
  afterEach(async () => {
    await cluster?.close();
    cluster = undefined;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Nodes 0 and 1; topic `t` with partition p led by `leaders[p]` (-1: none). */
  const metadata = (ports: readonly number[], leaders: readonly number[]) => ({
    ...defaultMetadataResponse(),
    brokers: ports.map((port, nodeId) => ({ ...defaultMetadataResponseBroker(), nodeId, host: '127.0.0.1', port })),
    topics: [
      {
        ...defaultMetadataResponseTopic(),
        name: 't',
        partitions: leaders.map((leaderId, partitionIndex) => ({ ...defaultMetadataResponsePartition(), partitionIndex, leaderId })),
      },
    ],
  });
  /** Answers every asked partition with `answer(partition)`. */
  const listed = (body: unknown, answer: (partition: number) => { errorCode?: number; offset?: bigint }) => ({
    ...defaultListOffsetsResponse(),
    topics: (body as ListOffsetsRequest).topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({
        ...defaultListOffsetsResponseListOffsetsPartitionResponse(),
        partitionIndex: p.partitionIndex,
        ...answer(p.partitionIndex),
      })),
    })),
  });
  const kts = (args: string[], ...config: string[]) => {
    const bootstrap = ['--bootstrap-server', `127.0.0.1:${cluster!.ports[0]}`];
    return runKts(['get-offsets', '--topic', 't', ...args, ...bootstrap, ...config], { timeoutMs: 20_000 });
  };

  it('a broker without ListOffsets v9 (these advertise v8) is one line for -5, exit 1; -3 is sent', async () => {
    const times: bigint[] = [];
    cluster = await startScriptedCluster(1, async (_node, request) => {
      if (request.apiKey === ApiKey.Metadata) return metadata(cluster!.ports, [0]);
      times.push(...(request.body as ListOffsetsRequest).topics.flatMap((t) => t.partitions.map((p) => p.timestamp)));
      return listed(request.body, () => ({ offset: 4n }));
    });
    expect(await kts(['--time', '-5'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error occurred: --time latest-tiered needs ListOffsets v9, which the broker does not support\n',
    });
    expect(await kts(['--time', 'max-timestamp'])).toMatchObject({ code: 0, stdout: 't:0:4\n', stderr: '' });
    expect(times).toEqual([-3n]);
  });

  it('asks each leader once for its partitions, retries NOT_LEADER / LEADER_NOT_AVAILABLE on fresh metadata', async () => {
    const leaders = [0, 1, -1, 0];
    let refused = false;
    cluster = await startScriptedCluster(2, async (node, request) => {
      if (request.apiKey === ApiKey.Metadata) {
        const answer = metadata(cluster!.ports, leaders);
        leaders[2] = 1; // partition 2 gets a leader after the first look
        return answer;
      }
      return listed(request.body, (p) => {
        if (node === 1 && p === 1 && !refused) {
          refused = true;
          return { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
        }
        return { offset: BigInt(10 * node + p) };
      });
    });
    const r = await kts(['--verbose']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('t:0:0\nt:1:11\nt:2:12\nt:3:3\n');
    const stderr = r.stderr.split('\n');
    expect(stderr).toContain('[kts get-offsets] LEADER_NOT_AVAILABLE for t-2: retrying in 100 ms');
    expect(stderr).toContain('[kts get-offsets] NOT_LEADER_OR_FOLLOWER for t-1: retrying in 100 ms');
    const asked = cluster.log
      .filter((l) => l.apiKey !== ApiKey.ApiVersions)
      .map((l) => `${ApiKey.Metadata === l.apiKey ? 'Metadata' : 'ListOffsets'}@${l.node}`);
    // One request per leader (both leaders asked at once), then one retry to node 1 for t-1 and t-2.
    expect([asked[0], ...asked.slice(1, 3).sort(), ...asked.slice(3)]).toEqual([
      'Metadata@0',
      'ListOffsets@0',
      'ListOffsets@1',
      'Metadata@0',
      'ListOffsets@1',
    ]);
  });

  it("other errors, and retriable ones that outlast default.api.timeout.ms, are Kafka's skip lines; the rest is printed", async () => {
    cluster = await startScriptedCluster(1, async (_node, request) => {
      if (request.apiKey === ApiKey.Metadata) return metadata(cluster!.ports, [0, 0, -1]);
      return listed(request.body, (p) => (p === 1 ? { errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED } : { offset: 7n }));
    });
    const config = join(dir, 'client.properties');
    await writeFile(config, 'request.timeout.ms=1000\ndefault.api.timeout.ms=1000\n');
    expect(await kts([], '--command-config', config)).toEqual({
      code: 0,
      stdout: 't:0:7\n',
      stderr:
        'Skip getting offsets for topic-partition t-1 due to error: org.apache.kafka.common.errors.TopicAuthorizationException: Topic authorization failed.\n' +
        'Skip getting offsets for topic-partition t-2 due to error: LEADER_NOT_AVAILABLE\n',
    });
  });
});
