import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatus } from '../../src/cli/cluster/cluster-status.js';
import { runKts } from '../helpers/kts.js';
import { waitUntil } from '../helpers/wait.js';

/** `count` consecutive ports on this machine that were free a moment ago. */
async function freePortRange(count: number): Promise<number> {
  const canListen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, () => server.close(() => resolve(true)));
    });
  for (;;) {
    // Below the ephemeral range (32768+), where other tests' port-0 servers and clients get theirs.
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    let free = true;
    for (let port = base; free && port < base + count; port++) free = await canListen(port);
    if (free) return base;
  }
}

describe('kts cluster start | status | stop: three local brokers as one command', () => {
  const home = mkdtempSync(join(tmpdir(), 'kts-cluster-cmd-'));
  // The default --dir is under XDG_DATA_HOME; the run registry and daemon logs are the test's own.
  const env = { XDG_DATA_HOME: home, KTS_RUN_DIR: join(home, 'run'), LOG_DIR: join(home, 'logs') };
  const dir = join(home, 'kts', 'cluster');
  const kts = (args: string[], timeoutMs = 90_000) => runKts(['cluster', ...args], { env, timeoutMs });
  const status = async (): Promise<ClusterStatus> => {
    const r = await kts(['status', '--output', 'json'], 20_000);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as ClusterStatus;
  };
  let base = 0;

  beforeAll(async () => {
    base = await freePortRange(3);
  });

  afterAll(async () => {
    // Whatever a failed test left running.
    await kts(['stop'], 60_000).catch(() => undefined);
    await kts(['stop', '--dir', join(home, 'files')], 60_000).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  }, 150_000);

  it('starts, reports, skips what runs, shows a killed node as down, stops rolling with the controller last, keeps data', async () => {
    const started = await kts(['start', '--brokers', '3', '--port', String(base)]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain(`Creating a cluster of 3 brokers in ${dir}`);
    for (let id = 1; id <= 3; id++)
      expect(started.stdout).toMatch(new RegExp(`Started broker ${id} \\(pid \\d+, port ${base + id - 1}\\)`));
    expect(started.stdout).toMatch(/Cluster ready: 3 brokers .* controller \d/);

    const up = await status();
    expect(up.zookeeper.state).toBe('up');
    expect(up.brokers.map((b) => [b.id, b.listener, b.state])).toEqual([
      [1, `localhost:${base}`, 'up'],
      [2, `localhost:${base + 1}`, 'up'],
      [3, `localhost:${base + 2}`, 'up'],
    ]);
    expect(up.brokers.filter((b) => b.controller)).toHaveLength(1);

    const bootstrap = `localhost:${base}`;
    const created = await runKts(
      ['topics', '--bootstrap-server', bootstrap, '--create', '--topic', 'kept', '--partitions', '3', '--replication-factor', '3'],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    const produced = await runKts(
      ['console-producer', '--bootstrap-server', bootstrap, '--topic', 'kept', '--producer-property', 'acks=all'],
      {
        env,
        input: 'one\ntwo\nthree\n',
      },
    );
    expect(produced.code, produced.stderr).toBe(0);
    const led = await waitUntil(async () => {
      const s = await status();
      return s.brokers.reduce((n, b) => n + b.partitionsLed, 0) === 3 ? s : undefined;
    }, 'three partitions led');
    expect(led.brokers.every((b) => b.underReplicated === 0)).toBe(true);

    // The notes' script as one command: the generated files as arguments; every node runs already.
    const files = [1, 2, 3].map((id) => join(dir, `server-${id}.properties`));
    const again = await kts(['start', '--dir', join(home, 'files'), ...files]);
    expect(again.code, again.stderr).toBe(0);
    for (const b of up.brokers) expect(again.stdout).toContain(`Broker ${b.id} is already running (pid ${b.pid}, port ${base + b.id - 1})`);

    const victim = up.brokers.find((b) => !b.controller)!;
    process.kill(victim.pid!, 'SIGKILL');
    const afterKill = await waitUntil(async () => {
      const s = await status();
      return s.brokers.find((b) => b.id === victim.id)?.state === 'down' ? s : undefined;
    }, `broker ${victim.id} shown as down`);
    expect(afterKill.brokers.find((b) => b.id === victim.id)?.pid).toBeNull();
    expect(afterKill.brokers.filter((b) => b.id !== victim.id).every((b) => b.state === 'up')).toBe(true);

    const controller = (await status()).brokers.find((b) => b.controller)!;
    const stopped = await kts(['stop']);
    expect(stopped.code, stopped.stderr).toBe(0);
    const lines = stopped.stdout.trim().split('\n');
    expect(lines).toContain(`Broker ${victim.id} is not running`);
    const brokerStops = lines.filter((l) => l.startsWith('Stopped broker'));
    expect(brokerStops).toHaveLength(2);
    expect(brokerStops.at(-1)).toMatch(new RegExp(`^Stopped broker ${controller.id} `));
    expect(lines.at(-1)).toMatch(/^Stopped zookeeper/);
    expect((await status()).brokers.map((b) => b.state)).toEqual(['down', 'down', 'down']);

    const restarted = await kts(['start']);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stdout).toContain(`Using the cluster in ${dir}`);
    const consumed = await runKts(
      [
        'console-consumer',
        '--bootstrap-server',
        bootstrap,
        '--topic',
        'kept',
        '--from-beginning',
        '--max-messages',
        '3',
        '--timeout-ms',
        '20000',
      ],
      { env, timeoutMs: 30_000 },
    );
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n').sort()).toEqual(['one', 'three', 'two']);

    const mismatch = await kts(['start', '--brokers', '5']);
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr.trim().split('\n')).toHaveLength(1);
    expect(mismatch.stderr).toContain(`${dir} holds a cluster of 3 brokers`);
  }, 240_000);

  it('refuses what it cannot do in one line', async () => {
    const none = await kts(['status', '--dir', join(home, 'nothing-here')]);
    expect(none.code).not.toBe(0);
    expect(none.stderr.trim()).toBe(`Error: no cluster in ${join(home, 'nothing-here')} (start one with kts cluster start)`);
    const bad = await kts(['start', '--brokers', 'three']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe("Error: invalid --brokers 'three': expected a positive integer");
  });
});
