import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KTS_BIN, runKts } from '../helpers/kts.js';
import { waitUntil } from '../helpers/wait.js';
import { tempDir } from './helpers.js';
import { connectZk } from './node-client.js';

/**
 * `kts zookeeper-start` as its own process, driven by node-zookeeper-client: acknowledged writes
 * survive a graceful restart and a kill -9; a dead client's ephemeral node expires after restart.
 */
describe('kts zookeeper-start / zookeeper-stop with node-zookeeper-client', () => {
  const dir = tempDir('durable');
  const env = { KTS_RUN_DIR: join(dir, 'run'), LOG_DIR: join(dir, 'logs') };
  const props = join(dir, 'zookeeper.properties');
  let port = 0;
  let server: ChildProcess | undefined;

  /** Starts the server in the foreground and resolves with its port once it says it serves. */
  function start(): Promise<number> {
    return new Promise((resolve, reject) => {
      const child = spawn(KTS_BIN, ['zookeeper-start', props], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server = child;
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 15_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /127\.0\.0\.1:(\d+) serving/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', () => reject(new Error(`server exited: ${out}`)));
    });
  }

  function exited(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
    );
  }

  beforeAll(() => {
    writeFileSync(
      props,
      `dataDir=${join(dir, 'data')}\nclientPort=0\nclientPortAddress=127.0.0.1\ntickTime=500\nsnapCount=50\nadmin.enableServer=false\n`,
    );
  });

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited(server);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write across zookeeper-stop and kill -9; expires orphaned ephemerals', async () => {
    port = await start();
    const a = await connectZk(`127.0.0.1:${port}`, 2000);
    await a.create('/durable', 'root');
    for (let i = 0; i < 120; i++) await a.create(`/durable/n${i}`, `v${i}`);
    await a.set('/durable/n7', 'changed');
    a.close();

    // Graceful stop through the pid registry.
    const stop = await runKts(['zookeeper-stop'], { env });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(new RegExp(`^Stopped zookeeper \\(pid \\d+, port ${port}\\)$`, 'm'));
    expect(await exited(server!)).toBe(0);
    const none = await runKts(['zookeeper-stop'], { env });
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe('No zookeeper server to stop');

    port = await start();
    const b = await connectZk(`127.0.0.1:${port}`, 2000);
    expect((await b.children('/durable')).length).toBe(120);
    expect(await b.get('/durable/n7')).toBe('changed');
    await b.create('/durable/eph', 'e', zookeeper.CreateMode.EPHEMERAL);
    for (let i = 0; i < 30; i++) await b.set('/durable/n0', `after-restart-${i}`);

    server!.kill('SIGKILL');
    await exited(server!);
    b.close(); // the server is gone: no closeSession reaches it, the session is orphaned

    port = await start();
    const c = await connectZk(`127.0.0.1:${port}`, 2000);
    expect(await c.get('/durable/n0')).toBe('after-restart-29');
    expect((await c.children('/durable')).length).toBe(121);
    await waitUntil(async () => !(await c.exists('/durable/eph')), 'the orphaned ephemeral to expire');
    c.close();
    const stopped = await runKts(['zookeeper-stop'], { env });
    expect(stopped.code).toBe(0);
  });
});
