import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runText } from '../helpers/process.js';
import { PYTHON } from '../helpers/requirements.js';
import { waitUntil } from '../helpers/wait.js';
import type { TestCluster } from './harness.js';

/** The Python client scripts of the cluster tests: confluent-kafka (librdkafka) and kafka-python. */
export const CLIENT_SCRIPTS = {
  'confluent-kafka': fileURLToPath(new URL('./clients/durable_producer.py', import.meta.url)),
  'kafka-python': fileURLToPath(new URL('./clients/kafka_python_client.py', import.meta.url)),
} as const;
export type ClientName = keyof typeof CLIENT_SCRIPTS;

export interface ProducerRun {
  /** Values acknowledged so far (acks=all), in the order the client reported them. */
  readonly acked: string[];
  /** Resolves once the producer finished: everything acknowledged, its output. */
  readonly done: Promise<{ acked: string[]; output: string }>;
}

/** Starts a paced acks=all producer of m-0..m-<count-1> as its own process. */
export function startProducer(client: ClientName, bootstrap: string, topic: string, count: number): ProducerRun {
  const child = spawn(PYTHON, [CLIENT_SCRIPTS[client], 'produce', bootstrap, topic, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: string[] = [];
  let output = '';
  let partial = '';
  child.stdout.on('data', (d: Buffer) => {
    output += d.toString();
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.startsWith('m-')) acked.push(line);
  });
  child.stderr.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const done = new Promise<{ acked: string[]; output: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${client} producer did not finish:\n${output.slice(-3000)}`));
    }, 170_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ acked, output });
    });
  });
  return { acked, done };
}

/** Reads every partition of `topic` from the start with `client` until `count` records or 20 s of silence. */
export async function consumeAll(client: ClientName, bootstrap: string, topic: string, count: number): Promise<string[]> {
  const r = await runText(PYTHON, [CLIENT_SCRIPTS[client], 'consume', bootstrap, topic, String(count)], { timeoutMs: 90_000 });
  if (r.code !== 0) throw new Error(`${client} consumer failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

/** Every acknowledged value is in `consumed`; with `once`, no value is there twice. */
export function expectKept(acked: readonly string[], consumed: readonly string[], once: boolean): void {
  const seen = new Set(consumed);
  expect(acked.filter((v) => !seen.has(v))).toEqual([]);
  if (once) expect(seen.size).toBe(consumed.length);
}

/** The partition's leader is killed while `client` produces; it restarts and rejoins the ISR; then everything is read back. */
export async function survivesLeaderKill(
  cluster: TestCluster,
  client: ClientName,
  topic: string,
  count: number,
  once: boolean,
): Promise<void> {
  await cluster.createTopic(topic, 1, 3, { 'min.insync.replicas': '2' });
  const { leaderId } = await cluster.waitForPartition(topic, 0, 'every replica in sync', (p) => p.isrNodes.length === 3);
  const run = startProducer(client, cluster.bootstrapServers, topic, count);
  await waitUntil(() => run.acked.length >= count / 5, `${count / 5} acknowledged records`, 60_000);
  await cluster.broker(leaderId).process.kill9();
  const { acked, output } = await run.done;
  expect(output).toContain('done');
  await cluster.broker(leaderId).process.start();
  await cluster.waitForPartition(topic, 0, `broker ${leaderId} back in the ISR`, (p) => p.isrNodes.length === 3, 60_000);
  expect(acked.length).toBe(count);
  expectKept(acked, await consumeAll(client, cluster.bootstrapServers, topic, count), once);
}
