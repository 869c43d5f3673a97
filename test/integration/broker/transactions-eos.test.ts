import { describe, it } from 'vitest';
import { Copier, expectExactlyOnce, readCommitted, seed } from '../../helpers/eos-runs.js';
import { brokerForTest } from '../../helpers/broker.js';
import { runKts } from '../../helpers/kts.js';
import { needs } from '../../helpers/requirements.js';

const COUNT = 400;

describe('exactly-once consume-transform-produce on a single broker (confluent-kafka)', () => {
  it('copies every record once across aborted transactions and a copier killed with SIGKILL mid-run', {
    ...needs('confluent-kafka'),
    timeout: 240_000,
  }, async () => {
    const broker = await brokerForTest({ config: { 'transaction.abort.timed.out.transaction.cleanup.interval.ms': '500' } });
    const bootstrap = broker.bootstrapServers;
    for (const topic of ['eos-in', 'eos-out']) {
      const r = await runKts(['topics', '--bootstrap-server', bootstrap, '--create', '--topic', topic, '--partitions', '3']);
      if (r.code !== 0) throw new Error(r.stderr);
    }
    await seed(bootstrap, 'eos-in', COUNT);
    const args = { source: 'eos-in', sink: 'eos-out', group: 'eos-copier', transactionalId: 'eos-copier-tx', count: COUNT, abortEvery: 4 };
    const first = new Copier(bootstrap, args);
    await first.waitForCommitted(COUNT / 4);
    first.kill9();
    await first.exited;
    const second = new Copier(bootstrap, args);
    await second.waitForDone();
    expectExactlyOnce(await readCommitted(bootstrap, 'eos-out', COUNT), COUNT);
  });
});
