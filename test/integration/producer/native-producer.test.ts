import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { createNativeProducer, type NativeProducer } from '../../../src/client/producer/producer.js';
import type { ProducerOptions } from '../../../src/client/producer/producer-config.js';
import type { RecordMetadata } from '../../../src/client/producer/producer-record.js';
import { needs } from '../../helpers/requirements.js';
import { runKts } from '../../helpers/kts.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { freePort } from '../../helpers/free-port.js';

const PARTITIONS = 5;

interface ReadRecord {
  partition: number;
  key: string;
  value: string;
}

/**
 * Every record of `topic`, read by kcat (a librdkafka client). Spawned asynchronously: the proxy
 * in front of the broker runs in this process.
 */
function kcatRecords(bootstrap: string, topic: string): Promise<ReadRecord[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-b', bootstrap, '-C', '-t', topic, '-e', '-q', '-f', '%p\t%k\t%s\n']);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`kcat failed: ${Buffer.concat(err).toString()}`));
      const lines = Buffer.concat(out)
        .toString()
        .split('\n')
        .filter((l) => l !== '');
      resolve(
        lines.map((l) => {
          const [partition, key, value] = l.split('\t');
          return { partition: Number(partition), key: key!, value: value! };
        }),
      );
    });
  });
}

describe('native producer against the embedded broker', needs('kcat'), () => {
  let broker: StartedBroker;
  /** A proxy in front of the broker, which the broker advertises as its address. */
  let proxy: TcpProxy;
  let dir: string;
  const producers: NativeProducer[] = [];
  const open = async (options: Partial<ProducerOptions> = {}) => {
    const p = await createNativeProducer({ bootstrap: [{ host: '127.0.0.1', port: proxy.port }], ...options });
    producers.push(p);
    return p;
  };
  const read = (topic: string) => kcatRecords(broker.bootstrapServers, topic);
  const kts = (args: string[], input: string) => runKts([...args, '--bootstrap-server', broker.bootstrapServers], { input });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kts-native-producer-'));
    proxy = await startTcpProxy();
    const port = await freePort();
    broker = await startBroker({
      logDir: join(dir, 'logs'),
      config: {
        'num.partitions': String(PARTITIONS),
        listeners: `PLAINTEXT://127.0.0.1:${port}`,
        'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxy.port}`,
      },
    });
    proxy.forwardTo('127.0.0.1', port);
  });

  afterAll(async () => {
    proxy?.resume();
    await Promise.all(producers.map((p) => p.close().catch(() => {})));
    await proxy?.close();
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("puts keyed lines from console-producer where kafkajs's Java-compatible partitioner does", async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `key-${i * 7919}`);
    const r = await kts(
      ['console-producer', '--topic', 'keyed', '--property', 'parse.key=true'],
      keys.map((k, i) => `${k}\tvalue-${i}\n`).join(''),
    );
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const kafkajs = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: PARTITIONS }, (_, i) => ({
      partitionId: i,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    }));
    const records = await read('keyed');
    expect(records).toHaveLength(keys.length);
    for (const { partition, key } of records) {
      expect(partition).toBe(kafkajs({ topic: 'keyed', partitionMetadata, message: { key, value: null } }));
    }
    expect(new Set(records.map((x) => x.partition)).size).toBe(PARTITIONS);
  });

  it.each(['0', '1', 'all'])('console-producer delivers every line with acks=%s', async (acks) => {
    const topic = `acks-${acks}`;
    const lines = Array.from({ length: 2000 }, (_, i) => `line-${i}`);
    const r = await kts(['console-producer', '--topic', topic, '--request-required-acks', acks], `${lines.join('\n')}\n`);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect((await read(topic)).map((x) => x.value).sort()).toEqual([...lines].sort());
  });

  it('routes with a partitioner.class module given to console-producer', async () => {
    const module = join(dir, 'x-first.mjs');
    writeFileSync(module, "export default (record, cluster) => (record.value.includes('X') ? 0 : cluster.partitions - 1);\n");
    const r = await kts(
      ['console-producer', '--topic', 'custom', '--producer-property', `partitioner.class=${module}`],
      'aXa\nbbb\nXcc\nddd\n',
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const placed = (await read('custom')).map((x) => `${x.partition}:${x.value}`);
    expect(placed.sort()).toEqual(['0:Xcc', '0:aXa', `${PARTITIONS - 1}:bbb`, `${PARTITIONS - 1}:ddd`]);
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)('sends %s batches that kcat reads back', async (compression) => {
    const topic = `native-${compression}`;
    const p = await open({ compression, lingerMs: 20 });
    const values = Array.from({ length: 500 }, (_, i) => `${compression} record ${i} ${'z'.repeat(i % 50)}`);
    const acked = await Promise.all(values.map((value, i) => p.sendAsync({ topic, key: `k${i % 10}`, value })));
    expect(acked.every((m) => m.offset >= 0n)).toBe(true);
    const records = await read(topic);
    expect(records.map((x) => x.value).sort()).toEqual([...values].sort());
    // Records of one key keep their order within their partition.
    for (let k = 0; k < 10; k++) {
      const mine = records.filter((x) => x.key === `k${k}`).map((x) => Number(x.value.split(' ')[2]));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
  });

  it('reports offsets and partitions in RecordMetadata, -1 with acks=0', async () => {
    const p = await open();
    const first = await p.sendAsync({ topic: 'meta', partition: 2, value: 'a' });
    const second = await p.sendAsync({ topic: 'meta', partition: 2, value: 'b', timestamp: 1234 });
    expect([first.partition, second.partition, second.offset - first.offset, second.timestamp]).toEqual([2, 2, 1n, 1234]);
    const fireAndForget = await open({ acks: 0 });
    expect((await fireAndForget.sendAsync({ topic: 'meta', value: 'c' })).offset).toBe(-1n);
    await expect(p.sendAsync({ topic: 'meta', partition: PARTITIONS, value: 'x' })).rejects.toThrow(
      `Invalid partition given with record: ${PARTITIONS} is not in the range [0...${PARTITIONS}].`,
    );
  });

  const RECORDS = 3000;
  const recordValue = (i: number) => `r${i}`.padEnd(30, '.');

  /**
   * Cuts every connection just as a Produce response comes back, so the broker appended a batch
   * whose acknowledgement is lost; the producer reconnects and sends it again.
   */
  async function produceThroughCut(topic: string, idempotence: boolean): Promise<string[]> {
    const p = await open({ idempotence, lingerMs: 0, batchSize: 2048, maxInFlight: 5, retryBackoffMs: 10 });
    await p.sendAsync({ topic, partition: 0, value: 'warm-up' });
    const cutsBefore = proxy.cuts;
    proxy.cutAfterServerBytes(500);
    const sends = Array.from({ length: RECORDS }, (_, i) => p.sendAsync({ topic, partition: 0, value: recordValue(i) }));
    const results = await Promise.allSettled(sends);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(proxy.cuts).toBe(cutsBefore + 1);
    const offsets = results.map((r) => (r as PromiseFulfilledResult<RecordMetadata>).value.offset);
    expect(new Set(offsets).size).toBe(RECORDS);
    return (await read(topic)).map((x) => x.value).filter((v) => v !== 'warm-up');
  }

  it('idempotence: a connection cut mid-flight is retried without duplicates, in order', async () => {
    expect(await produceThroughCut('idempotent', true)).toEqual(Array.from({ length: RECORDS }, (_, i) => recordValue(i)));
  });

  it('without idempotence the same cut duplicates records (the cut really loses an acknowledgement)', async () => {
    const values = await produceThroughCut('not-idempotent', false);
    expect(values.length).toBeGreaterThan(RECORDS);
    expect(new Set(values).size).toBe(RECORDS);
  });

  it('buffer.memory: send asks the caller to wait while the broker does not answer; max.block.ms fails what waits too long', async () => {
    const p = await open({ bufferMemory: 64 * 1024, batchSize: 16 * 1024, lingerMs: 0 });
    const blocked = await open({ bufferMemory: 32 * 1024, batchSize: 16 * 1024, lingerMs: 0, maxBlockMs: 200 });
    await p.sendAsync({ topic: 'pressure', value: 'warm-up' });
    await blocked.sendAsync({ topic: 'pressure', value: 'warm-up' });
    proxy.pause();
    const value = Buffer.alloc(1000, 'v');
    const outcomes: Array<Error | null> = [];
    let accepted = 0;
    while (p.send({ topic: 'pressure', value }, (err) => outcomes.push(err))) accepted++;
    expect(accepted).toBeGreaterThan(30);
    // 64 KiB of 1000-byte records: at most 64 fit (four full 16 KiB batches), whatever the timing.
    expect(accepted).toBeLessThanOrEqual(64);
    const stillWaiting = await Promise.race([p.ready().then(() => false), new Promise((r) => setTimeout(() => r(true), 300))]);
    expect(stillWaiting).toBe(true);

    const timedOut: Array<Error | null> = [];
    while (blocked.send({ topic: 'pressure', value }, (err) => timedOut.push(err)));
    await blocked.ready();
    expect(timedOut.at(-1)?.message).toBe('Failed to allocate memory within the configured max blocking time 200 ms.');

    proxy.resume();
    await p.flush();
    expect(outcomes).toHaveLength(accepted + 1);
    expect(outcomes.every((e) => e === null)).toBe(true);
  });
  it('sendValue: values cut from a buffer reused once accepted arrive whole, spread by the sticky partitioner, with their timestamps', async () => {
    const p = await open({ batchSize: 1024, lingerMs: 5 });
    // Every hundredth value is larger than batch.size: it gets a batch of its own size.
    const values = Array.from({ length: 600 }, (_, i) =>
      `value-${i}-`.padEnd(i % 100 === 42 ? 1500 : 20 + (i % 50), String.fromCharCode(97 + (i % 26))),
    );
    const source = Buffer.from(values.join('\n'));
    const outcomes: Array<{ err: Error | null; metadata: RecordMetadata | null }> = [];
    let start = 0;
    for (const [i, v] of values.entries()) {
      const callback = (err: Error | null, metadata: RecordMetadata | null) => (outcomes[i] = { err, metadata });
      const copy = Buffer.from(source);
      const end = start + Buffer.byteLength(v);
      // Every tenth record goes through send with a key: the two paths interleave.
      const accepted =
        i % 10 === 5
          ? p.send({ topic: 'values', key: 'k', value: copy.subarray(start, end), timestamp: 1000 + i }, callback)
          : p.sendValue('values', copy, start, end, 1000 + i, callback);
      if (!accepted) await p.ready();
      copy.fill(0x23); // what the producer took must be a copy by now
      start = end + 1;
    }
    await p.flush();
    expect(outcomes.map((o) => o.err)).toEqual(values.map(() => null));
    expect(outcomes.map((o) => o.metadata!.timestamp)).toEqual(values.map((_, i) => 1000 + i));
    const read = await kcatRecords(broker.bootstrapServers, 'values');
    expect(read.map((r) => r.value).sort()).toEqual([...values].sort());
    expect(new Set(read.filter((r) => r.key === '').map((r) => r.partition)).size).toBeGreaterThan(1);
  });

  it('sendValue spreads over partitions added to its topic once the metadata is refreshed', async () => {
    await kts(['topics', '--create', '--topic', 'values-grow', '--partitions', '1'], '');
    const p = await open({ batchSize: 1024, lingerMs: 5, metadataMaxAgeMs: 100 });
    const partitions = new Set<number>();
    let sent = 0;
    const send = async (count: number) => {
      for (let i = 0; i < count; i++, sent++) {
        const value = Buffer.from(`grow-${sent}`.padEnd(60, '.'));
        const callback = (err: Error | null, metadata: RecordMetadata | null) => {
          if (err === null) partitions.add(metadata!.partition);
        };
        if (!p.sendValue('values-grow', value, 0, value.length, Date.now(), callback)) await p.ready();
      }
      await p.flush();
    };
    await send(200);
    expect([...partitions]).toEqual([0]);
    await kts(['topics', '--alter', '--topic', 'values-grow', '--partitions', '4'], '');
    // Within a few refreshes (metadata.max.age.ms 100) the sticky partitioner sees the new partitions.
    const deadline = Date.now() + 10_000;
    while (partitions.size < 2 && Date.now() < deadline) await send(200);
    expect(partitions.size).toBeGreaterThan(1);
    expect(await read('values-grow')).toHaveLength(sent);
  });

  it('sendValue fails a record as send does: too large for max.request.size, or after close', async () => {
    const p = await open({ maxRequestSize: 2000 });
    await p.sendAsync({ topic: 'values-refused', value: 'warm-up' });
    const errors: Array<string | undefined> = [];
    const callback = (i: number) => (err: Error | null) => (errors[i] = err?.message);
    p.sendValue('values-refused', Buffer.alloc(100), 0, 100, Date.now(), callback(0));
    p.sendValue('values-refused', Buffer.alloc(3000), 0, 3000, Date.now(), callback(1));
    await p.close();
    p.sendValue('values-refused', Buffer.alloc(100), 0, 100, Date.now(), callback(2));
    expect(errors).toEqual([
      undefined,
      'The message is 3093 bytes when serialized which is larger than 2000, which is the value of the max.request.size configuration.',
      'Cannot perform operation after producer has been closed',
    ]);
  });
});
