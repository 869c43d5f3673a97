import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKts } from '../helpers/kts.js';
import { runProcess } from '../helpers/process.js';
import { needs } from '../helpers/requirements.js';
import { mountTmpfs, type Tmpfs } from '../helpers/tmpfs.js';
import { TestCluster } from './harness.js';

/** Fills the rest of the file system holding `dir`. */
function fillUp(dir: string): void {
  mkdirSync(dir);
  const chunk = Buffer.alloc(64 << 10, 1);
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, `filler-${i}`), chunk);
    } catch {
      return;
    }
  }
}

describe('a full log dir on a cluster member', needs('kcat'), () => {
  let disk: Tmpfs | string;
  let healthy: string;
  let cluster: TestCluster | undefined;

  beforeAll(() => {
    disk = mountTmpfs(`size=${4 << 20}`);
    healthy = mkdtempSync(join(tmpdir(), 'kts-healthy-disk-'));
  });

  afterAll(async () => {
    await cluster?.stop();
    if (typeof disk !== 'string') disk.unmount();
    rmSync(healthy, { recursive: true, force: true });
  });

  it('moves the leadership of its partitions to replicas on healthy brokers; its other dir keeps serving', async (ctx) => {
    if (typeof disk === 'string') return ctx.skip(disk);
    const small = join(disk.path, 'small');
    cluster = await TestCluster.start({ brokers: 3, brokerConfig: { 1: { 'log.dirs': `${healthy},${small}` } } });
    const created = await runKts([
      'topics',
      '--bootstrap-server',
      cluster.bootstrapServers,
      '--create',
      '--topic',
      'moving',
      '--replica-assignment',
      '1:2:3,1:2:3',
    ]);
    expect(created.stderr).toBe('');
    for (const index of [0, 1]) await cluster.waitForPartition('moving', index, 'all in sync', (p) => p.isrNodes.length === 3);
    // Broker 1 placed one partition in each dir (the one holding fewer first).
    const onSmall = existsSync(join(small, 'moving-1')) ? 1 : 0;
    expect(existsSync(join(small, `moving-${onSmall}`)) && existsSync(join(healthy, `moving-${1 - onSmall}`))).toBe(true);
    expect((await cluster.partition('moving', onSmall)).leaderId).toBe(1);

    fillUp(join(disk.path, 'filler'));
    const bootstrap = cluster.bootstrapServers;
    // librdkafka retries KAFKA_STORAGE_ERROR after refreshing its metadata: the record reaches the new leader.
    const produced = await runProcess(
      'kcat',
      ['-b', bootstrap, '-P', '-t', 'moving', '-p', String(onSmall), '-X', 'message.timeout.ms=30000'],
      { input: 'after-failure\n', timeoutMs: 45_000 },
    );
    expect(produced.code, `${produced.stderr}\n${cluster.output}`).toBe(0);
    const moved = await cluster.waitForPartition('moving', onSmall, 'led elsewhere, broker 1 offline', (p) => p.leaderId !== 1);
    expect(moved.leaderId === 2 || moved.leaderId === 3).toBe(true);
    expect(moved.offlineReplicas).toEqual([1]);
    expect([...moved.isrNodes].sort()).toEqual([2, 3]);

    const consumed = await runProcess('kcat', ['-b', bootstrap, '-C', '-t', 'moving', '-p', String(onSmall), '-o', 'beginning', '-e'], {
      timeoutMs: 30_000,
    });
    expect(consumed.stdout.toString()).toBe('after-failure\n');

    // Broker 1 is still up, leading the partition in its healthy dir.
    const broker1 = cluster.broker(1);
    expect(broker1.process.running).toBe(true);
    expect((await cluster.partition('moving', 1 - onSmall)).leaderId).toBe(1);
    const kept = await runProcess('kcat', ['-b', bootstrap, '-P', '-t', 'moving', '-p', String(1 - onSmall)], {
      input: 'still-served\n',
      timeoutMs: 30_000,
    });
    expect(kept.code).toBe(0);
    expect(broker1.process.output).toContain(`ERROR Error while appending to moving-${onSmall}: write ${join(small, `moving-${onSmall}`)}`);
    expect(broker1.process.output).toContain(`WARN Stopping serving replicas in dir ${small}`);
  }, 120_000);
});
