import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKts } from '../helpers/kts.js';
import { runText } from '../helpers/process.js';
import { needs, PYTHON } from '../helpers/requirements.js';
import { waitUntil } from '../helpers/wait.js';
import { TestCluster } from './harness.js';

const CLIENT = fileURLToPath(new URL('./clients/durable_producer.py', import.meta.url));

/** Starts the idempotent acks=all producer; resolves with the values it saw acknowledged once it is done. */
function produce(bootstrap: string, topic: string, count: number): { acked: string[]; done: Promise<{ acked: string[]; output: string }> } {
  const child = spawn(PYTHON, [CLIENT, 'produce', bootstrap, topic, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: string[] = [];
  let output = '';
  let partial = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.startsWith('m-')) acked.push(line);
  });
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ acked: string[]; output: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`producer did not finish:\n${output.slice(-3000)}`));
    }, 170_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ acked, output });
    });
  });
  return { acked, done };
}

async function consumeAll(bootstrap: string, topic: string, count: number): Promise<string[]> {
  const r = await runText(PYTHON, [CLIENT, 'consume', bootstrap, topic, String(count)], { timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(`consumer failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

describe('a 3-broker cluster on the bundled ZooKeeper', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 3, zookeeper: 'bundled' });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('creates an RF 3 topic with leaders spread over the brokers and every replica in sync', async () => {
    const created = await runKts([
      'topics',
      '--bootstrap-server',
      cluster.bootstrapServers,
      '--create',
      '--topic',
      'spread',
      '--partitions',
      '6',
      '--replication-factor',
      '3',
    ]);
    expect(created).toMatchObject({ code: 0, stdout: 'Created topic spread.\n' });
    const m = await cluster.metadata(['spread']);
    const partitions = m.topics[0]!.partitions;
    expect(partitions).toHaveLength(6);
    expect(new Set(partitions.map((p) => p.leaderId))).toEqual(new Set([1, 2, 3]));
    for (const p of partitions) {
      expect(p.replicaNodes.sort()).toEqual([1, 2, 3]);
      expect(p.isrNodes.sort()).toEqual([1, 2, 3]);
    }
    const tooMany = await runKts([
      'topics',
      '--bootstrap-server',
      cluster.bootstrapServers,
      '--create',
      '--topic',
      'wide',
      '--replication-factor',
      '4',
    ]);
    expect(tooMany.code).not.toBe(0);
    expect(tooMany.stderr).toContain('Replication factor: 4 larger than available brokers: 3.');
  }, 60_000);

  it('keeps every acknowledged message, once, when the leader is killed with kill -9 under an idempotent acks=all producer', {
    ...needs('confluent-kafka'),
    timeout: 240_000,
  }, async () => {
    const topic = 'durable';
    expect(
      (
        await runKts([
          'topics',
          '--bootstrap-server',
          cluster.bootstrapServers,
          '--create',
          '--topic',
          topic,
          '--partitions',
          '1',
          '--replication-factor',
          '3',
          '--config',
          'min.insync.replicas=2',
        ])
      ).code,
    ).toBe(0);
    const { leaderId } = await cluster.waitForPartition(topic, 0, 'every replica in sync', (p) => p.isrNodes.length === 3);
    const run = produce(cluster.bootstrapServers, topic, 3000);
    await waitUntil(() => run.acked.length >= 500, '500 acknowledged records', 60_000);
    await cluster.broker(leaderId).process.kill9();
    const { acked, output } = await run.done;
    expect(output).toContain('done');
    expect(acked.length).toBe(3000);

    await cluster.broker(leaderId).process.start();
    await cluster.waitForPartition(topic, 0, `broker ${leaderId} back in the ISR`, (p) => p.isrNodes.length === 3, 60_000);
    const consumed = await consumeAll(cluster.bootstrapServers, topic, 3000);
    expect(new Set(consumed).size).toBe(consumed.length);
    const missing = acked.filter((v) => !consumed.includes(v));
    expect(missing).toEqual([]);
  });
});
