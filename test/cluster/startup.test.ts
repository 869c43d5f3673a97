import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { runKts } from '../helpers/kts.js';
import { TestCluster } from './harness.js';

/** A server.properties for one more broker of `cluster` (or of a ZooKeeper at `connect`). */
function properties(dir: string, id: number, port: number, connect: string, extra: Record<string, string> = {}): string {
  const path = join(dir, `extra-${id}-${port}.properties`);
  const settings = {
    'broker.id': String(id),
    listeners: `PLAINTEXT://127.0.0.1:${port}`,
    'log.dirs': join(dir, `extra-${id}-${port}`),
    'zookeeper.connect': connect,
    ...extra,
  };
  writeFileSync(
    path,
    Object.entries(settings)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return path;
}

describe('kts server-start joining a cluster refuses, in one line, what Kafka refuses', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start({ brokers: 1 });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('an unreachable ZooKeeper', async () => {
    const dead = await freePort();
    const path = properties(cluster.dir, 7, await freePort(), `127.0.0.1:${dead}`, { 'zookeeper.connection.timeout.ms': '1000' });
    const r = await runKts(['server-start', path], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Error: cannot start the broker: Timed out waiting for a connection to ZooKeeper at 127\\.0\\.0\\.1:${dead} after 1000 ms`,
        ),
      ),
    ]);
  });

  it('a broker id another live broker registered', async () => {
    const path = properties(cluster.dir, 1, await freePort(), cluster.connectString);
    const r = await runKts(['server-start', path], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Error: cannot start the broker: .*\/brokers\/ids\/1/);
    // The registered broker is untouched.
    expect((await cluster.metadata()).brokers.map((b) => b.nodeId)).toEqual([1]);
  });

  it('a log dir of another cluster', async () => {
    const port = await freePort();
    const path = properties(cluster.dir, 8, port, cluster.connectString);
    const logDir = join(cluster.dir, `extra-8-${port}`);
    mkdirSync(logDir, { recursive: true });
    writeFileSync(join(logDir, 'meta.properties'), 'version=0\nbroker.id=8\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\n');
    const r = await runKts(['server-start', path], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining("doesn't match stored clusterId")]);
  });

  it('describes zookeeper.connect as set', async () => {
    const r = await runKts([
      'configs',
      '--bootstrap-server',
      cluster.bootstrapServers,
      '--describe',
      '--all',
      '--entity-type',
      'brokers',
      '--entity-name',
      '1',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `zookeeper.connect=${cluster.connectString} sensitive=false synonyms={STATIC_BROKER_CONFIG:zookeeper.connect=${cluster.connectString}}`,
    );
  });
});
