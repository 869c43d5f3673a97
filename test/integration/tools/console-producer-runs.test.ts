import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type StartedBroker } from '../../../src/broker/index.js';
import { KtsError } from '../../../src/util/errors.js';
import { produce } from '../../../src/tools/console-producer/produce.js';
import { producerSettings } from '../../../src/tools/console-producer/producer-settings.js';
import { readerConfig } from '../../../src/tools/console-producer/reader-properties.js';
import { recordParser } from '../../../src/tools/console-producer/record-input.js';
import { KTS_BIN } from '../../helpers/kts.js';
import { toolsAgainst, type Tools } from './tools-harness.js';

describe('console-producer runs against the embedded broker', () => {
  let broker: StartedBroker;
  let tools: Tools;
  let dir: string;
  const endOffset = (topic: string): bigint | undefined => broker.broker.replicaManager.partition(topic, 0)?.highWatermark;

  beforeAll(async () => {
    broker = await startBroker();
    tools = toolsAgainst(broker);
    dir = mkdtempSync(join(tmpdir(), 'kts-producer-runs-'));
  });

  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--sync: a record the broker refuses fails the run with how many and why; the others are kept', async () => {
    expect((await tools.kts(['topics', '--create', '--topic', 'small', '--config', 'max.message.bytes=200'])).code).toBe(0);
    const r = await tools.kts(['console-producer', '--topic', 'small', '--sync'], `ok\n${'x'.repeat(1000)}\nok2\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^Error: 1 of 3 messages were not acknowledged: MESSAGE_TOO_LARGE from the broker for small-0: The record batch size in the append to small-0 is \d+ bytes which exceeds the maximum configured value of 200\.\n$/,
    );
    expect(endOffset('small')).toBe(2n);
  });

  it.each([
    ['idempotent', []],
    ['not idempotent', ['--producer-property', 'enable.idempotence=false']],
  ])('MESSAGE_TOO_LARGE splits the batch (%s): only the oversized record fails', async (_, extra) => {
    const topic = `split-${extra.length}`;
    expect((await tools.kts(['topics', '--create', '--topic', topic, '--config', 'max.message.bytes=200'])).code).toBe(0);
    // The default linger of 1 s puts all three lines in one batch, which the broker refuses whole.
    const r = await tools.kts(['console-producer', '--topic', topic, ...extra], `ok\n${'a'.repeat(500)}\nok2\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: 1 of 3 messages were not acknowledged: MESSAGE_TOO_LARGE from the broker for split-\d-0: /);
    expect((await tools.consume(topic)).stdout).toBe('ok\nok2\n');
  });

  it('--max-memory-bytes below the default batch size still sends (batches are 16384 bytes, as Kafka)', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `line-${i}-${'x'.repeat(90)}`);
    const r = await tools.kts(['console-producer', '--topic', 'small-buffer', '--max-memory-bytes', '100000'], `${lines.join('\n')}\n`);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(endOffset('small-buffer')).toBe(2000n);
  });

  it("a batch size above buffer.memory fails every record at once with the Java producer's message, never waiting", async () => {
    const r = await tools.kts(
      ['console-producer', '--topic', 'never-fits', '--batch-size', '200000', '--max-memory-bytes', '100000'],
      'a\nb\n',
    );
    expect([r.code, r.stderr]).toEqual([
      1,
      'Error: 2 of 2 messages were not acknowledged: Attempt to allocate 200000 bytes, but there is a hard limit of 100000 on memory allocations.\n',
    ]);
  });

  it('an invalid topic name is reported by name', async () => {
    const r = await tools.kts(['console-producer', '--topic', 'bad name'], 'a\n');
    expect([r.code, r.stderr]).toEqual([1, 'Error: 1 of 1 messages were not acknowledged: Invalid topics: [bad name]\n']);
  });

  it('SIGTERM: the lines read so far are sent before the producer exits 0', async () => {
    // A linger of a minute: only the flush on the signal can send these.
    const child = spawn(KTS_BIN, [
      'console-producer',
      '--bootstrap-server',
      broker.bootstrapServers,
      '--topic',
      'on-signal',
      '--timeout',
      '60000',
    ]);
    const err: Buffer[] = [];
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      child.stdin.write('one\ntwo\n');
      // The first send asks Metadata for the topic, which creates it: the lines have been read.
      for (let i = 0; i < 200 && endOffset('on-signal') === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(endOffset('on-signal')).toBe(0n);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Buffer.concat(err).toString()).toBe('');
      expect(endOffset('on-signal')).toBe(2n);
    } finally {
      clearTimeout(timer);
      child.kill('SIGKILL');
    }
  });

  it('--file naming a directory is one line and exit 1, before anything is sent', async () => {
    const r = await tools.kts(['console-producer', '--topic', 'from-dir', '--file', dir]);
    expect([r.code, r.stderr]).toEqual([1, `Error: could not read input file '${dir}': is a directory\n`]);
    expect(endOffset('from-dir')).toBeUndefined();
  });

  it('an input that fails mid-read is an error, not a clean end; what was read before is sent', async () => {
    let chunks = 0;
    const input = new Readable({
      read() {
        if (chunks++ === 0) this.push('read\n');
        else this.destroy(new Error('EIO: i/o error, read'));
      },
    });
    const job = produce({
      input,
      prompt: false,
      topic: 'broken-input',
      parse: recordParser('line', readerConfig(new Map()), undefined, 'broken-input'),
      settings: producerSettings({}, new Map()),
      connect: { bootstrapServer: broker.bootstrapServers, properties: new Map() },
    });
    await expect(job).rejects.toThrow(new KtsError('Error: could not read the input: EIO: i/o error, read'));
    expect(endOffset('broken-input')).toBe(1n);
  });
});
