import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ServerProcess } from '../../cluster/harness.js';
import { Copier, expectExactlyOnce, readCommitted, readUncommitted, seed } from '../../helpers/eos-runs.js';
import { freePort } from '../../helpers/free-port.js';
import { runKts } from '../../helpers/kts.js';
import { needs } from '../../helpers/requirements.js';

const COUNT = 400;

/** A single broker as its own process (`kts server-start`), so that it can be killed with SIGKILL. */
async function brokerProcess(): Promise<{ bootstrap: string; process: ServerProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'kts-eos-'));
  const port = await freePort();
  const config = join(dir, 'server.properties');
  writeFileSync(
    config,
    [
      'broker.id=0',
      `listeners=PLAINTEXT://127.0.0.1:${port}`,
      `log.dirs=${join(dir, 'logs')}`,
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=5',
      'transaction.abort.timed.out.transaction.cleanup.interval.ms=500',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  const process = new ServerProcess('broker', ['server-start', config], /\[KafkaServer id=0\] started/, { KTS_RUN_DIR: join(dir, 'run') });
  onTestFinished(async () => {
    await process.kill9().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });
  await process.start();
  return { bootstrap: `127.0.0.1:${port}`, process };
}

describe('exactly-once consume-transform-produce on a single broker (confluent-kafka)', () => {
  it('copies every record once across aborted transactions, the broker killed with SIGKILL and the copier killed with SIGKILL mid-run', {
    ...needs('confluent-kafka'),
    timeout: 300_000,
  }, async () => {
    const { bootstrap, process: broker } = await brokerProcess();
    for (const topic of ['eos-in', 'eos-out']) {
      const r = await runKts(['topics', '--bootstrap-server', bootstrap, '--create', '--topic', topic, '--partitions', '3']);
      if (r.code !== 0) throw new Error(r.stderr);
    }
    await seed(bootstrap, 'eos-in', COUNT);
    const args = { source: 'eos-in', sink: 'eos-out', group: 'eos-copier', transactionalId: 'eos-copier-tx', count: COUNT, abortEvery: 4 };
    const first = new Copier(bootstrap, args);
    await first.waitForCommitted(COUNT / 4);
    await broker.kill9();
    await broker.start();
    // The copier rides out the restart (or dies of it: its successor then takes over).
    await first.waitForCommittedOrExit(COUNT / 2);
    first.kill9();
    await first.exited;
    const second = new Copier(bootstrap, args);
    await second.waitForDone();
    expectExactlyOnce(await readCommitted(bootstrap, 'eos-out', COUNT), COUNT);
    // A read_uncommitted reader also gets the copies of aborted transactions.
    const everything = await readUncommitted(bootstrap, 'eos-out', COUNT * 3);
    expect(everything.length).toBeGreaterThan(COUNT);
    expect(new Set(everything)).toEqual(new Set(Array.from({ length: COUNT }, (_, i) => `v-${i}-copied`)));
  });
});
